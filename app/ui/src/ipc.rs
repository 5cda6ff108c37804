//! The one place the UI crosses into the Tauri host. Command names and payload types
//! come from `civic-types`, shared with the host, so both sides change together. A feature
//! with pages of its own keeps its calls beside them (`pages/feedback/calls.rs`), through
//! [`invoke`] and [`invoke_raw`].

use civic_types::{
    auth::{SessionState, SignInStarted},
    catalog::Procedure,
    error::{ErrorCode, Failure},
    qr::{self, BoardRequest, BoardResult, ScanReport},
    search::{Facets, SearchRequest, SearchResults},
    status::AppStatus,
    sync::SyncReport,
};
use futures_channel::mpsc::UnboundedReceiver;
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["window", "__TAURI_INTERNALS__"], js_name = invoke, catch)]
    async fn tauri_invoke(cmd: &str, args: JsValue) -> Result<JsValue, JsValue>;

    /// The same call with options (`{headers}`); a `Uint8Array` as `args` goes as a raw body.
    #[wasm_bindgen(js_namespace = ["window", "__TAURI_INTERNALS__"], js_name = invoke, catch)]
    async fn tauri_invoke_with(
        cmd: &str,
        args: JsValue,
        options: JsValue,
    ) -> Result<JsValue, JsValue>;

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

pub(crate) async fn invoke<A: Serialize, R: DeserializeOwned>(
    command: &str,
    args: &A,
) -> Result<R, IpcError> {
    let args = serde_wasm_bindgen::to_value(args).map_err(IpcError::here)?;
    answer(tauri_invoke(command, args).await)
}

/// Calls `command` with `bytes` as the raw body (no JSON, no base64) and `headers`.
pub(crate) async fn invoke_raw<R: DeserializeOwned>(
    command: &str,
    bytes: &[u8],
    headers: &[(&str, &str)],
) -> Result<R, IpcError> {
    let header_object = js_sys::Object::new();
    for (name, value) in headers {
        js_sys::Reflect::set(&header_object, &(*name).into(), &(*value).into())
            .map_err(|e| IpcError::here(format!("{e:?}")))?;
    }
    let options = js_sys::Object::new();
    js_sys::Reflect::set(&options, &"headers".into(), &header_object)
        .map_err(|e| IpcError::here(format!("{e:?}")))?;
    let body = js_sys::Uint8Array::from(bytes);
    answer(tauri_invoke_with(command, body.into(), options.into()).await)
}

fn answer<R: DeserializeOwned>(result: Result<JsValue, JsValue>) -> Result<R, IpcError> {
    let value = result.map_err(|e| {
        // The host sends a `Failure`; anything else is a fault of the call itself.
        serde_wasm_bindgen::from_value::<Failure>(e.clone())
            .map(IpcError)
            .unwrap_or_else(|_| IpcError::here(e.as_string().unwrap_or_else(|| format!("{e:?}"))))
    })?;
    serde_wasm_bindgen::from_value(value).map_err(IpcError::here)
}

#[derive(Serialize)]
pub(crate) struct NoArgs {}

#[derive(Serialize)]
struct SearchArgs<'a> {
    request: &'a SearchRequest,
}

#[derive(Serialize)]
struct CodeArgs<'a> {
    code: &'a str,
}

pub async fn search(request: SearchRequest) -> Result<SearchResults, IpcError> {
    invoke(
        civic_types::catalog::commands::SEARCH,
        &SearchArgs { request: &request },
    )
    .await
}

pub async fn procedure(code: String) -> Result<Option<Procedure>, IpcError> {
    invoke(
        civic_types::catalog::commands::PROCEDURE,
        &CodeArgs { code: &code },
    )
    .await
}

pub async fn facets() -> Result<Facets, IpcError> {
    invoke(civic_types::catalog::commands::FACETS, &NoArgs {}).await
}

pub async fn status() -> Result<AppStatus, IpcError> {
    invoke(civic_types::status::commands::STATUS, &NoArgs {}).await
}

pub async fn sync_now() -> Result<Option<SyncReport>, IpcError> {
    invoke(civic_types::sync::commands::SYNC_NOW, &NoArgs {}).await
}

#[derive(Serialize)]
struct RequestArgs<'a, T> {
    request: &'a T,
}

/// Scans a PNG or JPEG; `camera_frame` for a live frame (scanned quickly).
pub async fn scan_image(image: &[u8], camera_frame: bool) -> Result<ScanReport, IpcError> {
    let source = if camera_frame {
        qr::CAMERA_FRAME
    } else {
        qr::PHOTO
    };
    invoke_raw(
        qr::commands::SCAN_IMAGE,
        image,
        &[(qr::IMAGE_SOURCE_HEADER, source)],
    )
    .await
}

pub async fn make_board(request: BoardRequest) -> Result<BoardResult, IpcError> {
    invoke(
        civic_types::qr::commands::MAKE_BOARD,
        &RequestArgs { request: &request },
    )
    .await
}

pub async fn session_state() -> Result<SessionState, IpcError> {
    invoke(civic_types::auth::commands::SESSION, &NoArgs {}).await
}

/// Opens the provider's page in the system browser; the outcome arrives as an event.
pub async fn sign_in() -> Result<SignInStarted, IpcError> {
    invoke(civic_types::auth::commands::SIGN_IN, &NoArgs {}).await
}

pub async fn sign_out() -> Result<SessionState, IpcError> {
    invoke(civic_types::auth::commands::SIGN_OUT, &NoArgs {}).await
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

#[derive(Serialize)]
struct TextsArgs<'a> {
    texts: &'a [String],
}

/// Resolves codes the phone's own scanner read.
pub async fn resolve_scanned(texts: &[String]) -> Result<ScanReport, IpcError> {
    invoke(qr::commands::RESOLVE_SCANNED, &TextsArgs { texts }).await
}

#[derive(Serialize)]
struct PhoneScanArgs {
    windowed: bool,
    formats: [&'static str; 1],
}

#[derive(serde::Deserialize)]
struct PhoneScanned {
    content: String,
}

/// The phone's QR scanner (Tauri's barcode-scanner plugin, Android and iOS): the camera
/// permission asked for, then one code read. `None` when the permission is refused.
pub async fn scan_with_phone() -> Result<Option<String>, IpcError> {
    let permission: String =
        invoke("plugin:barcode-scanner|request_permissions", &NoArgs {}).await?;
    if permission != "granted" {
        return Ok(None);
    }
    let args = PhoneScanArgs {
        windowed: false,
        formats: ["QR_CODE"],
    };
    let scanned: PhoneScanned = invoke("plugin:barcode-scanner|scan", &args).await?;
    Ok(Some(scanned.content))
}
