//! Scan a QR code: open or drop a photo, or use the camera where the webview offers one.
//! A code that names a procedure goes straight to it; an unsafe one gets a full-screen
//! warning and is never opened.

use civic_types::qr::{ScanKind, ScanReport, ScannedCode, UnsafeReason};
use dioxus::prelude::*;
use dioxus::web::WebEventExt;
use fluent_bundle::FluentValue;
use wasm_bindgen::JsCast;

use crate::i18n::{t, t_args};
use crate::routes::{LastScan, Route};

#[derive(Debug, Clone, PartialEq)]
enum ScanState {
    Idle,
    Scanning,
    Done(ScanReport),
    Failed(String),
}

#[component]
pub fn Scan() -> Element {
    let last_scan = use_context::<LastScan>();
    let mut state = use_signal(|| ScanState::Idle);
    let mut warning = use_signal(|| None::<ScannedCode>);
    let mut camera = use_signal(|| None::<web_sys::MediaStream>);

    // What to do with a finished scan: warn, go to the procedure, or list what was found.
    let mut show = move |report: ScanReport| {
        if let Some(danger) = report.codes.iter().find(|c| c.kind == ScanKind::Unsafe) {
            warning.set(Some(danger.clone()));
        } else if let [only] = report.codes.as_slice()
            && let Some(code) = &only.procedure
        {
            last_scan.open(only.clone(), code.clone());
            return;
        }
        state.set(ScanState::Done(report));
    };
    let mut scan_bytes = move |bytes: Vec<u8>| {
        state.set(ScanState::Scanning);
        spawn(async move {
            match crate::ipc::scan_image(&bytes, false).await {
                Ok(report) => show(report),
                Err(error) => state.set(ScanState::Failed(error.text())),
            }
        });
    };

    let scan_file = move |file: web_sys::File| {
        spawn(async move {
            match crate::files::read(file).await {
                Ok(bytes) => scan_bytes(bytes),
                Err(error) => state.set(ScanState::Failed(error)),
            }
        });
    };

    // Camera: a frame every 400 ms while the stream is on, until a code is found.
    use_future(move || async move {
        loop {
            gloo_sleep(400).await;
            let Some(stream) = camera.read().clone() else {
                continue;
            };
            let Some(jpeg) = capture_frame().await else {
                continue;
            };
            if let Ok(report) = crate::ipc::scan_image(&jpeg, true).await
                && !report.codes.is_empty()
            {
                stop_camera(&stream);
                camera.set(None);
                show(report);
            }
        }
    });

    let camera_available = has_camera() && !is_phone();
    // Phones scan through their own camera UI (the barcode-scanner plugin).
    let scan_with_phone = move |_| async move {
        match crate::ipc::scan_with_phone().await {
            Ok(Some(text)) => match crate::ipc::resolve_scanned(&[text]).await {
                Ok(report) => show(report),
                Err(error) => state.set(ScanState::Failed(error.text())),
            },
            Ok(None) => state.set(ScanState::Failed(t("scan-camera-denied"))),
            Err(error) => state.set(ScanState::Failed(error.text())),
        }
    };
    rsx! {
        h1 { {t("scan-heading")} }
        p { class: "hint", {t("scan-hint")} }
        div {
            class: "drop-zone",
            id: "scan-drop-zone",
            ondragover: move |evt| evt.prevent_default(),
            ondrop: move |evt| {
                evt.prevent_default();
                let file = evt.data().try_as_web_event().and_then(|e| e.data_transfer()).and_then(|d| d.files()).and_then(|f| f.get(0));
                if let Some(file) = file {
                    scan_file(file);
                }
            },
            input {
                id: "scan-file",
                r#type: "file",
                accept: "image/png,image/jpeg",
                class: "visually-hidden",
                onchange: move |_| {
                    let file = crate::files::chosen("scan-file").into_iter().next();
                    if let Some(file) = file {
                        scan_file(file);
                    }
                },
            }
            // After the input, so its keyboard focus can show on the label (`:focus + label`).
            label { class: "file-button", r#for: "scan-file", {t("scan-open-image")} }
            p { {t("scan-drop-here")} }
            if is_phone() {
                button { class: "link-button", id: "scan-camera", onclick: scan_with_phone, {t("scan-camera-start")} }
            }
            if camera_available {
                if camera.read().is_some() {
                    button { class: "link-button", id: "scan-camera-stop", onclick: move |_| {
                        if let Some(stream) = camera.take() { stop_camera(&stream); }
                    }, {t("scan-camera-stop")} }
                } else {
                    button { class: "link-button", id: "scan-camera", onclick: move |_| async move {
                        match start_camera().await {
                            Ok(stream) => camera.set(Some(stream)),
                            Err(()) => state.set(ScanState::Failed(t("scan-camera-denied"))),
                        }
                    }, {t("scan-camera-start")} }
                }
            }
        }
        video { id: "scan-video", class: if camera.read().is_some() { "camera" } else { "visually-hidden" }, autoplay: true, muted: true, "playsinline": "true", aria_label: t("scan-camera-view") }
        div { role: "status", aria_live: "polite",
            match &*state.read() {
                ScanState::Idle => rsx! {},
                ScanState::Scanning => rsx! { p { {t("scan-scanning")} } },
                ScanState::Failed(message) => rsx! { p { class: "error", role: "alert", {t_args("scan-failed", &[("message", FluentValue::from(message.clone()))])} } },
                ScanState::Done(report) if report.codes.is_empty() => rsx! { p { id: "scan-none", {t("scan-none")} } },
                ScanState::Done(report) => rsx! {
                    ul { class: "results", id: "scan-results",
                        for code in report.codes.clone() {
                            li { ScanResult { code } }
                        }
                    }
                },
            }
        }
        if let Some(danger) = warning.read().clone() {
            UnsafeWarning { code: danger, on_close: move |()| warning.set(None) }
        }
    }
}

/// One code that did not lead straight to a procedure.
#[component]
fn ScanResult(code: ScannedCode) -> Element {
    let last_scan = use_context::<LastScan>();
    if let Some(procedure) = code.procedure.clone() {
        let name = code.procedure_name.clone().unwrap_or_default();
        let scanned = code.clone();
        return rsx! {
            button { class: "result", onclick: move |_| last_scan.open(scanned.clone(), procedure.clone()),
                span { class: "result-name", {name} }
                span { class: "result-meta", {code.procedure.clone().unwrap_or_default()} }
            }
        };
    }
    if let Some(unknown) = code.unknown_code.clone() {
        return rsx! {
            div { class: "result",
                p { {t_args("scan-unknown-code", &[("code", FluentValue::from(unknown.clone()))])} }
                button { class: "link-button", onclick: move |_| {
                    navigator().push(Route::Search { query: unknown.clone() });
                }, {t("scan-search-instead")} }
            }
        };
    }
    rsx! {
        div { class: "result",
            p { {t("scan-other")} }
            p { class: "code", {code.text.clone()} }
        }
    }
}

/// Full-screen, focus-trapping warning: the code is shown as text with its real host
/// highlighted, and nothing is opened.
#[component]
fn UnsafeWarning(code: ScannedCode, on_close: EventHandler<()>) -> Element {
    let reasons: Vec<String> = code.warnings.iter().map(|r| t(reason_key(*r))).collect();
    rsx! {
        div { class: "unsafe-overlay", id: "unsafe-warning", role: "alertdialog", aria_modal: "true", aria_labelledby: "unsafe-title", aria_describedby: "unsafe-body",
            div { class: "unsafe-box",
                h2 { id: "unsafe-title", {t("unsafe-title")} }
                div { id: "unsafe-body",
                    p { {t("unsafe-intro")} }
                    if let Some(host) = &code.host {
                        p { {t("unsafe-real-host")} " " strong { class: "danger-host", id: "unsafe-host", {host.clone()} } }
                    }
                    ul { for reason in reasons { li { {reason} } } }
                    p { class: "code", {code.text.clone()} }
                    p { {t("unsafe-advice")} }
                }
                button { class: "danger-button", autofocus: true, onmounted: move |e| async move { let _ = e.set_focus(true).await; }, onclick: move |_| on_close.call(()), {t("unsafe-close")} }
            }
        }
    }
}

fn reason_key(reason: UnsafeReason) -> &'static str {
    match reason {
        UnsafeReason::UntrustedHost => "unsafe-untrusted-host",
        UnsafeReason::LookAlikeHost => "unsafe-look-alike",
        UnsafeReason::HiddenUser => "unsafe-hidden-user",
        UnsafeReason::NotEncrypted => "unsafe-not-encrypted",
        UnsafeReason::Shortener => "unsafe-shortener",
        UnsafeReason::IpAddress => "unsafe-ip-address",
        UnsafeReason::UnusualPort => "unsafe-unusual-port",
        UnsafeReason::DangerousScheme => "unsafe-dangerous-scheme",
        UnsafeReason::DisguisedLink => "unsafe-disguised",
    }
}

