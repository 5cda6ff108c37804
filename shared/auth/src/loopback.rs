//! RFC 8252 §7.3 loopback redirect: a one-shot HTTP listener on 127.0.0.1 and a random port
//! that the system browser is sent back to after signing in.

use std::time::{Duration, Instant};

use super::AuthError;

const PATH: &str = "/callback";
/// What the browser shows after the redirect (plain text, both languages: the listener
/// cannot know the app's language setting).
const DONE_PAGE: &str = include_str!("../../../assets/auth/signed-in.html");

pub struct LoopbackRedirect {
    server: tiny_http::Server,
    redirect_uri: String,
}

impl std::fmt::Debug for LoopbackRedirect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoopbackRedirect")
            .field("redirect_uri", &self.redirect_uri)
            .finish_non_exhaustive()
    }
}

impl LoopbackRedirect {
    pub fn bind() -> Result<Self, AuthError> {
        let server = tiny_http::Server::http("127.0.0.1:0")
            .map_err(|e| AuthError::Loopback(e.to_string()))?;
        let port = server
            .server_addr()
            .to_ip()
            .map(|a| a.port())
            .ok_or_else(|| AuthError::Loopback("no port".into()))?;
        Ok(Self {
            server,
            redirect_uri: format!("http://127.0.0.1:{port}{PATH}"),
        })
    }

    pub fn redirect_uri(&self) -> &str {
        &self.redirect_uri
    }

    /// Waits for the browser to come back and gives the full callback URL. Other paths (a
    /// browser asking for `/favicon.ico`) get a 404 and waiting goes on. `cancelled` is
    /// polled twice a second.
    pub fn wait(
        &self,
        timeout: Duration,
        cancelled: &dyn Fn() -> bool,
    ) -> Result<String, AuthError> {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() || cancelled() {
                return Err(AuthError::Timeout);
            }
            let request = self
                .server
                .recv_timeout(left.min(Duration::from_millis(500)))
                .map_err(|e| AuthError::Loopback(e.to_string()))?;
            let Some(request) = request else { continue };
            let url = request.url().to_owned();
            let path = url.split('?').next().unwrap_or_default();
            if path != PATH || *request.method() != tiny_http::Method::Get {
                let _ = request.respond(tiny_http::Response::empty(404));
                continue;
            }
            let content_type = tiny_http::Header::from_bytes(
                &b"Content-Type"[..],
                &b"text/html; charset=utf-8"[..],
            )
            .map_err(|()| AuthError::Loopback("header".into()))?;
            let page = tiny_http::Response::from_string(DONE_PAGE).with_header(content_type);
            let _ = request.respond(page);
            let origin = self.redirect_uri.trim_end_matches(PATH);
            return Ok(format!("{origin}{url}"));
        }
    }
}
