use civic_types::{AppStatus, Feature, Notice};
use dioxus::prelude::*;
use fluent_bundle::FluentValue;

use crate::Page;
use crate::i18n::{t, t_args};

/// The feature tiles. Only features that work in this build are listed (the host says which).
#[component]
pub fn Home() -> Element {
    let mut page = use_context::<Signal<Page>>();
    let status = use_context::<Resource<Result<AppStatus, crate::ipc::IpcError>>>();
    let features: Vec<Feature> = match &*status.read() {
        Some(Ok(s)) => s.features.clone(),
        _ => Vec::new(),
    };
    rsx! {
        h1 { {t("home-heading")} }
        crate::pages::search::SearchBox {
            initial: String::new(),
            on_submit: move |query: String| page.set(Page::Search { query }),
        }
        h2 { class: "visually-hidden", {t("home-features")} }
        ul { class: "tiles",
            for feature in features {
                li {
                    match feature {
                        Feature::Procedures => rsx! {
                            button {
                                class: "tile",
                                id: "tile-procedures",
                                onclick: move |_| page.set(Page::Search { query: String::new() }),
                                span { class: "tile-title", {t("feature-procedures")} }
                                span { class: "tile-hint", {t("feature-procedures-hint")} }
                            }
                        },
                    }
                }
            }
        }
    }
}

/// How fresh the offline data is, and anything the user must be told once.
#[component]
pub fn StatusBanner(status: AppStatus) -> Element {
    let catalog = &status.catalog;
    rsx! {
        div { class: "status", role: "status",
            span { {t_args("offline-data", &[("date", FluentValue::from(catalog.data_date.clone()))])} }
            span { " · " }
            span { {t_args("offline-data-procedures", &[("count", FluentValue::from(catalog.procedures))])} }
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
