//! The one place the UI crosses into the Tauri host. Command names and payload types
//! come from `civic-types`, shared with the host, so both sides change together.

use civic_types::{
    AppStatus, BoardRequest, BoardResult, Facets, Procedure, ScanReport, ScanRequest,
    SearchRequest, SearchResults, SessionState, SignInStarted, SyncReport, commands,
};
use futures_channel::mpsc::UnboundedReceiver;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["window", "__TAURI_INTERNALS__"], js_name = invoke, catch)]
    async fn tauri_invoke(cmd: &str, args: JsValue) -> Result<JsValue, JsValue>;

    /// Registers a JS callback with the host and returns its id (Tauri's own event API does this).
    #[wasm_bindgen(js_namespace = ["window", "__TAURI_INTERNALS__"], js_name = transformCallback)]
    fn transform_callback(callback: &JsValue, once: bool) -> f64;
}

/// What went wrong, in words the user can be shown.
#[derive(Debug, Clone, PartialEq)]
pub struct IpcError(pub String);

/// A failure the host reports as an event rather than as a command's answer.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct HostFailure {
    /// What the UI can act on (`timeout`, `offline`, …).
    pub code: String,
    pub message: String,
}

async fn invoke<A: Serialize, R: DeserializeOwned>(command: &str, args: &A) -> Result<R, IpcError> {
    invoke_coded(command, args)
        .await
        .map_err(|failure| IpcError(failure.message))
}

/// Like [`invoke`], keeping the code of the host's `{code, message}` failure for callers
/// that act on it (`ipc` when the failure is not the host's).
async fn invoke_coded<A: Serialize, R: DeserializeOwned>(
    command: &str,
    args: &A,
) -> Result<R, HostFailure> {
    let not_host = |message: String| HostFailure {
        code: "ipc".into(),
        message,
    };
    let args = serde_wasm_bindgen::to_value(args).map_err(|e| not_host(e.to_string()))?;
    let value = tauri_invoke(command, args).await.map_err(|e| {
        // The host sends `{code, message}`; anything else is shown as it came.
        let field = |name: &str| {
            js_sys::Reflect::get(&e, &name.into())
                .ok()
                .and_then(|m| m.as_string())
        };
        let message = field("message")
            .or_else(|| e.as_string())
            .unwrap_or_else(|| format!("{e:?}"));
        match field("code") {
            Some(code) => HostFailure { code, message },
            None => not_host(message),
        }
    })?;
    serde_wasm_bindgen::from_value(value).map_err(|e| not_host(e.to_string()))
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

/// Opens the provider's page in the system browser; the outcome arrives as an event. A
/// failure to start keeps its code (`keyring`, `offline`, …) for the message shown.
pub async fn sign_in() -> Result<SignInStarted, HostFailure> {
    invoke_coded(commands::SIGN_IN, &NoArgs {}).await
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
