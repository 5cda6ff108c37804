//! Reading GeoReport v2 answers. JSON is read straight into `civic_types::feedback`
//! values; XML through `quick-xml`'s serde support into the same values, each document
//! being its root element around repeated children (`<services><service>…`).
//!
//! Real endpoints send more and less than the spec: unknown fields are ignored, empty or
//! missing optional fields are `None`, and numbers or booleans may be text (see
//! `civic_types::feedback::lenient`).

use std::fmt;

use civic_types::feedback::{
    Open311Error as ErrorEntry, Receipt, Service, ServiceDefinition, ServiceRequest,
};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::Open311Error;

/// Answers larger than this are refused before parsing: a city's whole request list is far
/// smaller.
pub const MAX_ANSWER_BYTES: usize = 16 * 1024 * 1024;

/// The two formats GeoReport v2 endpoints speak (`services.json`, `services.xml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Json,
    Xml,
}

impl Format {
    /// The path suffix the spec puts on every endpoint.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Json => "json",
            Self::Xml => "xml",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Json => "JSON",
            Self::Xml => "XML",
        })
    }
}

/// An XML document whose root holds repeated `<item>` children, whatever they are named.
#[derive(Deserialize)]
struct XmlList<T> {
    #[serde(rename = "$value", default = "Vec::new")]
    items: Vec<T>,
}

/// Reads an answer of at most [`MAX_ANSWER_BYTES`]: JSON straight into `T`, XML into
/// `X` and then `T` (a list's root element is a wrapper the JSON does not have).
fn parse<T, X>(format: Format, body: &[u8], from_xml: fn(X) -> T) -> Result<T, Open311Error>
where
    T: DeserializeOwned,
    X: DeserializeOwned,
{
    if body.len() > MAX_ANSWER_BYTES {
        return Err(Open311Error::TooLarge {
            limit: MAX_ANSWER_BYTES,
        });
    }
    let malformed = |detail: String| Open311Error::Malformed { format, detail };
    match format {
        Format::Json => serde_json::from_slice(body).map_err(|e| malformed(e.to_string())),
        Format::Xml => {
            let text = std::str::from_utf8(body).map_err(|e| malformed(e.to_string()))?;
            quick_xml::de::from_str::<X>(text)
                .map(from_xml)
                .map_err(|e| malformed(e.to_string()))
        }
    }
}

/// Reads a list answer: a JSON array, or an XML root of repeated children.
fn list<T: DeserializeOwned>(format: Format, body: &[u8]) -> Result<Vec<T>, Open311Error> {
    parse(format, body, |list: XmlList<T>| list.items)
}

/// `GET services.{json,xml}`.
pub fn services(format: Format, body: &[u8]) -> Result<Vec<Service>, Open311Error> {
    list(format, body)
}

/// `GET requests.{json,xml}` and `GET requests/{id}.{json,xml}` (a list of one).
pub fn requests(format: Format, body: &[u8]) -> Result<Vec<ServiceRequest>, Open311Error> {
    list(format, body)
}

/// `servicerequestupdates`: each update's status, note and photo.
pub fn updates(
    format: Format,
    body: &[u8],
) -> Result<Vec<civic_types::feedback::RequestUpdate>, Open311Error> {
    list(format, body)
}

/// What `POST requests` and `GET tokens/{token}` answer.
pub fn receipts(format: Format, body: &[u8]) -> Result<Vec<Receipt>, Open311Error> {
    list(format, body)
}

/// `GET services/{code}.{json,xml}`: one object (JSON) or a `<service_definition>` root.
pub fn service_definition(format: Format, body: &[u8]) -> Result<ServiceDefinition, Open311Error> {
    parse(format, body, |definition: ServiceDefinition| definition)
}

/// An error answer (`400`, `403`, `404`…): the spec's array when the body is one, else
/// nothing (the status alone says it was refused).
pub fn refusal(format: Format, status: u16, body: &[u8]) -> Open311Error {
    let errors = list::<ErrorEntry>(format, body).unwrap_or_default();
    Open311Error::Refused { status, errors }
}
