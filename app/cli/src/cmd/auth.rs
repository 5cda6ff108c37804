//! `civic login`, `civic whoami`, `civic logout`: sign-in with the identity provider the
//! synced city profile names, the session in the OS keyring.

use std::io::Write;
use std::path::Path;

use civic_core::auth::{Auth, AuthError, Vault};

use crate::{Failure, render};

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Sign in with the national eID (the identity provider in the synced city profile):
    /// prints the page to open in a browser, then waits for it to come back.
    Login {
        /// How long to wait for the browser, in seconds.
        #[arg(long, default_value_t = civic_core::auth::SIGN_IN_TIMEOUT.as_secs())]
        timeout: u64,
    },
    /// Sign out on this device and at the identity provider.
    Logout,
    /// Who is signed in (renewing the session first if it is about to expire).
    Whoami {
        #[arg(long)]
        json: bool,
    },
}

/// A sign-in error as the user is told it: its code's message, and the command that is the
/// way out where there is one. The detail goes to the log only.
#[derive(Debug, thiserror::Error)]
#[error("{}", message(.0))]
struct SignInFailed(#[from] AuthError);

fn message(error: &AuthError) -> String {
    tracing::info!(%error, "sign-in failed");
    let text = crate::i18n::error_message(error.code());
    match error {
        AuthError::NotConfigured => format!("{text} → civic sync"),
        AuthError::SignedOut | AuthError::SessionExpired => format!("{text} → civic login"),
        _ => text,
    }
}

/// Sign-in for the city the data folder last synced with.
fn open_auth(data_dir: &Path) -> Result<Auth, Failure> {
    let civic = crate::open(data_dir, None)?;
    Ok(civic.auth(Vault::app()).map_err(SignInFailed)?)
}

pub fn run(command: Command, data_dir: &Path, out: &mut impl Write) -> Result<(), Failure> {
    let auth = open_auth(data_dir)?;
    match command {
        Command::Login { timeout } => {
            let account = auth
                .sign_in_loopback(
                    &mut |pending| {
                        // A helper may copy the address to the resident's phone or browser.
                        let _ = writeln!(
                            out,
                            "Mở trang này trong trình duyệt để đăng nhập (open this page to sign in):\n{}",
                            pending.authorization_url
                        );
                        let _ = out.flush();
                    },
                    std::time::Duration::from_secs(timeout),
                    &|| false,
                    &civic_core::auth::unix_now,
                )
                .map_err(SignInFailed)?;
            writeln!(out, "Đã đăng nhập: {}", render::account(&account))?;
        }
        Command::Logout => match auth
            .sign_out(None, civic_core::auth::unix_now())
            .map_err(SignInFailed)?
        {
            Some(page) => writeln!(
                out,
                "Đã đăng xuất trên máy này. Để thoát cả phiên ở nhà cung cấp định danh, mở (to end the provider's session too, open):\n{page}"
            )?,
            None => writeln!(out, "Đã đăng xuất (signed out).")?,
        },
        Command::Whoami { json } => {
            let account = auth
                .current(civic_core::auth::unix_now())
                .map_err(SignInFailed)?;
            if json {
                serde_json::to_writer(&mut *out, &account)?;
                writeln!(out)?;
            } else {
                writeln!(out, "{}", render::account(&account))?;
            }
        }
    }
    Ok(())
}
