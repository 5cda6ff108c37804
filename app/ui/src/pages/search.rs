use civic_types::search::{Facets, Highlight, MatchQuality, SearchFilters, SearchRequest};
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
    let mut filters = use_signal(SearchFilters::default);
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
                    if found.quality == MatchQuality::Weak {
                        // No confident first answer: say so, and offer the fields to browse.
                        div { id: "search-weak", class: "notice", role: "status",
                            p { {t("search-weak")} }
                            if !found.closest_fields.is_empty() {
                                p { id: "closest-fields-label", {t("search-closest-fields")} }
                                ul { class: "chips", aria_labelledby: "closest-fields-label",
                                    for field in found.closest_fields.iter().map(|f| f.value.clone()) {
                                        li { key: "{field}",
                                            button {
                                                class: "chip",
                                                "data-field": "{field}",
                                                onclick: {
                                                    let field = field.clone();
                                                    move |_| filters.write().field = Some(field.clone())
                                                },
                                                "{field}"
                                            }
                                        }
                                    }
                                }
                            }
                        }
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
                                    span { class: "result-name",
                                        HighlightedName { name: hit.name.clone(), highlights: hit.highlights.clone() }
                                    }
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

/// A procedure's name with the words the query matched marked, so a resident sees why it
/// came up. Ranges come from the core on character boundaries; any that do not fit are
/// shown unmarked rather than trusted.
#[component]
pub fn HighlightedName(name: String, highlights: Vec<Highlight>) -> Element {
    let mut parts: Vec<(String, bool)> = Vec::new();
    let mut at = 0;
    for h in &highlights {
        let (start, end) = (h.start as usize, h.end as usize);
        if let (true, Some(before), Some(word)) =
            (start >= at, name.get(at..start), name.get(start..end))
        {
            parts.push((before.to_owned(), false));
            parts.push((word.to_owned(), true));
            at = end;
        }
    }
    parts.push((name.get(at..).unwrap_or_default().to_owned(), false));
    rsx! {
        for (text, marked) in parts {
            if marked {
                mark { "{text}" }
            } else {
                "{text}"
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(name: &str, highlights: Vec<Highlight>) -> String {
        let mut dom = VirtualDom::new_with_props(
            HighlightedName,
            HighlightedNameProps {
                name: name.to_owned(),
                highlights,
            },
        );
        dom.rebuild_in_place();
        dioxus_ssr::render(&dom)
    }

    #[test]
    fn matched_words_are_marked_in_the_name_as_written() {
        let name = "Cấp lại giấy phép lái xe";
        let span = |word: &str| {
            let start = name.find(word).expect("in the name");
            Highlight {
                start: start as u32,
                end: (start + word.len()) as u32,
            }
        };
        let html = render(name, vec![span("Cấp"), span("lái xe")]);
        assert_eq!(html, "<mark>Cấp</mark> lại giấy phép <mark>lái xe</mark>");
    }

    #[test]
    fn ranges_that_do_not_fit_the_name_are_shown_unmarked() {
        let name = "Đăng ký";
        // 1..2 falls inside "Đ" (two bytes); 5..99 runs past the end.
        let bad = vec![
            Highlight { start: 1, end: 2 },
            Highlight { start: 5, end: 99 },
        ];
        assert_eq!(render(name, bad), "Đăng ký");
    }
}
