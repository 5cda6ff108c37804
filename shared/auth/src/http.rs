//! The HTTP client the OpenID Connect crate calls: reqwest, never following redirects (a token
//! endpoint that redirects must not send the code elsewhere), with a size cap on answers.

use std::io::Read;
use std::sync::OnceLock;
use std::time::Duration;

use openidconnect::{HttpRequest, HttpResponse};

/// Discovery documents, key sets and token answers are a few KB.
const MAX_BODY: u64 = 1024 * 1024;
const TIMEOUT: Duration = Duration::from_secs(20);

/// Built on first use: reqwest's blocking client cannot be built (or dropped) on an async
/// runtime's thread, and an `Auth` that only reads the keyring never needs one.
#[derive(Debug, Default)]
pub struct HttpClient {
    http: OnceLock<reqwest::blocking::Client>,
}

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct HttpError(String);

impl HttpClient {
    fn client(&self) -> Result<&reqwest::blocking::Client, HttpError> {
        if let Some(client) = self.http.get() {
            return Ok(client);
        }
        let client = reqwest::blocking::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(TIMEOUT)
            .user_agent(concat!("civic/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| HttpError(e.to_string()))?;
        Ok(self.http.get_or_init(|| client))
    }
}

impl openidconnect::SyncHttpClient for HttpClient {
    type Error = HttpError;

    fn call(&self, request: HttpRequest) -> Result<HttpResponse, HttpError> {
        // openidconnect speaks `http` types; reqwest converts from them.
        let request = reqwest::blocking::Request::try_from(request)
            .map_err(|e| HttpError(e.without_url().to_string()))?;
        let response = self
            .client()?
            .execute(request)
            .map_err(|e| HttpError(e.without_url().to_string()))?;
        let mut answer = HttpResponse::new(Vec::new());
        *answer.status_mut() = response.status();
        *answer.headers_mut() = response.headers().clone();
        let mut body = Vec::new();
        response
            .take(MAX_BODY + 1)
            .read_to_end(&mut body)
            .map_err(|e| HttpError(e.to_string()))?;
        if body.len() as u64 > MAX_BODY {
            return Err(HttpError(format!("answer larger than {MAX_BODY} bytes")));
        }
        *answer.body_mut() = body;
        Ok(answer)
    }
}
