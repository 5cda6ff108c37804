//! The Tauri host. Commands (`commands/<feature>.rs`) are thin: deserialize, call
//! `civic-core`, serialize. This crate is the only one that knows about IPC; the UI reaches
//! it through `civic-ui`'s `ipc` module.

mod auth;
mod camera;
mod commands;
mod reminders;
mod sync;

use civic_core::Civic;
use tauri::Manager;
use tauri_plugin_deep_link::DeepLinkExt;

/// The core, shared by commands, and the sign-in waiting for the browser.
#[derive(Debug)]
pub struct AppState {
    civic: Civic,
    sign_in: auth::Pending,
}

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StartError {
    #[error("cannot find a data directory: {0}")]
    DataDir(#[from] tauri::Error),
    #[error(transparent)]
    Core(#[from] civic_core::CoreError),
}

fn open_state(app: &tauri::App) -> Result<AppState, StartError> {
    // CIVIC_DATA_DIR lets tests and portable installs choose; otherwise the OS's app data dir.
    let dir = match std::env::var_os(civic_core::paths::DATA_DIR_ENV).filter(|d| !d.is_empty()) {
        Some(dir) => dir.into(),
        None => app.path().app_data_dir()?,
    };
    // A mistyped address must not keep the app from starting: it works offline instead.
    let gateway =
        std::env::var(sync::GATEWAY_ENV).ok().filter(
            |address| match civic_core::sync::Gateway::new(address) {
                Ok(_) => true,
                Err(error) => {
                    tracing::warn!(%error, "ignoring the configured gateway");
                    false
                }
            },
        );
    Ok(AppState {
        civic: Civic::open(&dir, gateway.as_deref())?,
        sign_in: auth::Pending::default(),
    })
}

#[cfg_attr(mobile, tauri::mobile_entry_point)]
pub fn run() {
    let builder = tauri::Builder::default()
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_deep_link::init())
        .plugin(tauri_plugin_notification::init());
    // Phones scan with their own camera UI; the texts come back to `resolve_scanned`.
    #[cfg(mobile)]
    let builder = builder.plugin(tauri_plugin_barcode_scanner::init());
    let result = builder
        .setup(|app| {
            let state = open_state(app)?;
            app.manage(state);
            let handle = app.handle().clone();
            app.deep_link()
                .on_open_url(move |event| auth::links_opened(&handle, &event.urls()));
            if let Some(window) = app.get_webview_window("main") {
                camera::enable(&window);
            }
            sync::start_background(app.handle().clone());
            auth::start_renewal(app.handle().clone());
            reminders::start(app.handle().clone());
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::catalog::search_procedures,
            commands::catalog::get_procedure,
            commands::catalog::catalog_facets,
            commands::status::app_status,
            commands::sync::sync_now,
            commands::qr::scan_image,
            commands::qr::make_board,
            commands::qr::resolve_scanned,
            commands::auth::session_state,
            commands::auth::sign_in,
            commands::auth::sign_out,
            commands::feedback::feedback_overview,
            commands::feedback::feedback_form,
            commands::feedback::feedback_report,
            commands::feedback::feedback_save_draft,
            commands::feedback::feedback_attach_photo,
            commands::feedback::feedback_remove_photo,
            commands::feedback::feedback_queue,
            commands::feedback::feedback_discard,
            commands::feedback::feedback_retry,
            commands::feedback::feedback_similar,
            commands::feedback::feedback_follow,
            commands::feedback::feedback_communes,
            commands::bus::bus_overview,
            commands::bus::bus_nearby,
            commands::bus::bus_search_stops,
            commands::bus::bus_departures,
            commands::bus::bus_route,
            commands::bus::bus_plan,
            commands::bus::bus_star,
            commands::parking::parking_overview,
            commands::parking::parking_lots,
            commands::parking::parking_fee,
            commands::parking::parking_start,
            commands::parking::parking_extend,
            commands::parking::parking_stop,
            commands::parking::parking_payment,
        ])
        .run(tauri::generate_context!());
    if let Err(error) = result {
        eprintln!("civic: the app could not start: {error}");
        std::process::exit(1);
    }
}
