//! What pages of several features share, owned by none of them: the city's clock, the sync
//! rounds a page re-reads on, the device's position, and the "re-read each round, then
//! loading / error / ready" shape of a page over one host call. A feature's pages import
//! these, never another feature's.

use std::future::Future;

use civic_types::{
    status::AppStatus,
    sync::{SyncState, SyncStatus},
};
use dioxus::prelude::*;

use crate::i18n::t;
use crate::ipc::IpcError;

/// The city's clock for dates (the banner's status says which zone).
pub(crate) fn use_city_zone() -> String {
    let status = use_context::<Resource<Result<AppStatus, IpcError>>>();
    match &*status.read() {
        Some(Ok(status)) => status.sync.time_zone.clone(),
        _ => "Asia/Ho_Chi_Minh".to_owned(),
    }
}

/// Changes each time a sync round ends, so pages re-read what it may have changed.
pub(crate) fn use_sync_rounds() -> Memo<Option<Option<i64>>> {
    let live = use_context::<Signal<Option<SyncStatus>>>();
    use_memo(move || {
        live.read()
            .as_ref()
            .filter(|s| !matches!(s.state, SyncState::Syncing { .. }))
            .map(|s| s.last_checked)
    })
}

/// `fetch` run now and again after every sync round.
pub(crate) fn use_each_round<T, F, Fut>(mut fetch: F) -> Resource<Result<T, IpcError>>
where
    T: 'static,
    F: FnMut() -> Fut + 'static,
    Fut: Future<Output = Result<T, IpcError>> + 'static,
{
    let rounds = use_sync_rounds();
    use_resource(move || {
        let _ = rounds.read();
        fetch()
    })
}

/// A host call's answer as a page shows it: `loading` (a message id) until it comes, its
/// error as an alert, else what `ready` draws.
pub(crate) fn loaded<T>(
    answer: Option<Result<T, IpcError>>,
    loading: &str,
    ready: impl FnOnce(T) -> Element,
) -> Element {
    match answer {
        None => waiting(loading),
        Some(Err(error)) => failed(&error),
        Some(Ok(value)) => ready(value),
    }
}

/// Apart from [`loaded`], so each page's instance of it does not carry its own copy.
fn waiting(loading: &str) -> Element {
    rsx! { p { {t(loading)} } }
}

fn failed(error: &IpcError) -> Element {
    rsx! { p { class: "error", role: "alert", {error.text()} } }
}

/// The device's position from the webview's geolocation, if it has one and may tell.
pub(crate) async fn device_position() -> Option<(f64, f64)> {
    let geolocation = web_sys::window()?.navigator().geolocation().ok()?;
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        if geolocation
            .get_current_position_with_error_callback(&resolve, Some(&reject))
            .is_err()
        {
            let _ = reject.call0(&wasm_bindgen::JsValue::NULL);
        }
    });
    let position = wasm_bindgen_futures::JsFuture::from(promise).await.ok()?;
    let coords = js_sys::Reflect::get(&position, &"coords".into()).ok()?;
    let read = |name: &str| js_sys::Reflect::get(&coords, &name.into()).ok()?.as_f64();
    Some((read("latitude")?, read("longitude")?))
}
