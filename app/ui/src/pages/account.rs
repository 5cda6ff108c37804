//! The signed-in citizen: who the app thinks they are, and signing out.

use civic_types::auth::SessionState;
use dioxus::prelude::*;
use fluent_bundle::FluentValue;

use crate::i18n::{t, t_args};
use crate::routes::Route;
use crate::session::Session;

#[component]
pub fn AccountPage() -> Element {
    let session = use_context::<Session>();
    let mut state = session.state;
    let mut error = use_signal(|| None::<String>);
    let account = match state.read().clone() {
        Some(SessionState::SignedIn { account }) => Some(account),
        _ => None,
    };
    rsx! {
        h1 { {t("account-heading")} }
        match account {
            Some(account) => rsx! {
                dl { class: "facts", id: "account-facts",
                    div { class: "fact",
                        dt { {t("account-name")} }
                        dd { id: "account-name", {account.name.clone()} }
                    }
                    div { class: "fact",
                        dt { {t("account-citizen-id")} }
                        dd {
                            id: "account-citizen-id",
                            class: "code",
                            // Read aloud as its last digits, not as a row of dots.
                            aria_label: t_args("account-citizen-id-spoken", &[("digits", FluentValue::from(spoken_digits(&account.citizen_id_masked)))]),
                            if account.citizen_id_masked.is_empty() { {t("account-citizen-id-missing")} } else { {account.citizen_id_masked.clone()} }
                        }
                    }
                }
                p { class: "hint", {t("account-renewal")} }
                button {
                    class: "primary-button",
                    id: "sign-out",
                    onclick: move |_| async move {
                        match crate::ipc::sign_out().await {
                            Ok(signed_out) => {
                                state.set(Some(signed_out));
                                navigator().replace(Route::Home {});
                            }
                            Err(e) => error.set(Some(e.text())),
                        }
                    },
                    {t("account-sign-out")}
                }
                if let Some(error) = error() {
                    p { class: "error", role: "alert", {error} }
                }
            },
            // Signed out meanwhile (another window, or the session ended).
            None => rsx! { p { {t("account-signed-out")} } },
        }
    }
}

/// "1 2 3 4": the visible digits one by one, as a screen reader should say them.
fn spoken_digits(masked: &str) -> String {
    let digits: Vec<String> = masked
        .chars()
        .filter(char::is_ascii_digit)
        .map(String::from)
        .collect();
    digits.join(" ")
}