fn media_devices() -> Option<web_sys::MediaDevices> {
    let navigator = web_sys::window()?.navigator();
    // Absent in webviews without camera support: the Reflect check avoids a JS exception.
    js_sys::Reflect::get(&navigator, &"mediaDevices".into())
        .ok()
        .filter(|v| !v.is_undefined())?;
    navigator.media_devices().ok()
}

fn has_camera() -> bool {
    media_devices().is_some()
}

/// Android or iOS, where the host registers the barcode-scanner plugin.
fn is_phone() -> bool {
    let agent = web_sys::window()
        .and_then(|w| w.navigator().user_agent().ok())
        .unwrap_or_default();
    ["Android", "iPhone", "iPad"]
        .iter()
        .any(|p| agent.contains(p))
}

async fn start_camera() -> Result<web_sys::MediaStream, ()> {
    let devices = media_devices().ok_or(())?;
    let constraints = web_sys::MediaStreamConstraints::new();
    constraints.set_video(&true.into());
    let promise = devices
        .get_user_media_with_constraints(&constraints)
        .map_err(|_| ())?;
    let stream: web_sys::MediaStream = wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .map_err(|_| ())?
        .dyn_into()
        .map_err(|_| ())?;
    let video = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("scan-video"))
        .and_then(|v| v.dyn_into::<web_sys::HtmlVideoElement>().ok())
        .ok_or(())?;
    video.set_src_object(Some(&stream));
    Ok(stream)
}

