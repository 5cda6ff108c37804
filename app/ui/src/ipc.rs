//! The one place the UI crosses into the Tauri host. Command names and payload types
//! come from `civic-types`, shared with the host, so both sides change together.

use civic_types::{
    AppStatus, BoardRequest, BoardResult, ErrorCode, Facets, Failure, Procedure, ScanReport,
    ScanRequest, SearchRequest, SearchResults, SessionState, SignInStarted, SyncReport, commands,
};
use futures_channel::mpsc::UnboundedReceiver;
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["window", "__TAURI_INTERNALS__"], js_name = invoke, catch)]
    async fn tauri_invoke(cmd: &str, args: JsValue) -> Result<JsValue, JsValue>;

    /// Registers a JS callback with the host and returns its id (Tauri's own event API does this).
    #[wasm_bindgen(js_namespace = ["window", "__TAURI_INTERNALS__"], js_name = transformCallback)]
    fn transform_callback(callback: &JsValue, once: bool) -> f64;
}

/// A failed call: the host's code (translated for people) and its detail (for the log).
#[derive(Debug, Clone, PartialEq)]
pub struct IpcError(pub Failure);

impl IpcError {
    /// What to tell the user, in their language.
    pub fn text(&self) -> String {
        crate::i18n::t(self.0.code.message_id())
    }

    pub fn detail(&self) -> &str {
        &self.0.detail
    }

    /// A failure on this side of the boundary (the call itself, or an answer it cannot read).
    fn here(detail: impl std::fmt::Display) -> Self {
        Self(Failure::new(ErrorCode::Internal, detail))
    }
}

async fn invoke<A: Serialize, R: DeserializeOwned>(command: &str, args: &A) -> Result<R, IpcError> {
    let args = serde_wasm_bindgen::to_value(args).map_err(IpcError::here)?;
    let value = tauri_invoke(command, args).await.map_err(|e| {
        // The host sends a `Failure`; anything else is a fault of the call itself.
        serde_wasm_bindgen::from_value::<Failure>(e.clone())
            .map(IpcError)
            .unwrap_or_else(|_| IpcError::here(e.as_string().unwrap_or_else(|| format!("{e:?}"))))
    })?;
    serde_wasm_bindgen::from_value(value).map_err(IpcError::here)
}

#[derive(Serialize)]
struct NoArgs {}

#[derive(Serialize)]
struct SearchArgs<'a> {
    request: &'a SearchRequest,
}

#[derive(Serialize)]
struct CodeArgs<'a> {
    code: &'a str,
}

pub async fn search(request: SearchRequest) -> Result<SearchResults, IpcError> {
    invoke(commands::SEARCH, &SearchArgs { request: &request }).await
}

pub async fn procedure(code: String) -> Result<Option<Procedure>, IpcError> {
    invoke(commands::PROCEDURE, &CodeArgs { code: &code }).await
}

pub async fn facets() -> Result<Facets, IpcError> {
    invoke(commands::FACETS, &NoArgs {}).await
}

pub async fn status() -> Result<AppStatus, IpcError> {
    invoke(commands::STATUS, &NoArgs {}).await
}

pub async fn sync_now() -> Result<Option<SyncReport>, IpcError> {
    invoke(commands::SYNC_NOW, &NoArgs {}).await
}

#[derive(Serialize)]
struct RequestArgs<'a, T> {
    request: &'a T,
}

pub async fn scan_image(request: ScanRequest) -> Result<ScanReport, IpcError> {
    invoke(commands::SCAN_IMAGE, &RequestArgs { request: &request }).await
}

pub async fn make_board(request: BoardRequest) -> Result<BoardResult, IpcError> {
    invoke(commands::MAKE_BOARD, &RequestArgs { request: &request }).await
}

pub async fn session_state() -> Result<SessionState, IpcError> {
    invoke(commands::SESSION, &NoArgs {}).await
}

/// Opens the provider's page in the system browser; the outcome arrives as an event.
pub async fn sign_in() -> Result<SignInStarted, IpcError> {
    invoke(commands::SIGN_IN, &NoArgs {}).await
}

pub async fn sign_out() -> Result<SessionState, IpcError> {
    invoke(commands::SIGN_OUT, &NoArgs {}).await
}

#[derive(Serialize)]
struct ListenTarget {
    kind: &'static str,
}

#[derive(Serialize)]
struct ListenArgs {
    event: &'static str,
    target: ListenTarget,
    handler: f64,
}

/// Every `event` the host sends from now on, for the app's lifetime. The host calls back
/// from outside Dioxus, so payloads cross a channel into the task that reads them; payloads
/// of another shape are dropped (the host and the UI share their types).
pub async fn subscribe<T: DeserializeOwned + 'static>(
    event: &'static str,
) -> Result<UnboundedReceiver<T>, IpcError> {
    let (sender, receiver) = futures_channel::mpsc::unbounded::<T>();
    let callback = Closure::<dyn FnMut(JsValue)>::new(move |message: JsValue| {
        let payload = js_sys::Reflect::get(&message, &"payload".into()).unwrap_or(JsValue::NULL);
        if let Ok(payload) = serde_wasm_bindgen::from_value::<T>(payload) {
            let _ = sender.unbounded_send(payload);
        }
    });
    let handler = transform_callback(callback.as_ref(), false);
    // Lives as long as the page: the host may call it at any time.
    callback.forget();
    let args = ListenArgs {
        event,
        target: ListenTarget { kind: "Any" },
        handler,
    };
    let _id: f64 = invoke("plugin:event|listen", &args).await?;
    Ok(receiver)
}
