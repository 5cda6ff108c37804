use civic_types::{
    status::{AppStatus, Feature, Notice},
    sync::{SyncState, SyncStatus},
};
use dioxus::prelude::*;
use fluent_bundle::FluentValue;

use crate::i18n::{t, t_args};
use crate::routes::Route;

/// The feature tiles. Only features that work in this build are listed (the host says which).
#[component]
pub fn Home() -> Element {
    let status = use_context::<Resource<Result<AppStatus, crate::ipc::IpcError>>>();
    let features: Vec<Feature> = match &*status.read() {
        Some(Ok(s)) => s.features.clone(),
        _ => Vec::new(),
    };
    rsx! {
        h1 { {t("home-heading")} }
        crate::pages::search::SearchBox {
            initial: String::new(),
            on_submit: move |query: String| {
                navigator().push(Route::Search { query });
            },
        }
        h2 { class: "visually-hidden", {t("home-features")} }
        ul { class: "tiles",
            for feature in features {
                // The host lists only features this build has pages for.
                match feature {
                    Feature::Procedures => rsx! { Tile { id: "tile-procedures", title: "feature-procedures", hint: "feature-procedures-hint", to: Route::Search { query: String::new() } } },
                    Feature::Feedback => rsx! { Tile { id: "tile-feedback", title: "feature-feedback", hint: "feature-feedback-hint", to: Route::Feedback {} } },
                    Feature::Bus => rsx! { Tile { id: "tile-bus", title: "feature-bus", hint: "feature-bus-hint", to: Route::Bus {} } },
                    Feature::Parking => rsx! { Tile { id: "tile-parking", title: "feature-parking", hint: "feature-parking-hint", to: Route::Parking {} } },
                    Feature::Unknown => rsx! {},
                }
            }
            // QR codes work offline in every city.
            Tile { id: "tile-scan", title: "feature-scan", hint: "feature-scan-hint", to: Route::Scan {} }
            Tile { id: "tile-board", title: "feature-board", hint: "feature-board-hint", to: Route::Board {} }
        }
    }
}

/// A feature's tile on the home page: its name (message `title`), what it is for (`hint`),
/// and the page it opens.
#[component]
fn Tile(id: &'static str, title: &'static str, hint: &'static str, to: Route) -> Element {
    rsx! {
        li {
            button {
                class: "tile",
                id,
                onclick: move |_| {
                    navigator().push(to.clone());
                },
                span { class: "tile-title", {t(title)} }
                span { class: "tile-hint", {t(hint)} }
            }
        }
    }
}

/// How fresh the offline data is, where it came from, and anything the user must be told once.
/// `live` carries progress while a sync is under way.
#[component]
pub fn StatusBanner(status: AppStatus, live: Option<SyncStatus>) -> Element {
    let catalog = &status.catalog;
    let sync = live.unwrap_or_else(|| status.sync.clone());
    let mut syncing_by_hand = use_signal(|| false);
    let lang = crate::i18n::LANG.read().code();
    rsx! {
        div { class: "status", role: "status",
            if let Some(city) = &sync.city {
                span { class: "status-city", {city.get(lang).to_owned()} }
                span { " · " }
            }
            span { {t_args("offline-data", &[("date", FluentValue::from(catalog.data_date.clone()))])} }
            span { " · " }
            span { {t_args("offline-data-procedures", &[("count", FluentValue::from(catalog.procedures))])} }
            span { " · " }
            span { id: "last-updated",
                match sync.last_checked {
                    Some(at) => t_args("sync-last-checked", &[("time", FluentValue::from(crate::format::local_time(at, lang, &sync.time_zone)))]),
                    None => t("sync-never"),
                }
            }
            if sync.gateway.is_some() {
                button {
                    class: "link-button",
                    id: "sync-now",
                    disabled: matches!(sync.state, SyncState::Syncing { .. }) || syncing_by_hand(),
                    // The outcome arrives as sync-status events, like a background sync's.
                    onclick: move |_| async move {
                        syncing_by_hand.set(true);
                        let _ = crate::ipc::sync_now().await;
                        syncing_by_hand.set(false);
                    },
                    {t("sync-now")}
                }
            }
        }
        match &sync.state {
            SyncState::Syncing { received, total } => rsx! {
                div { class: "sync-progress",
                    label { r#for: "sync-progress-bar", {t("sync-in-progress")} }
                    match total {
                        Some(total) => rsx! { progress { id: "sync-progress-bar", max: "{total}", value: "{received}" } },
                        None => rsx! { progress { id: "sync-progress-bar" } },
                    }
                }
            },
            SyncState::Offline => rsx! {
                div { class: "notice", id: "offline-banner", role: "status", {t("sync-offline")} }
            },
            SyncState::Failed { code } => rsx! {
                div { class: "notice", role: "alert", {t_args("sync-failed", &[("reason", FluentValue::from(t(code.message_id())))])} }
            },
            SyncState::Idle => rsx! {},
        }
        if sync.stale {
            div { class: "notice", id: "stale-banner", role: "status", {t("sync-stale")} }
        }
        for notice in status.notices.iter().copied() {
            div { class: "notice", role: "alert",
                match notice {
                    Notice::CatalogRebuilt => t("notice-catalog-rebuilt"),
                }
            }
        }
    }
}

/// A link to a page this version does not have (an old bookmark, a newer app's link).
#[component]
pub fn NotFound() -> Element {
    rsx! {
        h1 { {t("page-not-found")} }
        button {
            class: "primary-button",
            onclick: move |_| {
                navigator().replace(Route::Home {});
            },
            {t("nav-home")}
        }
    }
}