fn stop_camera(stream: &web_sys::MediaStream) {
    for track in stream.get_tracks().iter() {
        if let Ok(track) = track.dyn_into::<web_sys::MediaStreamTrack>() {
            track.stop();
        }
    }
}

/// The current video frame as JPEG bytes, at most 1280 px wide.
async fn capture_frame() -> Option<Vec<u8>> {
    let canvas = draw_frame()?;
    // `toBlob` hands the JPEG over as bytes; a data URL would be base64 text.
    let blob = wasm_bindgen_futures::JsFuture::from(js_sys::Promise::new(&mut |resolve, _| {
        let _ = canvas.to_blob_with_type(&resolve, "image/jpeg");
    }))
    .await
    .ok()?
    .dyn_into::<web_sys::Blob>()
    .ok()?;
    let buffer = wasm_bindgen_futures::JsFuture::from(blob.array_buffer())
        .await
        .ok()?;
    Some(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// The current video frame on a canvas, at most 1280 px wide.
fn draw_frame() -> Option<web_sys::HtmlCanvasElement> {
    let document = web_sys::window()?.document()?;
    let video = document
        .get_element_by_id("scan-video")?
        .dyn_into::<web_sys::HtmlVideoElement>()
        .ok()?;
    let (width, height) = (video.video_width(), video.video_height());
    if width == 0 || height == 0 {
        return None;
    }
    let scale = (1280.0 / f64::from(width)).min(1.0);
    let canvas = document
        .create_element("canvas")
        .ok()?
        .dyn_into::<web_sys::HtmlCanvasElement>()
        .ok()?;
    canvas.set_width((f64::from(width) * scale) as u32);
    canvas.set_height((f64::from(height) * scale) as u32);
    let context = canvas
        .get_context("2d")
        .ok()??
        .dyn_into::<web_sys::CanvasRenderingContext2d>()
        .ok()?;
    context
        .draw_image_with_html_video_element_and_dw_and_dh(
            &video,
            0.0,
            0.0,
            f64::from(canvas.width()),
            f64::from(canvas.height()),
        )
        .ok()?;
    Some(canvas)
}

async fn gloo_sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
