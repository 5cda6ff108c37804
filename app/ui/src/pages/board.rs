//! Make a printable board of QR codes for a one-stop office (community digital-tech teams).

use base64::Engine;
use civic_types::qr::{BoardRequest, BoardResult};
use dioxus::prelude::*;
use fluent_bundle::FluentValue;

use crate::i18n::{t, t_args};

#[component]
pub fn BoardMaker() -> Element {
    let mut title = use_signal(String::new);
    let mut codes = use_signal(String::new);
    let mut result = use_signal(|| None::<Result<BoardResult, String>>);
    let mut busy = use_signal(|| false);
    rsx! {
        h1 { {t("board-heading")} }
        p { class: "hint", {t("board-hint")} }
        form { class: "board-form",
            // Synchronously, before any await: an async handler runs too late to stop the
            // browser's own form submission (which would reload the app).
            onsubmit: move |evt| {
                evt.prevent_default();
                busy.set(true);
                let request = BoardRequest {
                    title: title.read().trim().to_owned(),
                    codes: codes.read().split(|c: char| c == ',' || c.is_whitespace()).filter(|c| !c.is_empty()).map(str::to_owned).collect(),
                };
                spawn(async move {
                    result.set(Some(crate::ipc::make_board(request).await.map_err(|e| e.text())));
                    busy.set(false);
                });
            },
            label { r#for: "board-title", {t("board-title")} }
            input { id: "board-title", value: "{title}", placeholder: t("board-title-placeholder"), oninput: move |e| title.set(e.value()) }
            label { r#for: "board-codes", {t("board-codes")} }
            textarea { id: "board-codes", rows: "3", value: "{codes}", placeholder: "1.001193, 1.000656", oninput: move |e| codes.set(e.value()) }
            button { r#type: "submit", id: "board-make", class: "primary-button", disabled: busy(), {t("board-make")} }
        }
        div { role: "status", aria_live: "polite",
            match &*result.read() {
                None => rsx! {},
                Some(Err(message)) => rsx! { p { class: "error", role: "alert", {t_args("board-failed", &[("message", FluentValue::from(message.clone()))])} } },
                Some(Ok(board)) => rsx! {
                    p { id: "board-saved", {t_args("board-saved", &[("pdf", FluentValue::from(board.pdf_path.clone())), ("svg", FluentValue::from(board.svg_path.clone()))])} }
                    if !board.signed { p { class: "notice", {t("board-unsigned")} } }
                    img { class: "board-preview", alt: t("board-preview"), src: format!("data:image/svg+xml;base64,{}", base64::engine::general_purpose::STANDARD.encode(&board.svg)) }
                },
            }
        }
    }
}
