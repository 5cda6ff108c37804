//! Asking a GeoReport v2 endpoint (a city's Open311 back office, or the Civic gateway's
//! `/open311/v2/`): the service list, a service's form, request status and updates, posting
//! a request, uploading a photo. What comes back is untrusted: https only (http to this device alone), redirects
//! only to secure addresses, every answer capped at [`MAX_ANSWER_BYTES`] while it is read.

use std::io::Read;

use civic_net::is_secure_address;
use civic_types::feedback::{Receipt, RequestUpdate, Service, ServiceDefinition, ServiceRequest};
use url::Url;

use crate::open311::{self, MAX_ANSWER_BYTES};
use crate::{Format, Open311Error};

/// Which requests a status query asks for (GeoReport v2 `GET requests`). Empty: the
/// endpoint's default (its most recent requests).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestQuery {
    /// `service_request_id`: these requests only (comma-joined on the wire).
    pub ids: Vec<String>,
    pub service_code: Option<String>,
    /// `open` or `closed`: the spec's two; finer statuses are the endpoint's own.
    pub status: Option<StatusFilter>,
    /// `start_date` / `end_date`: ISO 8601 with an offset, as the spec asks.
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    /// Requests within `radius_m` of a point (`lat`, `long`, `radius`): an extension the
    /// Civic gateway answers; other endpoints ignore it.
    pub near: Option<Near>,
    /// `account_id`: one resident's requests (the Civic gateway's extension).
    pub account_id: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Near {
    pub lat: f64,
    pub lon: f64,
    pub radius_m: f64,
}

impl Eq for Near {}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFilter {
    Open,
    Closed,
}

impl StatusFilter {
    fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Closed => "closed",
        }
    }
}

/// One GeoReport v2 endpoint, e.g. `https://311.example.gov/open311/v2`.
#[derive(Debug, Clone)]
pub struct Endpoint {
    base: Url,
    format: Format,
    jurisdiction: Option<String>,
    http: reqwest::blocking::Client,
}

impl Endpoint {
    /// `address` is the endpoint's base: `services.json` and the rest are asked below it.
    pub fn new(address: &str, format: Format) -> Result<Self, Open311Error> {
        let mut base = secure_url(address)?;
        // Nothing of the address but its path is sent on: a query or fragment there is not
        // part of a GeoReport base.
        base.set_query(None);
        base.set_fragment(None);
        let http = civic_sync::secure_client()
            .map_err(|_| Open311Error::BadAddress(address.to_owned()))?;
        Ok(Self {
            base,
            format,
            jurisdiction: None,
            http,
        })
    }

    /// For endpoints that serve several cities (`jurisdiction_id` on every request).
    #[must_use]
    pub fn with_jurisdiction(mut self, jurisdiction: Option<String>) -> Self {
        self.jurisdiction = jurisdiction.filter(|j| !j.trim().is_empty());
        self
    }

    pub fn format(&self) -> Format {
        self.format
    }

    /// `GET services.{format}`.
    pub fn services(&self) -> Result<Vec<Service>, Open311Error> {
        let body = self.get(&["services"], &[])?;
        open311::services(self.format, &body)
    }

    /// `GET services/{code}.{format}`: the form a service asks residents to fill.
    pub fn service_definition(&self, code: &str) -> Result<ServiceDefinition, Open311Error> {
        let body = self.get(&["services", code], &[])?;
        open311::service_definition(self.format, &body)
    }

    /// `GET requests.{format}` with `query`.
    pub fn requests(&self, query: &RequestQuery) -> Result<Vec<ServiceRequest>, Open311Error> {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if !query.ids.is_empty() {
            pairs.push(("service_request_id", query.ids.join(",")));
        }
        if let Some(code) = &query.service_code {
            pairs.push(("service_code", code.clone()));
        }
        if let Some(status) = query.status {
            pairs.push(("status", status.as_str().to_owned()));
        }
        if let Some(start) = &query.start_date {
            pairs.push(("start_date", start.clone()));
        }
        if let Some(end) = &query.end_date {
            pairs.push(("end_date", end.clone()));
        }
        if let Some(near) = query.near {
            pairs.push(("lat", near.lat.to_string()));
            pairs.push(("long", near.lon.to_string()));
            pairs.push(("radius", near.radius_m.to_string()));
        }
        if let Some(account) = &query.account_id {
            pairs.push(("account_id", account.clone()));
        }
        let body = self.get(&["requests"], &pairs)?;
        open311::requests(self.format, &body)
    }

