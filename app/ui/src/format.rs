//! Turning catalog values into words, through the Fluent messages.

use civic_types::catalog::{ChannelKind, Currency, Fee, ProcessingTime, TimeUnit};
use dioxus::prelude::*;
use fluent_bundle::FluentValue;

use crate::i18n::{LANG, Lang, t, t_args};

pub fn channel(kind: ChannelKind) -> String {
    t(match kind {
        ChannelKind::InPerson => "channel-in-person",
        ChannelKind::Online => "channel-online",
        ChannelKind::Postal => "channel-postal",
    })
}

pub fn time(time: &ProcessingTime) -> String {
    match time {
        ProcessingTime::Duration { amount, unit } => {
            let id = match unit {
                TimeUnit::WorkingDays => "time-working-days",
                TimeUnit::Days => "time-days",
                TimeUnit::WorkingHours => "time-working-hours",
                TimeUnit::Hours => "time-hours",
                TimeUnit::Months => "time-months",
                TimeUnit::Years => "time-years",
                TimeUnit::Unspecified => "time-unspecified",
            };
            t_args(id, &[("amount", FluentValue::from(amount.to_string()))])
        }
        ProcessingTime::NotStated => t("time-not-stated"),
        ProcessingTime::Text { text } => text.clone(),
    }
}

/// "100.000 đồng" in Vietnamese, "100,000 VND" in English.
pub fn fee(fee: &Fee) -> String {
    match fee {
        Fee::Free => t("fee-free"),
        Fee::NotStated => t("fee-not-stated"),
        Fee::Amount {
            label,
            amount,
            currency,
            note,
        } => {
            let value = match (amount, currency) {
                (Some(a), Currency::Vnd) => {
                    t_args("fee-amount-vnd", &[("amount", group_thousands(*a).into())])
                }
                (Some(a), Currency::Usd) => {
                    let dollars = if a % 100 == 0 {
                        (a / 100).to_string()
                    } else {
                        format!("{}.{:02}", a / 100, a % 100)
                    };
                    t_args("fee-amount-usd", &[("amount", dollars.into())])
                }
                (None, _) => t("fee-see-note"),
            };
            let mut text = match label {
                Some(label) => format!("{label}: {value}"),
                None => value,
            };
            if let Some(note) = note {
                text.push_str(&format!(" ({note})"));
            }
            text
        }
    }
}

/// An amount of đồng: "4.000 đồng" in Vietnamese, "4,000 VND" in English.
pub fn dong(amount: u64) -> String {
    t_args(
        "fee-amount-vnd",
        &[("amount", group_thousands(amount).into())],
    )
}

fn group_thousands(n: u64) -> String {
    let separator = if *LANG.read() == Lang::Vi { '.' } else { ',' };
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(c);
    }
    out
}

/// A Unix time as the user's language writes dates and times, on the city's clock
/// (`time_zone`, an IANA name the core has checked).
pub fn local_time(unix_seconds: i64, lang: &str, time_zone: &str) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(
        unix_seconds as f64 * 1000.0,
    ));
    let locale = if lang == "en" { "en-GB" } else { "vi-VN" };
    // The city's clock, not the device's: a helper's laptop may be set to another zone.
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"timeZone".into(), &time_zone.into());
    date.to_locale_string(locale, &options)
        .as_string()
        .unwrap_or_default()
}

/// An ISO 8601 moment from the network (`2026-12-07T09:30:00+07:00`) as [`local_time`]
/// writes it; as it came when it cannot be read.
pub fn iso_time(iso: &str, lang: &str, time_zone: &str) -> String {
    let millis = js_sys::Date::parse(iso);
    if millis.is_finite() {
        local_time((millis / 1000.0) as i64, lang, time_zone)
    } else {
        iso.to_owned()
    }
}

/// An ISO date (`2026-11-23`) as Vietnamese and British English both write it: `23/11/2026`.
pub fn date(iso: &str) -> String {
    match iso.splitn(3, '-').collect::<Vec<_>>().as_slice() {
        [year, month, day] => format!("{day}/{month}/{year}"),
        _ => iso.to_owned(),
    }
}
