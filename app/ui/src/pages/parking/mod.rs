//! "Gửi xe": car parks near a place with their free spaces (the list last received, its age
//! said; drawn on a map made on the device), street-parking sessions (start, and each
//! session's own page: extend, stop, pay by bank transfer), and the history. Everything
//! reads the device; sessions reach the gateway with the sync rounds.

mod calls;
mod lots;
mod session;

use civic_types::parking::{ParkingConfig, ParkingOverview, Session, VehicleKind};
use dioxus::prelude::*;
use fluent_bundle::FluentValue;

use crate::hooks::{loaded, use_city_zone, use_each_round};
use crate::i18n::{t, t_args};
use crate::routes::Route;

pub use session::ParkingSession;

/// A time on the city's clock.
fn when(unix: i64, zone: &str) -> String {
    crate::format::local_time(unix, crate::i18n::LANG.read().code(), zone)
}

fn kind_label(kind: VehicleKind) -> String {
    t(kind.message_id())
}

fn kind_value(kind: VehicleKind) -> &'static str {
    match kind {
        VehicleKind::Bicycle => "bicycle",
        VehicleKind::Motorbike => "motorbike",
        VehicleKind::Car => "car",
        VehicleKind::LargeCar => "large-car",
    }
}

fn kind_of(value: &str) -> Option<VehicleKind> {
    [
        VehicleKind::Bicycle,
        VehicleKind::Motorbike,
        VehicleKind::Car,
        VehicleKind::LargeCar,
    ]
    .into_iter()
    .find(|k| kind_value(*k) == value)
}

fn now() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

#[component]
pub fn ParkingHome() -> Element {
    let overview = use_each_round(calls::overview);
    let answer = overview.read().clone();
    rsx! {
        h1 { {t("parking-heading")} }
        {loaded(answer, "parking-loading", |overview| rsx! { Overview { overview } })}
    }
}

#[component]
fn Overview(overview: ParkingOverview) -> Element {
    let zone = use_city_zone();
    let Some(config) = overview.config.clone() else {
        return rsx! {
            p { class: "notice", role: "status", id: "parking-not-offered", {t("parking-not-offered")} }
        };
    };
    let now = now();
    rsx! {
        section { aria_labelledby: "parking-active-heading",
            h2 { id: "parking-active-heading", {t("parking-active")} }
            if overview.active.is_empty() {
                p { class: "hint", id: "parking-active-none", {t("parking-active-none")} }
            }
            for session in overview.active.clone() {
                if session.ending_soon(now, config.reminder_minutes) {
                    p { key: "soon-{session.id}", class: "notice", role: "status",
                        {t_args("parking-ending-soon", &[
                            ("plate", FluentValue::from(session.plate.clone())),
                            ("time", FluentValue::from(when(session.ends_at, &zone))),
                        ])}
                    }
                }
            }
            SessionList { sessions: overview.active.clone(), list_id: "parking-active-list" }
        }
        StartForm { config: config.clone() }
        lots::Lots { config: config.clone() }
        section { aria_labelledby: "parking-history-heading",
            h2 { id: "parking-history-heading", {t("parking-history")} }
            if overview.history.is_empty() {
                p { class: "hint", {t("parking-history-none")} }
            }
            SessionList { sessions: overview.history.clone(), list_id: "parking-history-list" }
        }
    }
}

/// Sessions as links to their pages.
#[component]
fn SessionList(sessions: Vec<Session>, list_id: String) -> Element {
    let zone = use_city_zone();
    rsx! {
        ul { id: "{list_id}", class: "session-list",
            for s in sessions {
                li { key: "{s.id}",
                    Link { to: Route::ParkingSessionPage { id: s.id.clone() },
                        "{s.plate} · {s.zone_name}"
                    }
                    span { class: "hint",
                        " · {when(s.starts_at, &zone)} → {when(s.end(), &zone)} · "
                        {crate::format::dong(s.fee.total)}
                        " · "
                        {session::payment_label(&s)}
                    }
                }
            }
        }
    }
}

