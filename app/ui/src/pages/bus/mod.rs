//! "Xe buýt": the city's buses from the timetable kept on this device. The bus home (the
//! timetable's age, alerts, stop search, nearby stops, starred stops with their next
//! departures), a stop's departures, a route's page with its map, and the journey planner.
//! Live data comes with the sync rounds; pages re-read after each.

mod calls;
mod plan;
mod route;
mod stop;

use civic_types::bus::{Alert, BusOverview, Live, LiveData, StarKind, StopSummary};
use dioxus::prelude::*;
use fluent_bundle::FluentValue;

use crate::hooks::{device_position, loaded, use_city_zone, use_each_round};
use crate::i18n::{t, t_args};
use crate::routes::Route;

pub use plan::BusPlan;
pub use route::BusRoute;
pub use stop::BusStop;

/// A clock time in `zone` (H:MM).
fn clock(unix: i64, zone: &str) -> String {
    crate::format::local_time(unix, crate::i18n::LANG.read().code(), zone)
}

/// Seconds on the service day's clock as H:MM (past 24:00 for trips running on).
fn service_clock(seconds: i32) -> String {
    let seconds = seconds.max(0);
    format!("{}:{:02}", seconds / 3600, seconds % 3600 / 60)
}

/// How old the live data is, in words.
#[component]
fn LiveLine(live: LiveData) -> Element {
    let (class, text) = match live {
        LiveData::Fresh { age } => (
            "live-badge",
            t_args("bus-live-fresh", &[("seconds", FluentValue::from(age))]),
        ),
        LiveData::Stale { .. } => ("notice", t("bus-live-stale")),
        LiveData::Missing => ("hint", t("bus-live-missing")),
    };
    rsx! { p { class: "{class}", id: "bus-live", role: "status", {text} } }
}

/// A departure's live state, in words; `seconds` its time on the service day's clock.
fn live_text(live: Live, seconds: u32) -> String {
    match live {
        Live::Scheduled => t("bus-departure-scheduled"),
        Live::Cancelled => t("bus-departure-cancelled"),
        Live::Expected { delay, .. } => t_args(
            "bus-departure-expected",
            &[
                (
                    "time",
                    FluentValue::from(service_clock(
                        i32::try_from(seconds)
                            .unwrap_or(i32::MAX)
                            .saturating_add(delay),
                    )),
                ),
                ("minutes", FluentValue::from(delay.div_euclid(60))),
            ],
        ),
    }
}

#[component]
fn AlertList(alerts: Vec<Alert>) -> Element {
    rsx! {
        if !alerts.is_empty() {
            section { aria_labelledby: "bus-alerts-heading", class: "bus-alerts",
                h2 { id: "bus-alerts-heading", {t("bus-alerts")} }
                ul {
                    for alert in alerts {
                        li { key: "{alert.id}", class: "notice",
                            strong { "{alert.header}" }
                            if !alert.description.is_empty() { p { "{alert.description}" } }
                        }
                    }
                }
            }
        }
    }
}

/// Stops as links to their pages.
#[component]
fn StopList(stops: Vec<StopSummary>, list_id: String) -> Element {
    rsx! {
        ul { id: "{list_id}", class: "stop-list",
            for stop in stops {
                li { key: "{stop.id}",
                    Link { to: Route::BusStopPage { id: stop.id.clone() },
                        "{stop.name}"
                        if let Some(metres) = stop.distance {
                            " · "
                            {t_args("bus-distance", &[("metres", FluentValue::from(metres.round()))])}
                        }
                    }
                    if !stop.routes.is_empty() {
                        span { class: "hint", " · " {t_args("bus-stop-routes", &[("routes", FluentValue::from(stop.routes.join(", ")))])} }
                    }
                }
            }
        }
    }
}

/// Stars a stop or a route (kept offline, listed first on the bus home).
#[component]
fn StarButton(kind: StarKind, id: String, starred: bool, on_change: EventHandler<bool>) -> Element {
    let mut error = use_signal(|| None::<String>);
    let label = if starred {
        t("bus-unstar")
    } else {
        t("bus-star")
    };
    rsx! {
        button {
            class: "link-button",
            id: "bus-star",
            aria_pressed: "{starred}",
            onclick: move |_| {
                let id = id.clone();
                async move {
                    match calls::star(kind, &id, !starred).await {
                        Ok(()) => on_change.call(!starred),
                        Err(e) => error.set(Some(e.text())),
                    }
                }
            },
            if starred { "★ " } else { "☆ " }
            {label}
        }
        if let Some(error) = error() { p { class: "error", role: "alert", {error} } }
    }
}

/// The bus home.
#[component]
pub fn BusHome() -> Element {
    let overview = use_each_round(calls::overview);
    let answer = overview.read().clone();
    rsx! {
        h1 { {t("bus-heading")} }
        {loaded(answer, "bus-loading", |overview| rsx! { Overview { overview } })}
    }
}

