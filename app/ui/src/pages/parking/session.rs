//! One parking session: its plate, zone, times and fee; extend or stop it while it runs;
//! the bank-transfer QR code (VietQR) for what is left to pay, with the amount and the
//! transfer note written out; whether the payment arrived and whether the gateway has it.

use civic_types::parking::{PaymentCode, PaymentState, Session, SessionSync};
use dioxus::prelude::*;
use fluent_bundle::FluentValue;

use super::{calls, kind_label, now, when};
use crate::hooks::{use_city_zone, use_sync_rounds};
use crate::i18n::{t, t_args};
use crate::routes::Route;

pub fn payment_label(session: &Session) -> String {
    let (id, amounts) = session.payment_message();
    t_args(
        id,
        &amounts.map(|(name, amount)| (name, FluentValue::from(crate::format::dong(amount)))),
    )
}

fn sync_label(sync: &SessionSync) -> String {
    let reason = match sync {
        SessionSync::Refused { code } => t(code.message_id()),
        _ => String::new(),
    };
    t_args(sync.message_id(), &[("reason", FluentValue::from(reason))])
}

#[component]
pub fn ParkingSession(id: String) -> Element {
    let rounds = use_sync_rounds();
    // Bumped by the page's own changes, so it reads again at once.
    let mut changed = use_signal(|| 0_u32);
    let overview = use_resource(move || {
        let _ = rounds.read();
        let _ = changed();
        calls::overview()
    });
    let found = overview
        .read()
        .clone()
        .map(|answer| answer.map(|o| o.active.into_iter().chain(o.history).find(|s| s.id == id)));
    rsx! {
        h1 { {t("parking-session")} }
        match found {
            None => rsx! { p { {t("parking-loading")} } },
            Some(Err(error)) => rsx! { p { class: "error", role: "alert", {error.text()} } },
            Some(Ok(None)) => rsx! { p { class: "error", role: "alert", {t("error-session-not-found")} } },
            Some(Ok(Some(session))) => rsx! {
                Details { session: session.clone(), on_change: move |_| changed += 1 }
                if session.payment != PaymentState::Paid && session.payment != PaymentState::Overpaid {
                    Payment { key: "{session.id}-{session.fee.total}-{session.received}", id: session.id.clone() }
                }
            },
        }
        Link { to: Route::Parking {}, id: "parking-back", {t("parking-back")} }
    }
}

#[component]
fn Details(session: Session, on_change: EventHandler<()>) -> Element {
    let zone = use_city_zone();
    let mut error = use_signal(|| None::<String>);
    let running = session.stopped_at.is_none() && session.ends_at > now();
    let id = session.id.clone();
    let change = move |minutes: Option<u32>| {
        let id = id.clone();
        async move {
            let result = match minutes {
                Some(m) => calls::extend(&id, m).await,
                None => calls::stop(&id).await,
            };
            match result {
                Ok(_) => {
                    error.set(None);
                    on_change.call(());
                }
                Err(e) => error.set(Some(e.text())),
            }
        }
    };
    let (extend_30, extend_60, stop) = (change.clone(), change.clone(), change);
    rsx! {
        dl { class: "facts", id: "parking-session-facts",
            dt { {t("parking-plate")} } dd { id: "parking-session-plate", "{session.plate} · {kind_label(session.kind)}" }
            dt { {t("parking-zone")} } dd { "{session.zone_name}" }
            dt { {t("parking-from")} } dd { {when(session.starts_at, &zone)} }
            dt { {t("parking-until")} }
            dd { id: "parking-session-end",
                {when(session.ends_at, &zone)}
                if let Some(stopped) = session.stopped_at {
                    " · "
                    {t_args("parking-stopped-at", &[("time", FluentValue::from(when(stopped, &zone)))])}
                }
            }
            dt { {t("parking-fee")} } dd { id: "parking-session-fee", {crate::format::dong(session.fee.total)} }
            dt { {t("parking-payment")} } dd { span { id: "parking-session-payment", role: "status", {payment_label(&session)} } }
            dt { {t("parking-sync")} } dd { span { id: "parking-session-sync", role: "status", {sync_label(&session.sync)} } }
            dt { {t("parking-reference")} } dd { id: "parking-session-reference", "{session.reference}" }
        }
        if running {
            div { class: "actions", role: "group", aria_label: t("parking-session-actions"),
                button { r#type: "button", class: "chip", id: "parking-extend-30", onclick: move |_| extend_30(Some(30)),
                    {t_args("parking-extend", &[("minutes", FluentValue::from(30))])}
                }
                button { r#type: "button", class: "chip", id: "parking-extend-60", onclick: move |_| extend_60(Some(60)),
                    {t_args("parking-extend", &[("minutes", FluentValue::from(60))])}
                }
                button { r#type: "button", class: "chip", id: "parking-stop", onclick: move |_| stop(None), {t("parking-stop")} }
            }
        }
        if let Some(error) = error() { p { class: "error", role: "alert", id: "parking-session-error", {error} } }
    }
}

/// The VietQR code for what is left to pay, and the same details written out for anyone
/// paying by typing them.
#[component]
fn Payment(id: String) -> Element {
    let code = use_resource(move || {
        let id = id.clone();
        async move { calls::payment(&id).await }
    });
    let loaded = code.read().clone();
    rsx! {
        section { aria_labelledby: "parking-pay-heading", class: "card",
            h2 { id: "parking-pay-heading", {t("parking-pay")} }
            match loaded {
                None => rsx! {},
                Some(Err(e)) => rsx! { p { class: "error", role: "alert", {e.text()} } },
                Some(Ok(code)) => rsx! { PaymentDetails { code } },
            }
        }
    }
}

#[component]
fn PaymentDetails(code: PaymentCode) -> Element {
    use base64::Engine as _;
    let image = format!(
        "data:image/svg+xml;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(code.svg.as_bytes())
    );
    let amount = crate::format::dong(code.amount);
    let alt = t_args(
        "parking-qr-alt",
        &[
            ("amount", FluentValue::from(amount.clone())),
            ("reference", FluentValue::from(code.reference.clone())),
        ],
    );
    rsx! {
        p { class: "hint", {t("parking-pay-hint")} }
        img { id: "parking-qr", class: "payment-qr", src: "{image}", alt: "{alt}", width: "256", height: "256" }
        dl { class: "facts",
            dt { {t("parking-pay-amount")} } dd { id: "parking-pay-amount", strong { "{amount}" } }
            dt { {t("parking-pay-note")} } dd { id: "parking-pay-note", strong { "{code.reference}" } }
            dt { {t("parking-pay-to")} } dd { "{code.payee.name}" }
            dt { {t("parking-pay-account")} } dd { "{code.payee.account}" }
            dt { {t("parking-pay-bank")} } dd { "{code.payee.bin}" }
        }
    }
}
