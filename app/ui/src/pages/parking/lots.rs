//! Car parks near a place: a zone of the city or the device's position, a kind of
//! vehicle; each with its free spaces and how old that figure is, as a list and on a map
//! drawn on the device (no tiles, no network).

use civic_types::parking::{LotState, LotsNear, NearbyLot, ParkingConfig, VehicleKind};
use dioxus::prelude::*;
use fluent_bundle::FluentValue;

use super::{calls, kind_label, kind_of, kind_value, now, when};
use crate::hooks::{device_position, use_city_zone, use_sync_rounds};
use crate::i18n::{t, t_args};

const MAP_SIZE: f64 = 600.0;

#[component]
pub fn Lots(config: ParkingConfig) -> Element {
    let rounds = use_sync_rounds();
    let first = config.zones.first().map(|z| (z.lat, z.lon, z.name.clone()));
    let mut place = use_signal(move || first);
    let mut kind = use_signal(|| None::<VehicleKind>);
    let mut position_error = use_signal(|| None::<String>);
    let found = use_resource(move || async move {
        let _ = rounds.read();
        let (lat, lon, _) = place()?;
        Some(calls::lots(lat, lon, kind()).await)
    });
    let zones = config.zones.clone();
    rsx! {
        section { aria_labelledby: "parking-lots-heading",
            h2 { id: "parking-lots-heading", {t("parking-lots")} }
            div { class: "lot-filters",
                label { r#for: "parking-near", {t("parking-near")} }
                select {
                    id: "parking-near",
                    onchange: move |e| {
                        let chosen = zones.iter().find(|z| z.id == e.value());
                        if let Some(z) = chosen {
                            place.set(Some((z.lat, z.lon, z.name.clone())));
                        }
                    },
                    for z in config.zones.clone() {
                        option { key: "{z.id}", value: "{z.id}", "{z.name}" }
                    }
                }
                button {
                    class: "link-button",
                    id: "parking-near-me",
                    r#type: "button",
                    onclick: move |_| async move {
                        match device_position().await {
                            Some((lat, lon)) => {
                                position_error.set(None);
                                place.set(Some((lat, lon, t("parking-my-position"))));
                            }
                            None => position_error.set(Some(t("parking-no-position"))),
                        }
                    },
                    {t("parking-near-me")}
                }
                if let Some(text) = position_error() { p { class: "notice", role: "status", {text} } }
                label { r#for: "parking-lot-kind", {t("parking-kind")} }
                select {
                    id: "parking-lot-kind",
                    onchange: move |e| kind.set(kind_of(&e.value())),
                    option { value: "", {t("parking-kind-any")} }
                    for k in [VehicleKind::Motorbike, VehicleKind::Car, VehicleKind::Bicycle, VehicleKind::LargeCar] {
                        option { key: "{kind_value(k)}", value: "{kind_value(k)}", {kind_label(k)} }
                    }
                }
            }
            match found.read().clone() {
                Some(Some(Ok(near))) => rsx! {
                    LotList { near: near.clone(), place: place().map(|p| p.2).unwrap_or_default() }
                    if let Some((lat, lon, _)) = place() {
                        LotMap { near, lat, lon }
                    }
                },
                Some(Some(Err(e))) => rsx! { p { class: "error", role: "alert", {e.text()} } },
                _ => rsx! {},
            }
        }
    }
}

fn state_label(state: LotState) -> String {
    t(state.message_id())
}

#[component]
fn LotList(near: LotsNear, place: String) -> Element {
    let zone = use_city_zone();
    let now = now();
    rsx! {
        match near.fetched {
            None => rsx! { p { class: "notice", role: "status", id: "parking-lots-never", {t("parking-lots-never")} } },
            Some(fetched) if near.stale => rsx! {
                p { class: "notice", role: "status", id: "parking-lots-stale",
                    {t_args("parking-lots-stale", &[("time", FluentValue::from(when(fetched, &zone)))])}
                }
            },
            Some(fetched) => rsx! {
                p { class: "hint", id: "parking-lots-age",
                    {t_args("parking-lots-age", &[("time", FluentValue::from(when(fetched, &zone)))])}
                }
            },
        }
        if near.lots.is_empty() {
            p { role: "status", id: "parking-lots-none", {t_args("parking-lots-none", &[("place", FluentValue::from(place))])} }
        }
        ul { id: "parking-lots-list", class: "lot-list",
            for NearbyLot { lot, distance_m } in near.lots.clone() {
                li { key: "{lot.id}", class: "card",
                    h3 { "{lot.name}" }
                    p {
                        strong {
                            match lot.free {
                                Some(free) => t_args("parking-lot-free", &[("free", FluentValue::from(free)), ("capacity", FluentValue::from(lot.capacity))]),
                                None => t_args("parking-lot-free-unknown", &[("capacity", FluentValue::from(lot.capacity))]),
                            }
                        }
                        " · {state_label(lot.state)} · "
                        {t_args("parking-distance", &[("metres", FluentValue::from(distance_m.round()))])}
                    }
                    p { class: "hint",
                        {t_args("parking-lot-updated", &[
                            ("time", FluentValue::from(when(lot.updated, &zone))),
                            ("minutes", FluentValue::from((now - lot.updated).max(0) / 60)),
                        ])}
                        if !lot.hours.is_empty() { " · {lot.hours}" }
                        " · "
                        {lot.kinds.iter().map(|k| kind_label(*k)).collect::<Vec<_>>().join(", ")}
                    }
                }
            }
        }
    }
}

/// The car parks around the place, on a map drawn here: the place at the centre, each car
/// park a dot coloured by whether it has room.
#[component]
fn LotMap(near: LotsNear, lat: f64, lon: f64) -> Element {
    if near.lots.is_empty() {
        return rsx! {};
    }
    let reach = near
        .lots
        .iter()
        .map(|n| n.distance_m)
        .fold(300.0_f64, f64::max)
        // Room around the farthest dot for its name.
        * 1.6;
    let metres_per_degree = 111_320.0;
    let scale_x = lat.to_radians().cos();
    let xy = move |la: f64, lo: f64| {
        let dx = (lo - lon) * scale_x * metres_per_degree;
        let dy = (lat - la) * metres_per_degree;
        (
            MAP_SIZE / 2.0 + dx / reach * MAP_SIZE / 2.0,
            MAP_SIZE / 2.0 + dy / reach * MAP_SIZE / 2.0,
        )
    };
    let label = t_args(
        "parking-map-label",
        &[("count", FluentValue::from(near.lots.len()))],
    );
    rsx! {
        figure { class: "route-map",
            svg {
                id: "parking-map",
                role: "img",
                "aria-label": "{label}",
                view_box: "0 0 {MAP_SIZE} {MAP_SIZE}",
                rect { x: "0", y: "0", width: "{MAP_SIZE}", height: "{MAP_SIZE}", class: "map-land" }
                circle { cx: "{MAP_SIZE / 2.0}", cy: "{MAP_SIZE / 2.0}", r: "12", class: "map-pin" }
                for n in near.lots.clone() {
                    {
                        let (x, y) = xy(n.lot.lat, n.lot.lon);
                        let room = n.lot.state == LotState::Open && n.lot.free.is_some_and(|f| f > 0);
                        rsx! {
                            g { key: "{n.lot.id}",
                                circle { cx: "{x:.1}", cy: "{y:.1}", r: "14", fill: if room { "#26a269" } else { "#5e5c64" }, stroke: "#222", stroke_width: "3" }
                                // A name runs toward the centre, so none leaves the map.
                                if x > MAP_SIZE / 2.0 {
                                    text { x: "{x - 20.0:.1}", y: "{y + 8.0:.1}", "font-size": "22", "text-anchor": "end", class: "map-label", "{n.lot.name}" }
                                } else {
                                    text { x: "{x + 20.0:.1}", y: "{y + 8.0:.1}", "font-size": "22", class: "map-label", "{n.lot.name}" }
                                }
                            }
                        }
                    }
                }
            }
            figcaption { class: "hint", {t("parking-map-caption")} }
        }
    }
}