    /// `GET servicerequestupdates.{format}` for these requests (all when empty).
    pub fn updates(&self, ids: &[String]) -> Result<Vec<RequestUpdate>, Open311Error> {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if !ids.is_empty() {
            pairs.push(("service_request_id", ids.join(",")));
        }
        let body = self.get(&["servicerequestupdates"], &pairs)?;
        open311::updates(self.format, &body)
    }

    /// `POST requests.{format}`: the report's GeoReport v2 fields, form-encoded, with the
    /// app's `api_key` and an `Idempotency-Key` that makes a repeated post harmless.
    pub fn post_request(
        &self,
        fields: &[(String, String)],
        api_key: &str,
        idempotency_key: &str,
    ) -> Result<Receipt, Open311Error> {
        let mut form: Vec<(&str, &str)> = vec![("api_key", api_key)];
        if let Some(jurisdiction) = &self.jurisdiction {
            form.push(("jurisdiction_id", jurisdiction));
        }
        form.extend(fields.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(form)
            .finish();
        let request = self
            .http
            .post(self.url(&["requests"], &[]))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Idempotency-Key", idempotency_key)
            .body(body);
        let answer = self.send(request)?;
        open311::receipts(self.format, &answer)?
            .into_iter()
            .find(|r| r.service_request_id.is_some() || r.token.is_some())
            .ok_or_else(|| Open311Error::Malformed {
                format: self.format,
                detail: "the answer holds no service_request_id or token".into(),
            })
    }

    /// `POST media` (the Civic gateway's photo upload): a JPEG, answered with its `media_url`.
    pub fn upload_photo(&self, jpeg: Vec<u8>, api_key: &str) -> Result<String, Open311Error> {
        #[derive(serde::Deserialize)]
        struct Uploaded {
            media_url: String,
        }
        let mut url = self.base.clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty().push("media");
        }
        let photo = reqwest::blocking::multipart::Part::bytes(jpeg)
            .file_name("photo.jpg")
            .mime_str("image/jpeg")
            .map_err(|e| Open311Error::Offline(e.to_string()))?;
        let form = reqwest::blocking::multipart::Form::new()
            .text("api_key", api_key.to_owned())
            .part("media", photo);
        let answer = self.send(self.http.post(url).multipart(form))?;
        let uploaded: Uploaded =
            serde_json::from_slice(&answer).map_err(|e| Open311Error::Malformed {
                format: Format::Json,
                detail: e.to_string(),
            })?;
        let secure = Url::parse(&uploaded.media_url).is_ok_and(|u| is_secure_address(&u));
        if !secure {
            return Err(Open311Error::NotEncrypted(uploaded.media_url));
        }
        Ok(uploaded.media_url)
    }

    /// A photo a report links to (`media_url`): anywhere on the web, so checked like any
    /// address from the network (https, or http to this device), and capped while read.
    pub fn fetch_media(&self, address: &str) -> Result<Vec<u8>, Open311Error> {
        self.send(self.http.get(secure_url(address)?))
    }

    /// `GET requests/{id}.{format}`: one request, or `None` when the endpoint lists none.
    pub fn request(&self, id: &str) -> Result<Option<ServiceRequest>, Open311Error> {
        let body = self.get(&["requests", id], &[])?;
        Ok(open311::requests(self.format, &body)?.into_iter().next())
    }

    /// `GET tokens/{token}.{format}`: a batch service's request id, once it has one.
    pub fn token(&self, token: &str) -> Result<Vec<Receipt>, Open311Error> {
        let body = self.get(&["tokens", token], &[])?;
        open311::receipts(self.format, &body)
    }

