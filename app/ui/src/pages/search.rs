use civic_types::search::{Facets, SearchFilters, SearchRequest};
use dioxus::prelude::*;
use fluent_bundle::FluentValue;

use crate::i18n::{t, t_args};
use crate::routes::Route;

const TYPE_AHEAD_LIMIT: u32 = 30;

#[component]
pub fn SearchBox(
    initial: String,
    on_submit: EventHandler<String>,
    on_input: Option<EventHandler<String>>,
) -> Element {
    let mut value = use_signal(|| initial.clone());
    rsx! {
        form {
            class: "search-box",
            role: "search",
            onsubmit: move |event| {
                event.prevent_default();
                on_submit.call(value.read().clone());
            },
            label { r#for: "search-input", {t("search-label")} }
            input {
                id: "search-input",
                r#type: "search",
                autocomplete: "off",
                spellcheck: "false",
                autofocus: true,
                placeholder: t("search-placeholder"),
                aria_describedby: "search-hint",
                value: "{value}",
                oninput: move |event| {
                    value.set(event.value());
                    if let Some(handler) = on_input {
                        handler.call(event.value());
                    }
                },
            }
            p { id: "search-hint", class: "hint", {t("search-hint")} }
        }
    }
}

#[component]
pub fn Search(initial: String) -> Element {
    let mut query = use_signal(|| initial.clone());
    let filters = use_signal(SearchFilters::default);
    let facets = use_resource(crate::ipc::facets);
    // Re-runs on every keystroke and filter change: search is fast enough offline.
    let results = use_resource(move || {
        let request = SearchRequest {
            query: query.read().clone(),
            prefix: true,
            filters: filters.read().clone(),
            limit: TYPE_AHEAD_LIMIT,
        };
        crate::ipc::search(request)
    });
    let current_query = query.read().clone();

    rsx! {
        SearchBox {
            initial: initial.clone(),
            on_submit: move |q: String| query.set(q),
            on_input: move |q: String| query.set(q),
        }
        if let Some(Ok(facets)) = &*facets.read() {
            Filters { facets: facets.clone(), filters }
        }
        section { aria_labelledby: "results-heading", aria_live: "polite",
            match &*results.read() {
                None => rsx! { p { {t("search-loading")} } },
                Some(Err(error)) => rsx! { p { class: "error", role: "alert", {t_args("error-generic", &[("message", FluentValue::from(error.text()))])} } },
                Some(Ok(found)) => rsx! {
                    h2 { id: "results-heading", class: "results-count",
                        {t_args("search-results", &[("count", FluentValue::from(found.hits.len()))])}
                    }
                    if !found.understood_as.is_empty() {
                        p { class: "hint", {t_args("search-understood", &[("query", FluentValue::from(found.understood_as.clone()))])} }
                    }
                    if found.hits.is_empty() {
                        p { {t("search-empty")} }
                    }
                    ol { class: "results",
                        for hit in found.hits.clone() {
                            li { key: "{hit.code}",
                                button {
                                    class: "result",
                                    "data-code": "{hit.code}",
                                    onclick: {
                                        let code = hit.code.clone();
                                        let back = current_query.clone();
                                        move |_| {
                                            // Back from the procedure returns to this query.
                                            let navigator = navigator();
                                            navigator.replace(Route::Search { query: back.clone() });
                                            navigator.push(Route::Procedure { code: code.clone() });
                                        }
                                    },
                                    span { class: "result-name", "{hit.name}" }
                                    span { class: "result-meta", "{hit.code} · {hit.field} · {hit.levels.join(\", \")}" }
                                }
                            }
                        }
                    }
                },
            }
        }
    }
}

#[component]
fn Filters(facets: Facets, filters: Signal<SearchFilters>) -> Element {
    let choose = |value: String| if value.is_empty() { None } else { Some(value) };
    rsx! {
        details { class: "filters",
            summary { {t("filters")} }
            div { class: "filter-grid",
                FilterSelect {
                    id: "filter-field",
                    label: t("filter-field"),
                    options: facets.fields.iter().map(|f| f.value.clone()).collect::<Vec<_>>(),
                    selected: filters.read().field.clone(),
                    on_change: move |v: String| filters.write().field = choose(v),
                }
                FilterSelect {
                    id: "filter-level",
                    label: t("filter-level"),
                    options: facets.levels.iter().map(|f| f.value.clone()).collect::<Vec<_>>(),
                    selected: filters.read().level.clone(),
                    on_change: move |v: String| filters.write().level = choose(v),
                }
                FilterSelect {
                    id: "filter-agency",
                    label: t("filter-agency"),
                    options: facets.agencies.iter().take(300).map(|f| f.value.clone()).collect::<Vec<_>>(),
                    selected: filters.read().agency.clone(),
                    on_change: move |v: String| filters.write().agency = choose(v),
                }
            }
        }
    }
}

#[component]
fn FilterSelect(
    id: String,
    label: String,
    options: Vec<String>,
    selected: Option<String>,
    on_change: EventHandler<String>,
) -> Element {
    rsx! {
        div { class: "filter",
            label { r#for: "{id}", "{label}" }
            select {
                id: "{id}",
                onchange: move |event| on_change.call(event.value()),
                option { value: "", selected: selected.is_none(), {t("filter-any")} }
                for value in options {
                    option { value: "{value}", selected: selected.as_deref() == Some(value.as_str()), "{value}" }
                }
            }
        }
    }
}
