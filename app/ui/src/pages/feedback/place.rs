//! Where a report is: the device's position, the photo's (see the editor), a pin on the
//! city's map drawn here without tiles or network, a typed address, and the commune picker
//! over the 2025 units (matched as procedure search matches: accents optional).

use civic_types::{
    city::CityMap,
    feedback::{CommuneChoice, ReportPlace},
};
use dioxus::prelude::*;
use fluent_bundle::FluentValue;
use wasm_bindgen::JsCast;

use super::calls;
use crate::hooks::device_position;
use crate::i18n::{t, t_args};

/// Zoom steps: each halves the span shown.
const MAX_ZOOM: i32 = 7;
/// An arrow press moves the pin by this share of the span shown.
const STEP_SHARE: f64 = 0.05;

#[component]
pub fn PlacePicker(place: Signal<ReportPlace>, map: Option<CityMap>) -> Element {
    let mut locating = use_signal(|| false);
    let mut problem = use_signal(|| None::<String>);
    let mut commune_query = use_signal(String::new);
    let choices = use_resource(move || {
        let query = commune_query.read().clone();
        async move {
            if query.trim().chars().count() < 2 {
                return Vec::new();
            }
            calls::communes(&query).await.unwrap_or_default()
        }
    });
    let current = place.read().clone();
    rsx! {
        fieldset { class: "checklist", id: "report-place",
            legend { {t("report-place")} }
            p { id: "report-place-now", aria_live: "polite",
                match current.lat.zip(current.lon) {
                    Some((lat, lon)) => t_args("report-place-point", &[("lat", FluentValue::from(format!("{lat:.5}"))), ("lon", FluentValue::from(format!("{lon:.5}")))]),
                    None => t("report-place-no-point"),
                }
            }
            button {
                r#type: "button",
                class: "link-button",
                id: "report-locate",
                disabled: locating(),
                onclick: move |_| async move {
                    locating.set(true);
                    problem.set(None);
                    match device_position().await {
                        Some((lat, lon)) => place.with_mut(|p| { p.lat = Some(lat); p.lon = Some(lon); }),
                        None => problem.set(Some(t("report-locate-failed"))),
                    }
                    locating.set(false);
                },
                if locating() { {t("report-locating")} } else { {t("report-locate")} }
            }
            if current.lat.is_some() {
                button {
                    r#type: "button",
                    class: "link-button",
                    onclick: move |_| place.with_mut(|p| { p.lat = None; p.lon = None; }),
                    {t("report-place-clear-point")}
                }
            }
            if let Some(problem) = problem() { p { class: "error", role: "alert", {problem} } }
            if let Some(map) = map {
                MapPin { map, place }
            }
            label { r#for: "report-address", {t("report-address")} }
            input {
                id: "report-address",
                value: current.address.clone().unwrap_or_default(),
                maxlength: "500",
                oninput: move |event| {
                    let typed = event.value();
                    place.with_mut(|p| p.address = Some(typed).filter(|a| !a.trim().is_empty()));
                },
            }
            label { r#for: "report-commune", {t("report-commune")} }
            input {
                id: "report-commune",
                r#type: "search",
                autocomplete: "off",
                aria_describedby: "report-commune-hint",
                value: "{commune_query}",
                oninput: move |event| commune_query.set(event.value()),
            }
            p { class: "hint", id: "report-commune-hint", {t("report-commune-hint")} }
            if let Some(code) = current.address_id.clone() {
                p { id: "report-commune-chosen",
                    {t_args("report-commune-chosen", &[("code", FluentValue::from(code))])}
                    " "
                    button {
                        r#type: "button",
                        class: "link-button",
                        onclick: move |_| place.with_mut(|p| p.address_id = None),
                        {t("report-commune-clear")}
                    }
                }
            }
            ul { class: "chips", id: "report-commune-choices",
                for choice in choices.read().clone().unwrap_or_default() {
                    CommuneButton { key: "{choice.code}", choice, place, commune_query }
                }
            }
        }
    }
}

#[component]
fn CommuneButton(
    choice: CommuneChoice,
    place: Signal<ReportPlace>,
    commune_query: Signal<String>,
) -> Element {
    let name = choice.name.clone();
    rsx! {
        li {
            button {
                r#type: "button",
                class: "chip",
                "data-code": "{choice.code}",
                onclick: move |_| {
                    let (code, name) = (choice.code.clone(), choice.name.clone());
                    place.with_mut(|p| {
                        p.address_id = Some(code);
                        // The commune's name stands in for an address the resident did not type.
                        if p.address.is_none() {
                            p.address = Some(name);
                        }
                    });
                    commune_query.set(String::new());
                },
                {name}
            }
        }
    }
}

/// The city's box as drawn: longitude scaled by the cosine of the middle latitude, so the
/// map is not stretched.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Projection {
    west: f64,
    north: f64,
    scale_x: f64,
}

impl Projection {
    fn of(map: &CityMap) -> Self {
        Self {
            west: map.west,
            north: map.north,
            scale_x: ((map.south + map.north) / 2.0).to_radians().cos(),
        }
    }
    fn xy(self, lat: f64, lon: f64) -> (f64, f64) {
        ((lon - self.west) * self.scale_x, self.north - lat)
    }
    fn lat_lon(self, x: f64, y: f64) -> (f64, f64) {
        (self.north - y, self.west + x / self.scale_x)
    }
}

/// A pin on the city's map: click (or tap) to put it, arrows to move it, + and − to zoom.
#[component]
fn MapPin(map: CityMap, place: Signal<ReportPlace>) -> Element {
    let projection = Projection::of(&map);
    let (full_w, full_h) = projection.xy(map.south, map.east);
    let mut zoom = use_signal(|| 0_i32);
    let mut center = use_signal(|| {
        let p = place.peek();
        p.lat
            .zip(p.lon)
            .filter(|(lat, lon)| map.contains(*lat, *lon))
            .map_or((full_w / 2.0, full_h / 2.0), |(lat, lon)| {
                projection.xy(lat, lon)
            })
    });
    let factor = 2f64.powi(zoom());
    let (w, h) = (full_w / factor, full_h / factor);
    let (cx, cy) = center();
    let x0 = (cx - w / 2.0).clamp(0.0, full_w - w);
    let y0 = (cy - h / 2.0).clamp(0.0, full_h - h);
    let pin = {
        let p = place.read();
        p.lat
            .zip(p.lon)
            .filter(|(lat, lon)| map.contains(*lat, *lon))
    };
    let nearest = pin.and_then(|(lat, lon)| {
        let (px, py) = projection.xy(lat, lon);
        map.landmarks
            .iter()
            .min_by(|a, b| {
                let d = |l: &civic_types::city::Landmark| {
                    let (x, y) = projection.xy(l.lat, l.lon);
                    (x - px).powi(2) + (y - py).powi(2)
                };
                d(a).total_cmp(&d(b))
            })
            .map(|l| l.name.clone())
    });
    let described = match (&pin, &nearest) {
        (Some((lat, lon)), Some(near)) => t_args(
            "map-pin-near",
            &[
                ("lat", FluentValue::from(format!("{lat:.5}"))),
                ("lon", FluentValue::from(format!("{lon:.5}"))),
                ("place", FluentValue::from(near.clone())),
            ],
        ),
        _ => t("map-no-pin"),
    };
    let mut set_pin = move |x: f64, y: f64| {
        let (lat, lon) = projection.lat_lon(x.clamp(0.0, full_w), y.clamp(0.0, full_h));
        place.with_mut(|p| {
            p.lat = Some((lat * 1e6).round() / 1e6);
            p.lon = Some((lon * 1e6).round() / 1e6);
        });
        center.set((x, y));
    };
    let mut nudge = move |dx: f64, dy: f64| {
        let (x, y) = match pin {
            Some((lat, lon)) => projection.xy(lat, lon),
            None => center(),
        };
        set_pin(x + dx * w * STEP_SHARE, y + dy * h * STEP_SHARE);
    };
    let dot = w / 120.0;
    let label_size = w / 45.0;
    rsx! {
        div { class: "city-map",
            p { class: "hint", id: "map-hint", {t("map-hint")} }
            svg {
                id: "report-map",
                role: "img",
                "aria-label": "{described}",
                "viewBox": "{x0} {y0} {w} {h}",
                "preserveAspectRatio": "xMidYMid meet",
                onclick: move |event| {
                    let (width, height) = element_size("report-map");
                    if width <= 0.0 || height <= 0.0 {
                        return;
                    }
                    let at = event.element_coordinates();
                    // The drawing keeps its shape inside the element: find its box.
                    let s = (width / w).min(height / h);
                    let (ox, oy) = ((width - w * s) / 2.0, (height - h * s) / 2.0);
                    set_pin(x0 + (at.x - ox) / s, y0 + (at.y - oy) / s);
                },
                rect { x: "0", y: "0", width: "{full_w}", height: "{full_h}", class: "map-land" }
                for (x, y, name) in landmarks_drawn(&map, projection, dot, label_size) {
                    circle { cx: "{x}", cy: "{y}", r: "{dot}", class: "map-landmark" }
                    if let Some(name) = name {
                        text { x: "{x + dot * 1.5}", y: "{y + label_size * 0.35}", "font-size": "{label_size}", class: "map-label", {name} }
                    }
                }
                if let Some((lat, lon)) = pin {
                    {
                        let (x, y) = projection.xy(lat, lon);
                        rsx! {
                            circle { cx: "{x}", cy: "{y}", r: "{dot * 2.2}", class: "map-pin" }
                            circle { cx: "{x}", cy: "{y}", r: "{dot * 0.8}", class: "map-pin-core" }
                        }
                    }
                }
            }
            p { id: "map-described", aria_live: "polite", {described.clone()} }
            div { class: "map-controls", role: "group", aria_label: t("map-controls"),
                button { r#type: "button", class: "chip", id: "map-pin-center", onclick: move |_| { let (x, y) = (x0 + w / 2.0, y0 + h / 2.0); set_pin(x, y); }, {t("map-pin-center")} }
                button { r#type: "button", class: "chip", id: "map-north", aria_label: t("map-move-north"), onclick: move |_| nudge(0.0, -1.0), "↑" }
                button { r#type: "button", class: "chip", id: "map-south", aria_label: t("map-move-south"), onclick: move |_| nudge(0.0, 1.0), "↓" }
                button { r#type: "button", class: "chip", id: "map-west", aria_label: t("map-move-west"), onclick: move |_| nudge(-1.0, 0.0), "←" }
                button { r#type: "button", class: "chip", id: "map-east", aria_label: t("map-move-east"), onclick: move |_| nudge(1.0, 0.0), "→" }
                button {
                    r#type: "button", class: "chip", id: "map-zoom-in", aria_label: t("map-zoom-in"),
                    disabled: zoom() >= MAX_ZOOM,
                    onclick: move |_| {
                        if let Some((lat, lon)) = pin { center.set(projection.xy(lat, lon)); }
                        zoom.set((zoom() + 1).min(MAX_ZOOM));
                    },
                    "+"
                }
                button { r#type: "button", class: "chip", id: "map-zoom-out", aria_label: t("map-zoom-out"), disabled: zoom() <= 0, onclick: move |_| zoom.set((zoom() - 1).max(0)), "−" }
            }
        }
    }
}

/// Each landmark's point, and its name where it does not cover a name already drawn (at a
/// low zoom the city centre's landmarks crowd together; zooming in shows them all).
fn landmarks_drawn(
    map: &CityMap,
    projection: Projection,
    dot: f64,
    label_size: f64,
) -> Vec<(f64, f64, Option<String>)> {
    let mut taken: Vec<(f64, f64, f64, f64)> = Vec::new();
    map.landmarks
        .iter()
        .map(|landmark| {
            let (x, y) = projection.xy(landmark.lat, landmark.lon);
            // Roughly the box the name takes: glyphs are about half as wide as they are tall.
            let width = landmark.name.chars().count() as f64 * label_size * 0.55;
            let (left, top) = (x + dot * 1.5, y - label_size * 0.65);
            let (right, bottom) = (left + width, top + label_size * 1.1);
            let clear = taken
                .iter()
                .all(|&(l, t, r, b)| right <= l || left >= r || bottom <= t || top >= b);
            if clear {
                taken.push((left, top, right, bottom));
            }
            (x, y, clear.then(|| landmark.name.clone()))
        })
        .collect()
}

/// The drawn size of element `id`, in CSS px.
fn element_size(id: &str) -> (f64, f64) {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::Element>().ok())
        .map_or((0.0, 0.0), |e| {
            let rect = e.get_bounding_client_rect();
            (rect.width(), rect.height())
        })
}
