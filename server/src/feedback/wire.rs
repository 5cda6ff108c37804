//! GeoReport v2's shapes, written once as serde values and sent as JSON or XML. XML is
//! derived from the same value with `quick-xml`'s writer (escaping is the crate's): a list
//! becomes a wrapper element holding one element per item, named by the spec
//! (`services`/`service`, `attributes`/`attribute`, `values`/`value`, …); absent fields are
//! left out.

use axum::http::{HeaderValue, StatusCode, header::CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use serde::Serialize;
use serde_json::Value;

/// The two encodings, chosen by the path's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Xml,
}

impl Format {
    /// Splits `requests.json` into `("requests", Json)`.
    pub fn split(document: &str) -> Option<(&str, Self)> {
        let (name, extension) = document.rsplit_once('.')?;
        let format = match extension {
            "json" => Self::Json,
            "xml" => Self::Xml,
            _ => return None,
        };
        Some((name, format))
    }
}

/// A list of `item`s inside `root` (`services`/`service`); JSON sends the bare array.
pub struct Document<'a> {
    pub root: &'a str,
    pub item: &'a str,
}

pub const SERVICES: Document<'static> = Document {
    root: "services",
    item: "service",
};
pub const REQUESTS: Document<'static> = Document {
    root: "service_requests",
    item: "request",
};
pub const UPDATES: Document<'static> = Document {
    root: "service_request_updates",
    item: "request_update",
};
pub const ERRORS: Document<'static> = Document {
    root: "errors",
    item: "error",
};

/// Element names of nested lists' items.
fn item_of(list: &str) -> &str {
    match list {
        "attributes" => "attribute",
        "values" => "value",
        "media_urls" => "media_url",
        _ => "item",
    }
}

#[derive(Debug, Serialize)]
pub struct ServiceOut<'a> {
    pub service_code: &'a str,
    pub service_name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<&'a str>,
    pub metadata: bool,
    #[serde(rename = "type")]
    pub service_type: &'a str,
    pub keywords: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<&'a str>,
}

#[derive(Debug, Serialize)]
pub struct RequestOut {
    pub service_request_id: String,
    /// The spec's `open` or `closed`; the finer status is in `servicerequestupdates`.
    pub status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_notes: Option<String>,
    pub service_name: String,
    pub service_code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub agency_responsible: String,
    pub requested_datetime: String,
    pub updated_datetime: String,
    pub expected_datetime: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lat: Option<f64>,
    #[serde(rename = "long", skip_serializing_if = "Option::is_none")]
    pub lon: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub media_url: Option<String>,
    /// Every photo when there are several (an extension; `media_url` is the first).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub media_urls: Option<Vec<String>>,
}

#[derive(Debug, Serialize)]
pub struct ReceiptOut {
    /// For a batch service, only the token at first (`tokens/{token}` gives the id).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_request_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_notice: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct UpdateOut {
    pub update_id: String,
    pub service_request_id: String,
    pub status: &'static str,
    pub updated_datetime: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub media_url: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct ErrorOut {
    pub code: u16,
    pub description: String,
}

/// A list answer in `format`.
pub fn list<T: Serialize>(
    status: StatusCode,
    format: Format,
    doc: &Document<'_>,
    items: &[T],
) -> Response {
    match serde_json::to_value(items) {
        Ok(value) => encode(status, format, doc.root, Some(doc.item), &value),
        Err(error) => internal(&error),
    }
}

/// One element answer (`service_definition`) in `format`.
pub fn single<T: Serialize>(status: StatusCode, format: Format, root: &str, item: &T) -> Response {
    match serde_json::to_value(item) {
        Ok(value) => encode(status, format, root, None, &value),
        Err(error) => internal(&error),
    }
}

fn internal(error: &dyn std::fmt::Display) -> Response {
    tracing::error!(%error, "an Open311 answer could not be encoded");
    StatusCode::INTERNAL_SERVER_ERROR.into_response()
}

fn encode(
    status: StatusCode,
    format: Format,
    root: &str,
    item: Option<&str>,
    value: &Value,
) -> Response {
    let (body, content_type) = match format {
        Format::Json => (
            value.to_string().into_bytes(),
            "application/json; charset=utf-8",
        ),
        Format::Xml => match xml(root, item, value) {
            Ok(body) => (body, "text/xml; charset=utf-8"),
            Err(error) => return internal(&error),
        },
    };
    let mut response = (status, body).into_response();
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

fn xml(root: &str, item: Option<&str>, value: &Value) -> std::io::Result<Vec<u8>> {
    let mut writer = Writer::new(Vec::new());
    writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))?;
    match (item, value) {
        (Some(item), Value::Array(items)) => {
            writer.write_event(Event::Start(BytesStart::new(root)))?;
            for value in items {
                element(&mut writer, item, value)?;
            }
            writer.write_event(Event::End(BytesEnd::new(root)))?;
        }
        _ => element(&mut writer, root, value)?,
    }
    Ok(writer.into_inner())
}

fn element(writer: &mut Writer<Vec<u8>>, name: &str, value: &Value) -> std::io::Result<()> {
    if value.is_null() {
        return Ok(());
    }
    writer.write_event(Event::Start(BytesStart::new(name)))?;
    match value {
        Value::Object(fields) => {
            for (key, value) in fields {
                element(writer, key, value)?;
            }
        }
        Value::Array(items) => {
            for value in items {
                element(writer, item_of(name), value)?;
            }
        }
        Value::String(text) => writer.write_event(Event::Text(BytesText::new(text)))?,
        other => writer.write_event(Event::Text(BytesText::new(&other.to_string())))?,
    }
    writer.write_event(Event::End(BytesEnd::new(name)))
}
