//! The HTTP client the OpenID Connect crate calls: ureq, never following redirects (a token
//! endpoint that redirects must not send the code elsewhere), with a size cap on answers.

use std::time::Duration;

use openidconnect::{HttpRequest, HttpResponse};

/// Discovery documents, key sets and token answers are a few KB.
const MAX_BODY: u64 = 1024 * 1024;
const TIMEOUT: Duration = Duration::from_secs(20);

#[derive(Debug)]
pub struct HttpClient {
    agent: ureq::Agent,
}

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct HttpError(String);

impl HttpClient {
    pub fn new() -> Self {
        let config = ureq::Agent::config_builder()
            .max_redirects(0)
            .http_status_as_error(false)
            .timeout_global(Some(TIMEOUT))
            .build();
        Self {
            agent: config.new_agent(),
        }
    }
}

impl Default for HttpClient {
    fn default() -> Self {
        Self::new()
    }
}

impl openidconnect::SyncHttpClient for HttpClient {
    type Error = HttpError;

    fn call(&self, request: HttpRequest) -> Result<HttpResponse, HttpError> {
        let response = self
            .agent
            .run(request)
            .map_err(|e| HttpError(e.to_string()))?;
        let (parts, mut body) = response.into_parts();
        let bytes = body
            .with_config()
            .limit(MAX_BODY)
            .read_to_vec()
            .map_err(|e| HttpError(e.to_string()))?;
        Ok(HttpResponse::from_parts(parts, bytes))
    }
}
