//! The journey planner: two stops picked by name (accents optional), journeys leaving now,
//! fewest rides first, each with its rides and walks.

use civic_types::bus::{Leg, StopSummary};
use dioxus::prelude::*;
use fluent_bundle::FluentValue;

use super::{calls, service_clock};
use crate::i18n::{t, t_args};

#[component]
pub fn BusPlan() -> Element {
    let from = use_signal(|| None::<StopSummary>);
    let to = use_signal(|| None::<StopSummary>);
    let mut result = use_signal(|| None::<Result<civic_types::bus::Plan, String>>);
    let names = move |id: &str| {
        [from(), to()]
            .into_iter()
            .flatten()
            .find(|s| s.id == id)
            .map_or_else(|| id.to_owned(), |s| s.name)
    };
    rsx! {
        h1 { {t("bus-plan")} }
        StopPicker { field: "from", label: t("bus-plan-from"), chosen: from }
        StopPicker { field: "to", label: t("bus-plan-to"), chosen: to }
        button {
            class: "primary-button",
            id: "bus-plan-go",
            disabled: from().is_none() || to().is_none(),
            onclick: move |_| async move {
                let (Some(a), Some(b)) = (from(), to()) else { return };
                result.set(Some(calls::plan(&a.id, &b.id).await.map_err(|e| e.text())));
            },
            {t("bus-plan-go")}
        }
        match result() {
            None => rsx! {},
            Some(Err(text)) => rsx! { p { class: "error", role: "alert", {text} } },
            Some(Ok(plan)) if plan.journeys.is_empty() => rsx! { p { id: "bus-plan-none", role: "status", {t("bus-plan-none")} } },
            Some(Ok(plan)) => rsx! {
                ol { id: "bus-journeys", aria_label: t("bus-plan-results"),
                    for (n, journey) in plan.journeys.into_iter().enumerate() {
                        li { key: "{n}", class: "card",
                            h2 {
                                {t_args("bus-journey", &[
                                    ("arrival", FluentValue::from(service_clock(journey.arrival))),
                                    ("rides", FluentValue::from(journey.rides)),
                                ])}
                            }
                            ul {
                                for (i, leg) in journey.legs.into_iter().enumerate() {
                                    li { key: "{i}",
                                        match leg {
                                            Leg::Ride { route_name, from, to, depart, arrive, .. } => t_args("bus-leg-ride", &[
                                                ("route", FluentValue::from(route_name)),
                                                ("from", FluentValue::from(names(&from))),
                                                ("to", FluentValue::from(names(&to))),
                                                ("depart", FluentValue::from(service_clock(depart))),
                                                ("arrive", FluentValue::from(service_clock(arrive))),
                                            ]),
                                            Leg::Walk { from, to, seconds } => t_args("bus-leg-walk", &[
                                                ("from", FluentValue::from(names(&from))),
                                                ("to", FluentValue::from(names(&to))),
                                                ("minutes", FluentValue::from((seconds + 59) / 60)),
                                            ]),
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            },
        }
    }
}

/// A stop chosen from the names matching what was typed.
#[component]
fn StopPicker(field: &'static str, label: String, chosen: Signal<Option<StopSummary>>) -> Element {
    let mut query = use_signal(String::new);
    let found = super::use_stop_search(query);
    let input_id = format!("bus-plan-{field}");
    rsx! {
        fieldset { class: "stop-picker",
            legend { "{label}" }
            if let Some(stop) = chosen() {
                p { id: "{input_id}-chosen", role: "status",
                    {t_args("bus-plan-chosen", &[("name", FluentValue::from(stop.name.clone()))])}
                    " "
                    button { class: "link-button", onclick: move |_| chosen.set(None), {t("bus-plan-change")} }
                }
            } else {
                label { r#for: "{input_id}", {t("bus-search-label")} }
                input {
                    id: "{input_id}",
                    r#type: "search",
                    value: "{query}",
                    oninput: move |e| query.set(e.value()),
                }
                if let Some(Ok(stops)) = found.read().clone() {
                    ul { id: "{input_id}-results", class: "stop-list",
                        for stop in stops {
                            li { key: "{stop.id}",
                                button {
                                    class: "link-button",
                                    onclick: {
                                        let stop = stop.clone();
                                        move |_| chosen.set(Some(stop.clone()))
                                    },
                                    "{stop.name}"
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
