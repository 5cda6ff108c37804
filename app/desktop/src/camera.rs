//! The camera for the scan page. On Linux, WebKitGTK keeps `navigator.mediaDevices` away
//! unless the embedder enables media streams, and asks the embedder about every request:
//! the camera is granted to the app's own pages only, never the microphone, never another
//! origin (the app never navigates elsewhere, but a request from anywhere else is refused).
//! On mobile the barcode-scanner plugin is the camera path (not wired yet); elsewhere the
//! webview asks the user itself.

/// Where the app's own pages are served from in the webview.
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
fn is_app_page(uri: &str) -> bool {
    uri == "tauri://localhost" || uri.starts_with("tauri://localhost/")
}

#[cfg(target_os = "linux")]
pub fn enable(window: &tauri::WebviewWindow) {
    let configured = window.with_webview(|webview| {
        use webkit2gtk::glib::prelude::Cast;
        use webkit2gtk::{
            PermissionRequestExt, SettingsExt, UserMediaPermissionRequest,
            UserMediaPermissionRequestExt, WebViewExt,
        };
        let view = webview.inner();
        if let Some(settings) = WebViewExt::settings(&view) {
            settings.set_enable_media_stream(true);
        }
        view.connect_permission_request(|view, request| {
            let Some(media) = request.downcast_ref::<UserMediaPermissionRequest>() else {
                return false; // not ours to answer: WebKit's default (deny) applies
            };
            let own = view.uri().is_some_and(|uri| is_app_page(&uri));
            if own && media.is_for_video_device() && !media.is_for_audio_device() {
                request.allow();
            } else {
                tracing::warn!(own, "refused a media request");
                request.deny();
            }
            true
        });
    });
    if let Err(error) = configured {
        tracing::warn!(%error, "cannot enable the camera in the webview");
    }
}

#[cfg(not(target_os = "linux"))]
pub fn enable(_window: &tauri::WebviewWindow) {}

#[cfg(test)]
mod tests {
    use super::is_app_page;

    #[test]
    fn only_the_apps_own_pages_get_the_camera() {
        assert!(is_app_page("tauri://localhost"));
        assert!(is_app_page("tauri://localhost/index.html"));
        for other in [
            "tauri://localhost.evil.example/",
            "https://tauri://localhost",
            "http://localhost:1430/",
            "https://dichvucong.gov.vn/",
        ] {
            assert!(!is_app_page(other), "{other}");
        }
    }
}
