//! One stop's next departures: the timetable's time, and what the live data says of each
//! (expected at, cancelled, or the timetable only).

use civic_types::bus::{Live, StarKind};
use dioxus::prelude::*;

use super::{LiveLine, StarButton, calls, live_text, service_clock};
use crate::hooks::use_each_round;
use crate::i18n::t;
use crate::routes::Route;

#[component]
pub fn BusStop(id: String) -> Element {
    let stop_id = id.clone();
    let board = use_each_round(move || {
        let stop_id = stop_id.clone();
        async move { calls::departures(&stop_id).await }
    });
    let mut starred = use_signal(|| None::<bool>);
    let loaded = board.read().clone();
    rsx! {
        match loaded {
            None => rsx! { p { {t("bus-loading")} } },
            Some(Err(error)) => rsx! {
                h1 { {t("bus-stop")} }
                p { class: "error", role: "alert", {error.text()} }
            },
            Some(Ok(board)) => rsx! {
                h1 { "{board.stop_name}" }
                StarButton {
                    kind: StarKind::Stop,
                    id: id.clone(),
                    starred: starred().unwrap_or(board.starred),
                    on_change: move |on| starred.set(Some(on)),
                }
                LiveLine { live: board.live }
                if board.departures.is_empty() {
                    p { id: "bus-no-departures", {t("bus-no-departures")} }
                }
                table { id: "bus-departures", class: "departures",
                    caption { {t("bus-departures")} }
                    thead {
                        tr {
                            th { scope: "col", {t("bus-col-time")} }
                            th { scope: "col", {t("bus-col-route")} }
                            th { scope: "col", {t("bus-col-headsign")} }
                            th { scope: "col", {t("bus-col-live")} }
                        }
                    }
                    tbody {
                        for d in board.departures.clone() {
                            tr { key: "{d.trip_id}-{d.service_date}",
                                class: if d.live == Live::Cancelled { "cancelled" } else { "" },
                                td { "{service_clock(i32::try_from(d.seconds).unwrap_or(i32::MAX))}" }
                                td { Link { to: Route::BusRoutePage { id: d.route_id.clone() }, "{d.route_name}" } }
                                td { "{d.headsign}" }
                                td {
                                    span {
                                        class: match d.live { Live::Expected { .. } => "live-badge", Live::Cancelled => "cancelled-badge", Live::Scheduled => "hint" },
                                        {live_text(d.live, d.seconds)}
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
