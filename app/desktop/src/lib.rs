//! The Tauri host. Commands are thin: deserialize, call `civic-core`, serialize. This crate is
//! the only one that knows about IPC; the UI reaches it through `civic-ui`'s `ipc` module.

mod auth;
mod commands;
mod sync;

use std::sync::Mutex;

use civic_core::CatalogStore;
use civic_types::Notice;
use tauri::Manager;
use tauri_plugin_deep_link::DeepLinkExt;

/// The core's state, shared by commands. One catalog connection: SQLite has one writer.
#[derive(Debug)]
pub struct AppState {
    catalog: Mutex<CatalogStore>,
    notices: Vec<Notice>,
    sync: sync::Live,
    /// Where boards made from the app's board page are signed from, if a key is there.
    signing_key: std::path::PathBuf,
    /// Where the identity provider's public metadata is cached (tokens go to the keyring).
    data_dir: std::path::PathBuf,
    sign_in: auth::Pending,
}

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StartError {
    #[error("cannot find a data directory: {0}")]
    DataDir(#[from] tauri::Error),
    #[error("cannot create the data directory: {0}")]
    CreateDir(#[from] std::io::Error),
    #[error(transparent)]
    Catalog(#[from] civic_core::CatalogError),
}

fn open_state(app: &tauri::App) -> Result<AppState, StartError> {
    // CIVIC_DATA_DIR lets tests and portable installs choose; otherwise the OS's app data dir.
    let dir = match std::env::var_os(civic_core::paths::DATA_DIR_ENV).filter(|d| !d.is_empty()) {
        Some(dir) => dir.into(),
        None => app.path().app_data_dir()?,
    };
    std::fs::create_dir_all(&dir)?;
    let opened = CatalogStore::open(&dir.join(civic_core::paths::CATALOG_FILE))?;
    let gateway = sync::configured_gateway(&opened.store);
    Ok(AppState {
        catalog: Mutex::new(opened.store),
        notices: opened.notices,
        sync: sync::Live::new(gateway),
        signing_key: civic_core::paths::signing_key_in(&dir),
        data_dir: dir,
        sign_in: auth::Pending::default(),
    })
}

#[cfg_attr(mobile, tauri::mobile_entry_point)]
pub fn run() {
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_deep_link::init())
        .setup(|app| {
            let state = open_state(app)?;
            app.manage(state);
            let handle = app.handle().clone();
            app.deep_link()
                .on_open_url(move |event| auth::links_opened(&handle, &event.urls()));
            sync::start_background(app.handle().clone());
            auth::start_renewal(app.handle().clone());
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::search_procedures,
            commands::get_procedure,
            commands::catalog_facets,
            commands::app_status,
            commands::sync_now,
            commands::scan_image,
            commands::make_board,
            commands::session_state,
            commands::sign_in,
            commands::sign_out,
        ])
        .run(tauri::generate_context!());
    if let Err(error) = result {
        eprintln!("civic: the app could not start: {error}");
        std::process::exit(1);
    }
}