/// The kind chosen, or the zone's first when the zone does not take it.
fn chosen_kind(config: &ParkingConfig, zone: &str, kind: VehicleKind) -> VehicleKind {
    let kinds = config.zone_kinds(zone).unwrap_or_default();
    if kinds.contains(&kind) {
        kind
    } else {
        kinds.first().copied().unwrap_or(kind)
    }
}

/// Choices of how long to park, minutes.
const DURATIONS: [u32; 6] = [30, 60, 120, 180, 240, 480];

/// Starts a session: plate, zone, kind, how long; the fee shown before it starts.
#[component]
fn StartForm(config: ParkingConfig) -> Element {
    let first_zone = config
        .zones
        .first()
        .map(|z| z.id.clone())
        .unwrap_or_default();
    let mut plate = use_signal(String::new);
    let mut zone = use_signal(|| first_zone);
    let mut kind = use_signal(|| VehicleKind::Motorbike);
    let mut minutes = use_signal(|| 60_u32);
    let mut error = use_signal(|| None::<String>);
    let kinds = config.zone_kinds(&zone()).unwrap_or_default();
    let rules = config.clone();
    let quote = use_resource(move || {
        let kind = chosen_kind(&rules, &zone(), kind());
        async move {
            let typed = plate();
            if typed.trim().is_empty() {
                return None;
            }
            Some(calls::fee(&typed, &zone(), kind, minutes()).await)
        }
    });
    let shown = chosen_kind(&config, &zone(), kind());
    rsx! {
        section { aria_labelledby: "parking-start-heading", class: "card",
            h2 { id: "parking-start-heading", {t("parking-start")} }
            form {
                class: "report-form",
                onsubmit: move |event| {
                    event.prevent_default();
                    let kind = shown;
                    async move {
                        match calls::start(&plate(), &zone(), kind, minutes()).await {
                            Ok(session) => {
                                error.set(None);
                                navigator().push(Route::ParkingSessionPage { id: session.id });
                            }
                            Err(e) => error.set(Some(e.text())),
                        }
                    }
                },
                label { r#for: "parking-plate", {t("parking-plate")} }
                input {
                    id: "parking-plate",
                    r#type: "text",
                    autocomplete: "off",
                    "aria-describedby": "parking-plate-hint",
                    value: "{plate}",
                    oninput: move |e| plate.set(e.value()),
                }
                p { class: "hint", id: "parking-plate-hint", {t("parking-plate-hint")} }
                label { r#for: "parking-zone", {t("parking-zone")} }
                select {
                    id: "parking-zone",
                    onchange: move |e| zone.set(e.value()),
                    for z in config.zones.clone() {
                        option { key: "{z.id}", value: "{z.id}", selected: z.id == zone(), "{z.name}" }
                    }
                }
                label { r#for: "parking-kind", {t("parking-kind")} }
                select {
                    id: "parking-kind",
                    onchange: move |e| {
                        if let Some(k) = kind_of(&e.value()) {
                            kind.set(k);
                        }
                    },
                    for k in kinds {
                        option { key: "{kind_value(k)}", value: "{kind_value(k)}", selected: k == shown, {kind_label(k)} }
                    }
                }
                label { r#for: "parking-minutes", {t("parking-duration")} }
                select {
                    id: "parking-minutes",
                    onchange: move |e| {
                        if let Ok(m) = e.value().parse() {
                            minutes.set(m);
                        }
                    },
                    for m in DURATIONS {
                        option { key: "{m}", value: "{m}", selected: m == minutes(),
                            {t_args("parking-minutes", &[("minutes", FluentValue::from(m))])}
                        }
                    }
                }
                match quote.read().clone() {
                    Some(Some(Ok(fee))) => rsx! {
                        p { id: "parking-quote", aria_live: "polite",
                            {t_args("parking-quote", &[("fee", FluentValue::from(crate::format::dong(fee.total)))])}
                        }
                    },
                    Some(Some(Err(e))) => rsx! { p { class: "hint", id: "parking-quote", aria_live: "polite", {e.text()} } },
                    _ => rsx! {},
                }
                button { r#type: "submit", class: "primary-button", id: "parking-start-button", {t("parking-start-button")} }
                if let Some(error) = error() {
                    p { class: "error", role: "alert", id: "parking-start-error", {error} }
                }
            }
        }
    }
}