#[component]
fn Overview(overview: BusOverview) -> Element {
    // Hooks before any early return: their order must not change between renders.
    let zone = use_city_zone();
    let Some(timetable) = overview.timetable.clone() else {
        return rsx! { p { class: "notice", id: "bus-no-timetable", role: "status", {t("bus-no-timetable")} } };
    };
    let checked = clock(timetable.checked.unwrap_or(timetable.received), &zone);
    rsx! {
        p { class: "hint", id: "bus-timetable-age",
            {t_args("bus-timetable-age", &[("time", FluentValue::from(checked))])}
        }
        if timetable.stale {
            p { class: "notice", role: "status", id: "bus-timetable-stale", {t("bus-timetable-stale")} }
        }
        LiveLine { live: overview.live }
        AlertList { alerts: overview.alerts.clone() }
        Link { class: "primary-button", id: "bus-plan-link", to: Route::BusPlanPage {}, {t("bus-plan")} }
        StopSearch {}
        Nearby {}
        section { aria_labelledby: "bus-starred-heading",
            h2 { id: "bus-starred-heading", {t("bus-starred")} }
            if overview.stops.is_empty() && overview.routes.is_empty() {
                p { class: "hint", id: "bus-starred-none", {t("bus-starred-none")} }
            }
            for starred in overview.stops.clone() {
                article { key: "{starred.stop.id}", class: "card",
                    h3 { Link { to: Route::BusStopPage { id: starred.stop.id.clone() }, "{starred.stop.name}" } }
                    ul {
                        for d in starred.departures.departures.clone() {
                            li { key: "{d.trip_id}-{d.service_date}",
                                "{service_clock(i32::try_from(d.seconds).unwrap_or(i32::MAX))} · {d.route_name} → {d.headsign} · "
                                span { class: "hint", {live_text(d.live, d.seconds)} }
                            }
                        }
                    }
                }
            }
            if !overview.routes.is_empty() {
                ul { id: "bus-starred-routes",
                    for route in overview.routes.clone() {
                        li { key: "{route.id}",
                            Link { to: Route::BusRoutePage { id: route.id.clone() }, "{route.name} · {route.long_name}" }
                        }
                    }
                }
            }
        }
    }
}

/// Stops matching what is typed in `query`, searched again as it changes.
fn use_stop_search(
    query: Signal<String>,
) -> Resource<Result<Vec<StopSummary>, crate::ipc::IpcError>> {
    use_resource(move || async move {
        let typed = query();
        if typed.trim().is_empty() {
            return Ok(Vec::new());
        }
        calls::search(&typed).await
    })
}

/// Stops by name as typed (accents optional).
#[component]
fn StopSearch() -> Element {
    let mut query = use_signal(String::new);
    let found = use_stop_search(query);
    rsx! {
        section { aria_labelledby: "bus-search-heading", class: "bus-search",
            h2 { id: "bus-search-heading", {t("bus-search")} }
            label { r#for: "bus-search-input", {t("bus-search-label")} }
            input {
                id: "bus-search-input",
                r#type: "search",
                value: "{query}",
                oninput: move |e| query.set(e.value()),
            }
            match found.read().clone() {
                Some(Ok(stops)) if !stops.is_empty() => rsx! { StopList { stops, list_id: "bus-search-results" } },
                Some(Ok(_)) if !query().trim().is_empty() => rsx! { p { class: "hint", role: "status", {t("bus-search-none")} } },
                Some(Err(error)) => rsx! { p { class: "error", role: "alert", {error.text()} } },
                _ => rsx! {},
            }
        }
    }
}

/// Stops around the device's position.
#[component]
fn Nearby() -> Element {
    let mut stops = use_signal(|| None::<Result<Vec<StopSummary>, String>>);
    rsx! {
        section { aria_labelledby: "bus-nearby-heading",
            h2 { id: "bus-nearby-heading", {t("bus-nearby")} }
            button {
                class: "link-button",
                id: "bus-nearby-button",
                onclick: move |_| async move {
                    let answer = match device_position().await {
                        None => Err(t("bus-nearby-no-position")),
                        Some((lat, lon)) => calls::nearby(lat, lon).await.map_err(|e| e.text()),
                    };
                    stops.set(Some(answer));
                },
                {t("bus-nearby-button")}
            }
            match stops() {
                Some(Ok(list)) if list.is_empty() => rsx! { p { role: "status", {t("bus-nearby-none")} } },
                Some(Ok(list)) => rsx! { StopList { stops: list, list_id: "bus-nearby-results" } },
                Some(Err(text)) => rsx! { p { class: "notice", role: "status", {text} } },
                None => rsx! {},
            }
        }
    }
}