    /// The address of `segments` below the base, the last one with the format's extension;
    /// each segment escaped, so an id or code from anywhere stays one segment.
    pub fn url(&self, segments: &[&str], query: &[(&str, String)]) -> Url {
        let mut url = self.base.clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty();
            let last = segments.len().saturating_sub(1);
            for (i, segment) in segments.iter().enumerate() {
                if i == last {
                    path.push(&format!("{segment}.{}", self.format.extension()));
                } else {
                    path.push(segment);
                }
            }
        }
        {
            let mut pairs = url.query_pairs_mut();
            if let Some(jurisdiction) = &self.jurisdiction {
                pairs.append_pair("jurisdiction_id", jurisdiction);
            }
            for (name, value) in query {
                pairs.append_pair(name, value);
            }
        }
        if url.query() == Some("") {
            url.set_query(None);
        }
        url
    }

    fn get(&self, segments: &[&str], query: &[(&str, String)]) -> Result<Vec<u8>, Open311Error> {
        self.send(self.http.get(self.url(segments, query)))
    }

    /// Sends `request` and reads its answer, capped; a non-2xx answer is a refusal.
    fn send(&self, request: reqwest::blocking::RequestBuilder) -> Result<Vec<u8>, Open311Error> {
        let accept = match self.format {
            Format::Json => "application/json",
            Format::Xml => "application/xml, text/xml",
        };
        // The gateway words its refusals for residents: Vietnamese first.
        let response = request
            .header("Accept", accept)
            .header("Accept-Language", "vi, en;q=0.5")
            .send()
            .map_err(|e| Open311Error::Offline(e.without_url().to_string()))?;
        let status = response.status().as_u16();
        let announced = response.content_length().unwrap_or(0);
        if usize::try_from(announced).unwrap_or(usize::MAX) > MAX_ANSWER_BYTES {
            return Err(Open311Error::TooLarge {
                limit: MAX_ANSWER_BYTES,
            });
        }
        let mut body = Vec::new();
        let limit = u64::try_from(MAX_ANSWER_BYTES).unwrap_or(u64::MAX);
        response
            .take(limit + 1)
            .read_to_end(&mut body)
            .map_err(|e| Open311Error::Offline(e.to_string()))?;
        if body.len() > MAX_ANSWER_BYTES {
            return Err(Open311Error::TooLarge {
                limit: MAX_ANSWER_BYTES,
            });
        }
        if !(200..300).contains(&status) {
            return Err(open311::refusal(self.format, status, &body));
        }
        Ok(body)
    }
}

/// `address` read as an http(s) address with a host, refused unless it is secure (https,
/// or http to this device): the rule for an endpoint's base and for any photo address.
fn secure_url(address: &str) -> Result<Url, Open311Error> {
    let url = Url::parse(address.trim())
        .ok()
        .filter(|u| {
            matches!(u.scheme(), "http" | "https")
                && u.host_str().is_some_and(|h| !h.is_empty())
                && !u.cannot_be_a_base()
        })
        .ok_or_else(|| Open311Error::BadAddress(address.to_owned()))?;
    if !is_secure_address(&url) {
        return Err(Open311Error::NotEncrypted(address.to_owned()));
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn endpoint(address: &str, format: Format) -> Endpoint {
        match Endpoint::new(address, format) {
            Ok(endpoint) => endpoint,
            Err(e) => panic!("{address}: {e}"),
        }
    }

    #[test]
    fn addresses_are_built_below_the_base_with_each_part_escaped() {
        let json = endpoint("https://311.example.gov/open311/v2/", Format::Json);
        assert_eq!(
            json.url(&["services"], &[]).as_str(),
            "https://311.example.gov/open311/v2/services.json"
        );
        let xml = endpoint("https://311.example.gov/open311/v2?x=1#f", Format::Xml)
            .with_jurisdiction(Some("ninhbinh.gov.vn".into()));
        assert_eq!(
            xml.url(&["requests", "14-01100669"], &[]).as_str(),
            "https://311.example.gov/open311/v2/requests/14-01100669.xml?jurisdiction_id=ninhbinh.gov.vn"
        );
        // An id from a QR code or an answer cannot climb out of its segment or add a query.
        let hostile = json.url(
            &["requests", "../../admin?x=1#"],
            &[("status", "open".into())],
        );
        assert_eq!(
            hostile.as_str(),
            "https://311.example.gov/open311/v2/requests/..%2F..%2Fadmin%3Fx=1%23.json?status=open"
        );
        assert_eq!(hostile.host_str(), Some("311.example.gov"));
    }

    #[test]
    fn only_secure_addresses_are_accepted() {
        for (address, expected_plain) in [
            ("http://311.example.gov/open311/v2", true),
            ("http://10.0.0.1/open311", true),
            ("ftp://127.0.0.1/", false),
            ("javascript:alert(1)", false),
            ("not an address", false),
            ("https://", false),
        ] {
            match Endpoint::new(address, Format::Json) {
                Err(Open311Error::NotEncrypted(_)) => assert!(expected_plain, "{address}"),
                Err(Open311Error::BadAddress(_)) => assert!(!expected_plain, "{address}"),
                other => panic!("{address}: {other:?}"),
            }
        }
        assert!(Endpoint::new("http://127.0.0.1:8080/open311/v2", Format::Json).is_ok());
        assert!(Endpoint::new("https://311.example.gov/", Format::Xml).is_ok());
    }
}
