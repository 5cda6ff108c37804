//! A route's page: its line drawn on the device from the timetable's shapes (no tiles, no
//! network), its stops in order, the vehicles the live data places on it, its alerts.

use civic_types::bus::{RouteView, StarKind};
use dioxus::prelude::*;
use fluent_bundle::FluentValue;

use super::{AlertList, LiveLine, StarButton, calls};
use crate::hooks::use_each_round;
use crate::i18n::{t, t_args};
use crate::routes::Route;

/// The map's drawing size (SVG units); it scales to the page.
const MAP_SIZE: f64 = 1000.0;

#[component]
pub fn BusRoute(id: String) -> Element {
    let route_id = id.clone();
    let view = use_each_round(move || {
        let route_id = route_id.clone();
        async move { calls::route(&route_id).await }
    });
    let mut starred = use_signal(|| None::<bool>);
    let loaded = view.read().clone();
    rsx! {
        match loaded {
            None => rsx! { p { {t("bus-loading")} } },
            Some(Err(error)) => rsx! {
                h1 { {t("bus-route")} }
                p { class: "error", role: "alert", {error.text()} }
            },
            Some(Ok(view)) => rsx! {
                h1 { {t_args("bus-route-heading", &[("name", FluentValue::from(view.route.name.clone()))])} }
                if !view.route.long_name.is_empty() { p { class: "hint", "{view.route.long_name}" } }
                StarButton {
                    kind: StarKind::Route,
                    id: id.clone(),
                    starred: starred().unwrap_or(view.route.starred),
                    on_change: move |on| starred.set(Some(on)),
                }
                LiveLine { live: view.live }
                AlertList { alerts: view.alerts.clone() }
                RouteMap { view: view.clone() }
                if !view.vehicles.is_empty() {
                    section { aria_labelledby: "bus-vehicles-heading",
                        h2 { id: "bus-vehicles-heading", {t("bus-vehicles")} }
                        ul { id: "bus-vehicles",
                            for v in view.vehicles.clone() {
                                li { key: "{v.id}",
                                    {t_args("bus-vehicle", &[
                                        ("vehicle", FluentValue::from(if v.label.is_empty() { v.id.clone() } else { v.label.clone() })),
                                        ("seconds", FluentValue::from(v.age)),
                                    ])}
                                }
                            }
                        }
                    }
                }
                section { aria_labelledby: "bus-route-stops-heading",
                    h2 { id: "bus-route-stops-heading", {t("bus-route-stops")} }
                    ol { id: "bus-route-stops",
                        for stop in view.stops.clone() {
                            li { key: "{stop.id}",
                                Link { to: Route::BusStopPage { id: stop.id.clone() }, "{stop.name}" }
                            }
                        }
                    }
                }
            },
        }
    }
}

/// The line, its stops and its vehicles in one SVG, fitted to the line's box with the
/// longitude scaled by the latitude's cosine so the map is not stretched.
#[component]
fn RouteMap(view: RouteView) -> Element {
    let points: Vec<(f64, f64)> = view
        .path
        .iter()
        .copied()
        .chain(view.stops.iter().map(|s| (s.lat, s.lon)))
        .collect();
    if points.len() < 2 {
        return rsx! {};
    }
    let (mut south, mut north, mut west, mut east) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for (lat, lon) in &points {
        south = south.min(*lat);
        north = north.max(*lat);
        west = west.min(*lon);
        east = east.max(*lon);
    }
    let scale_x = ((south + north) / 2.0).to_radians().cos();
    let span = ((east - west) * scale_x).max(north - south).max(1e-6);
    let xy = move |lat: f64, lon: f64| {
        (
            (lon - west) * scale_x / span * MAP_SIZE * 0.9 + MAP_SIZE * 0.05,
            (north - lat) / span * MAP_SIZE * 0.9 + MAP_SIZE * 0.05,
        )
    };
    // As tall as the line needs: a route running east–west is a wide strip, not a square.
    let height = ((north - south) / span * MAP_SIZE * 0.9 + MAP_SIZE * 0.1).max(MAP_SIZE * 0.3);
    let line: Vec<String> = view
        .path
        .iter()
        .map(|&(lat, lon)| {
            let (x, y) = xy(lat, lon);
            format!("{x:.1},{y:.1}")
        })
        .collect();
    let color = view
        .route
        .color
        .clone()
        .map_or_else(|| "#1a5fb4".to_owned(), |c| format!("#{c}"));
    let label = t_args(
        "bus-map-label",
        &[
            ("name", FluentValue::from(view.route.name.clone())),
            ("stops", FluentValue::from(view.stops.len())),
            ("vehicles", FluentValue::from(view.vehicles.len())),
        ],
    );
    rsx! {
        figure { class: "route-map",
            svg {
                id: "bus-route-map",
                role: "img",
                "aria-label": "{label}",
                view_box: "0 0 {MAP_SIZE} {height:.0}",
                polyline { points: "{line.join(\" \")}", fill: "none", stroke: "{color}", stroke_width: "8", stroke_linejoin: "round" }
                for stop in view.stops.clone() {
                    {
                        let (x, y) = xy(stop.lat, stop.lon);
                        rsx! { circle { key: "{stop.id}", cx: "{x:.1}", cy: "{y:.1}", r: "9", fill: "white", stroke: "#222", stroke_width: "3" } }
                    }
                }
                for vehicle in view.vehicles.clone() {
                    {
                        let (x, y) = xy(vehicle.lat, vehicle.lon);
                        rsx! { rect { key: "{vehicle.id}", class: "vehicle", x: "{x - 14.0:.1}", y: "{y - 14.0:.1}", width: "28", height: "28", rx: "6", fill: "#c01c28" } }
                    }
                }
            }
            figcaption { class: "hint", {t("bus-map-caption")} }
        }
    }
}
