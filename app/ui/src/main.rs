//! Civic's user interface (Dioxus, wasm32). Talks to the core only through [`ipc`];
//! every visible string comes from the Fluent files under `assets/locales`.

mod files;
mod format;
mod hooks;
mod i18n;
mod ipc;
mod pages;
mod routes;
mod session;
mod settings;

use civic_types::sync::{SyncState, SyncStatus, events};
use dioxus::prelude::*;
use futures_util::StreamExt;

use i18n::t;
use routes::Route;
use settings::Settings;

fn main() {
    let history = dioxus::web::HashHistory::new(false);
    dioxus::LaunchBuilder::new()
        .with_cfg(dioxus::web::Config::new().history(std::rc::Rc::new(history)))
        .launch(App);
}

#[component]
fn App() -> Element {
    use_context_provider(|| routes::LastScan(Signal::new(None)));
    let settings = use_context_provider(|| Signal::new(Settings::load()));
    // Fetched once; the banner and the home page's tiles both read it.
    let mut status = use_resource(ipc::status);
    use_context_provider(|| status);
    let session = session::use_session_provider();
    // Sync progress as the host reports it; a finished sync refreshes the whole status (and
    // the session: a newly synced city profile may name an identity provider).
    let mut live_sync = use_signal(|| None::<SyncStatus>);
    use_future(move || async move {
        let mut updates = match ipc::subscribe::<SyncStatus>(events::SYNC_STATUS).await {
            Ok(updates) => updates,
            Err(error) => return console_warn(error.detail()),
        };
        while let Some(update) = updates.next().await {
            let finished = !matches!(update.state, SyncState::Syncing { .. });
            live_sync.set(Some(update));
            if finished {
                status.restart();
                session.refresh();
            }
        }
    });
    use_effect(move || settings.read().apply());

    use_context_provider(|| live_sync);
    rsx! { Router::<Route> {} }
}

/// What every page is framed by: the header, the sign-in panel, the status banner.
#[component]
fn Shell() -> Element {
    let status = use_context::<Resource<Result<civic_types::status::AppStatus, ipc::IpcError>>>();
    let live_sync = use_context::<Signal<Option<SyncStatus>>>();
    let route = use_route::<Route>();
    rsx! {
        // The fragment holds the route: the skip link moves focus itself instead.
        a {
            class: "skip-link",
            href: "#main",
            onclick: move |event| {
                event.prevent_default();
                focus_main();
            },
            {t("skip-to-content")}
        }
        header { class: "app-header",
            button {
                class: "brand",
                onclick: move |_| {
                    navigator().push(Route::Home {});
                },
                aria_label: t("nav-home"),
                span { class: "brand-name", {t("app-name")} }
                span { class: "brand-tagline", {t("app-tagline")} }
            }
            div { class: "header-tools",
                session::SessionControl {}
                settings::SettingsBar {}
            }
        }
        session::SignInPanel {}
        if let Some(Ok(status)) = &*status.read() {
            pages::StatusBanner {
                status: status.clone(),
                live: live_sync.read().clone().filter(|s| matches!(s.state, SyncState::Syncing { .. })),
            }
        }
        // Keyed by the page: opening a report marks it seen, so the notice reads again.
        for page in [format!("{route:?}")] {
            pages::feedback::StatusNotice { key: "{page}" }
        }
        main { id: "main", tabindex: "-1",
            Outlet::<Route> {}
        }
    }
}

fn focus_main() {
    use wasm_bindgen::JsCast;
    let main = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("main"))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(main) = main {
        let _ = main.focus();
    }
}

/// For developers only (the browser console); users see the offline banner instead.
fn console_warn(message: &str) {
    web_sys::console::warn_1(&message.into());
}
