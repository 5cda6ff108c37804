//! Who is signed in, as the host reports it: the header's account button, the sign-in
//! prompt, and what happens while the system browser is open. Tokens never reach the UI.

use civic_types::auth::{SessionState, SignInStarted, events};
use dioxus::prelude::*;
use fluent_bundle::FluentValue;
use futures_util::StreamExt;

use crate::i18n::{t, t_args};
use crate::ipc::{self, IpcError};
use crate::routes::Route;

/// A sign-in the user started from this window.
#[derive(Debug, Clone, PartialEq)]
pub enum SignIn {
    Idle,
    /// The provider's page is open (or could not be opened) in the system browser.
    Waiting(SignInStarted),
    Failed(IpcError),
}

/// The session as the whole UI sees it; `None` until the host has answered once.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Session {
    pub state: Signal<Option<SessionState>>,
    pub sign_in: Signal<SignIn>,
}

impl Session {
    /// Asks the host again (after a sync, the city's profile may name a provider).
    pub fn refresh(self) {
        let mut state = self.state;
        spawn(async move {
            match ipc::session_state().await {
                // The host forgets an ended session; the prompt to sign in again stays
                // until the person acts on it.
                Ok(SessionState::SignedOut) if *state.peek() == Some(SessionState::Expired) => {}
                Ok(current) => state.set(Some(current)),
                Err(error) => crate::console_warn(error.detail()),
            }
        });
    }

    fn start_sign_in(self) {
        let mut sign_in = self.sign_in;
        spawn(async move {
            match ipc::sign_in().await {
                Ok(started) => sign_in.set(SignIn::Waiting(started)),
                Err(failure) => sign_in.set(SignIn::Failed(failure)),
            }
        });
    }
}

/// Provides the session to every component and keeps it up to date with the host's events.
pub fn use_session_provider() -> Session {
    let session = use_context_provider(|| Session {
        state: Signal::new(None),
        sign_in: Signal::new(SignIn::Idle),
    });
    use_hook(move || session.refresh());
    use_future(move || async move {
        let mut state = session.state;
        let mut sign_in = session.sign_in;
        let mut updates = match ipc::subscribe::<SessionState>(events::SESSION).await {
            Ok(updates) => updates,
            Err(error) => return crate::console_warn(error.detail()),
        };
        while let Some(update) = updates.next().await {
            if matches!(update, SessionState::SignedIn { .. }) {
                sign_in.set(SignIn::Idle);
            }
            state.set(Some(update));
        }
    });
    use_future(move || async move {
        let mut sign_in = session.sign_in;
        let mut failures =
            match ipc::subscribe::<civic_types::error::Failure>(events::SIGN_IN_FAILED).await {
                Ok(failures) => failures,
                Err(error) => return crate::console_warn(error.detail()),
            };
        while let Some(failure) = failures.next().await {
            sign_in.set(SignIn::Failed(IpcError(failure)));
        }
    });
    session
}

/// The header's part: a sign-in button, or the signed-in person's name leading to the
/// account page. Nothing when the city offers no sign-in.
#[component]
pub fn SessionControl() -> Element {
    let session = use_context::<Session>();
    let state = session.state.read().clone();
    rsx! {
        match state {
            Some(SessionState::SignedIn { account }) => rsx! {
                button {
                    class: "account-button",
                    id: "account-button",
                    aria_label: t_args("session-account-label", &[("name", FluentValue::from(account.name.clone()))]),
                    onclick: move |_| {
                        navigator().push(Route::Account {});
                    },
                    span { class: "account-name", {account.name.clone()} }
                }
            },
            Some(SessionState::SignedOut | SessionState::Expired) => rsx! {
                button {
                    class: "account-button",
                    id: "sign-in",
                    disabled: matches!(*session.sign_in.read(), SignIn::Waiting(_)),
                    onclick: move |_| session.start_sign_in(),
                    {t("session-sign-in")}
                }
            },
            Some(SessionState::Unavailable) | None => rsx! {},
        }
    }
}

/// Below the header, on every page: an ended session asks to sign in again without leaving
/// the page in use (nothing typed there is lost); a sign-in under way says what to do.
#[component]
pub fn SignInPanel() -> Element {
    let session = use_context::<Session>();
    let mut sign_in = session.sign_in;
    let expired = matches!(*session.state.read(), Some(SessionState::Expired));
    rsx! {
        if expired && *sign_in.read() == SignIn::Idle {
            div { class: "notice", id: "session-expired", role: "alert",
                p { {t("session-expired")} }
                button { class: "primary-button", onclick: move |_| session.start_sign_in(), {t("session-sign-in-again")} }
            }
        }
        match sign_in.read().clone() {
            SignIn::Idle => rsx! {},
            SignIn::Waiting(started) => rsx! {
                div { class: "notice", id: "sign-in-waiting", role: "status",
                    if started.browser_opened {
                        p { {t("session-waiting")} }
                    } else {
                        // A link here would open inside the app; the provider's page belongs
                        // in the browser (RFC 8252), so the address is there to copy.
                        p { {t("session-browser-not-opened")} }
                        label { r#for: "sign-in-url", {t("session-link-label")} }
                        input {
                            id: "sign-in-url",
                            class: "copy-field",
                            readonly: true,
                            value: "{started.authorization_url}",
                            onfocus: move |_| select_sign_in_url(),
                        }
                    }
                    button { class: "link-button", onclick: move |_| sign_in.set(SignIn::Idle), {t("session-dismiss")} }
                }
            },
            SignIn::Failed(failure) => rsx! {
                div { class: "notice", id: "sign-in-failed", role: "alert",
                    p { {failure.text()} }
                    button { class: "primary-button", onclick: move |_| session.start_sign_in(), {t("session-try-again")} }
                }
            },
        }
    }
}

/// Selects the whole address so one copy takes all of it.
fn select_sign_in_url() {
    use wasm_bindgen::JsCast;
    if let Some(input) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("sign-in-url"))
        .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
    {
        input.select();
    }
}
