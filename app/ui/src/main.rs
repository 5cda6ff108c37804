//! Civic's user interface (Dioxus, wasm32). Talks to the core only through [`ipc`];
//! every visible string comes from the Fluent files under `assets/locales`.

mod format;
mod i18n;
mod ipc;
mod pages;
mod session;
mod settings;

use civic_types::{SyncState, SyncStatus, events};
use dioxus::prelude::*;
use futures_util::StreamExt;

use i18n::t;
use settings::Settings;

/// Where the user is. Kept as plain state rather than URLs: the app has no address bar,
/// and "back" is an explicit button.
#[derive(Debug, Clone, PartialEq)]
pub enum Page {
    Home,
    Search {
        query: String,
    },
    /// `scanned`: the QR code that led here, to say whether it was verified.
    Procedure {
        code: String,
        back_to: Box<Page>,
        scanned: Option<civic_types::ScannedCode>,
    },
    Scan,
    Board,
    /// The signed-in citizen (reached from the header).
    Account,
}

fn main() {
    dioxus::launch(App);
}

#[component]
fn App() -> Element {
    let page = use_context_provider(|| Signal::new(Page::Home));
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

    rsx! {
        a { class: "skip-link", href: "#main", {t("skip-to-content")} }
        header { class: "app-header",
            button {
                class: "brand",
                onclick: move |_| *page.clone().write() = Page::Home,
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
        main { id: "main", tabindex: "-1",
            match page.read().clone() {
                Page::Home => rsx! { pages::Home {} },
                Page::Search { query } => rsx! { pages::Search { initial: query } },
                Page::Procedure { code, back_to, scanned } => rsx! { pages::ProcedurePage { code, back_to: *back_to, scanned } },
                Page::Scan => rsx! { pages::Scan {} },
                Page::Board => rsx! { pages::BoardMaker {} },
                Page::Account => rsx! { pages::AccountPage {} },
            }
        }
    }
}

/// For developers only (the browser console); users see the offline banner instead.
fn console_warn(message: &str) {
    web_sys::console::warn_1(&message.into());
}
