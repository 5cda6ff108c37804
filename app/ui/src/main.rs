//! Civic's user interface (Dioxus, wasm32). Talks to the core only through [`ipc`];
//! every visible string comes from the Fluent files under `assets/locales`.

mod format;
mod i18n;
mod ipc;
mod pages;
mod settings;

use civic_types::{SyncState, SyncStatus};
use dioxus::prelude::*;

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
    // Sync progress as the host reports it; a finished sync refreshes the whole status. The
    // host calls back from outside Dioxus, so updates cross a channel into this task.
    let mut live_sync = use_signal(|| None::<SyncStatus>);
    use_future(move || async move {
        let (sender, mut updates) = futures_channel::mpsc::unbounded::<SyncStatus>();
        let listening = ipc::listen_sync_status(move |update| {
            let _ = sender.unbounded_send(update);
        })
        .await;
        if let Err(error) = listening {
            console_warn(&error.0);
            return;
        }
        while let Some(update) = futures_util::StreamExt::next(&mut updates).await {
            let finished = !matches!(update.state, SyncState::Syncing { .. });
            live_sync.set(Some(update));
            if finished {
                status.restart();
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
            settings::SettingsBar {}
        }
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
            }
        }
    }
}

/// For developers only (the browser console); users see the offline banner instead.
fn console_warn(message: &str) {
    web_sys::console::warn_1(&message.into());
}
