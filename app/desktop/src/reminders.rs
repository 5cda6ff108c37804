//! Parking reminders: every half minute, each session about to end (the city's
//! `reminder_minutes` ahead) is announced once through the system's notifications (Tauri's
//! notification plugin), in Vietnamese unless the system asks for English; the parking
//! page says the same on screen.

use civic_types::parking::Session;
use fluent_bundle::{FluentArgs, FluentBundle, FluentResource};
use tauri::Manager;
use tauri_plugin_notification::NotificationExt;

use crate::AppState;

const VI: &str = include_str!("../../../assets/locales/vi/parking.ftl");
const EN: &str = include_str!("../../../assets/locales/en/parking.ftl");
const EVERY: std::time::Duration = std::time::Duration::from_secs(30);

pub fn start(app: tauri::AppHandle) {
    let spawned = std::thread::Builder::new()
        .name("civic-parking-reminders".into())
        .spawn(move || {
            loop {
                remind(&app);
                std::thread::sleep(EVERY);
            }
        });
    if let Err(error) = spawned {
        tracing::error!(%error, "cannot start parking reminders");
    }
}

fn remind(app: &tauri::AppHandle) {
    let civic = &app.state::<AppState>().civic;
    let due = match civic.parking().due_reminders(civic_core::time::now_unix()) {
        Ok(due) => due,
        Err(error) => {
            tracing::warn!(%error, "cannot read parking sessions");
            return;
        }
    };
    let zone = civic
        .city()
        .profile()
        .and_then(|p| civic_core::time::zone(&p.time_zone).ok())
        .unwrap_or_else(civic_core::time::vietnam);
    for session in due {
        let (title, body) = text(&session, &zone);
        if let Err(error) = app.notification().builder().title(title).body(body).show() {
            // No notification service (a bare desktop session): the page still says it.
            tracing::warn!(%error, "cannot show a parking reminder");
        }
    }
}

/// The reminder's title and body in the system's language.
fn text(session: &Session, zone: &jiff::tz::TimeZone) -> (String, String) {
    let english = std::env::var("LANG").is_ok_and(|l| l.starts_with("en"));
    let (source, lang) = if english {
        (EN, unic_langid::langid!("en"))
    } else {
        (VI, unic_langid::langid!("vi"))
    };
    let mut bundle = FluentBundle::new(vec![lang]);
    bundle.set_use_isolating(false);
    if let Ok(resource) = FluentResource::try_new(source.to_owned()) {
        let _ = bundle.add_resource(resource);
    }
    let mut args = FluentArgs::new();
    args.set("plate", session.plate.clone());
    args.set("zone", session.zone_name.clone());
    let end = jiff::Timestamp::from_second(session.ends_at)
        .map(|t| {
            t.to_zoned_datetime(zone.clone())
                .strftime("%H:%M")
                .to_string()
        })
        .unwrap_or_default();
    args.set("time", end);
    let format = |id: &str| {
        bundle
            .get_message(id)
            .and_then(|m| m.value())
            .map(|pattern| {
                bundle
                    .format_pattern(pattern, Some(&args), &mut Vec::new())
                    .into_owned()
            })
            .unwrap_or_else(|| id.to_owned())
    };
    (
        format("parking-reminder-title"),
        format("parking-reminder-body"),
    )
}
