//! Citizen feedback reports ("Góp ý – Phản ánh") as Open311 GeoReport v2 describes them:
//! services, service definitions (the form a service asks for), service requests, and the
//! spec's error array. The field names are the spec's, so these values read the JSON of any
//! GeoReport v2 endpoint; `civic-feedback` also reads its XML into them.
//!
//! Real endpoints are loose: numbers arrive as strings (always in XML), booleans as
//! `"true"`, optional fields empty or missing, extra fields present. Every field is read
//! leniently ([`lenient`]); only a service's code and a request's id are required.

use serde::{Deserialize, Serialize};

/// How an endpoint handles a service's requests (GeoReport v2 `type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ServiceType {
    /// A request id comes back at once.
    #[default]
    Realtime,
    /// A token comes back; the id later, from `tokens/{token}`.
    Batch,
    /// Nothing comes back that can be followed.
    Blackbox,
    #[serde(other)]
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Service {
    #[serde(deserialize_with = "lenient::text")]
    pub service_code: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub service_name: String,
    #[serde(default, deserialize_with = "lenient::optional_text")]
    pub description: Option<String>,
    /// The service has a definition (extra form fields) to fetch.
    #[serde(default, deserialize_with = "lenient::flag")]
    pub metadata: bool,
    #[serde(rename = "type", default, deserialize_with = "lenient::service_type")]
    pub service_type: ServiceType,
    /// Comma-separated in the spec; split and trimmed here.
    #[serde(default, deserialize_with = "lenient::keywords")]
    pub keywords: Vec<String>,
    #[serde(default, deserialize_with = "lenient::optional_text")]
    pub group: Option<String>,
}

/// An attribute's kind of value, which decides the form field that asks for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Datatype {
    #[default]
    String,
    Number,
    Datetime,
    Text,
    Singlevaluelist,
    Multivaluelist,
    #[serde(other)]
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AttributeValue {
    #[serde(deserialize_with = "lenient::text")]
    pub key: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub name: String,
}

/// One question of a service's form (GeoReport v2 `attribute`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Attribute {
    /// `false`: information to show, not a question.
    #[serde(default = "yes", deserialize_with = "lenient::flag")]
    pub variable: bool,
    #[serde(deserialize_with = "lenient::text")]
    pub code: String,
    #[serde(default, deserialize_with = "lenient::datatype")]
    pub datatype: Datatype,
    #[serde(default, deserialize_with = "lenient::flag")]
    pub required: bool,
    #[serde(default, deserialize_with = "lenient::optional_text")]
    pub datatype_description: Option<String>,
    #[serde(default, deserialize_with = "lenient::number")]
    pub order: Option<f64>,
    #[serde(default, deserialize_with = "lenient::text")]
    pub description: String,
    #[serde(default, deserialize_with = "lenient::values")]
    pub values: Vec<AttributeValue>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ServiceDefinition {
    #[serde(deserialize_with = "lenient::text")]
    pub service_code: String,
    #[serde(default, deserialize_with = "lenient::attributes")]
    pub attributes: Vec<Attribute>,
}

impl ServiceDefinition {
    /// The questions in the order the endpoint asks for (`order`, then as listed).
    pub fn questions(&self) -> Vec<&Attribute> {
        let mut questions: Vec<&Attribute> =
            self.attributes.iter().filter(|a| a.variable).collect();
        questions.sort_by(|a, b| {
            let key = |x: &Attribute| x.order.unwrap_or(f64::INFINITY);
            key(a).total_cmp(&key(b))
        });
        questions
    }
}

/// A request's state. GeoReport v2 knows `open` and `closed`; FixMyStreet-style updates add
/// the finer ones, which count as open or closed as [`Status::is_open`] says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    #[default]
    Open,
    Investigating,
    ActionScheduled,
    Fixed,
    Duplicate,
    NotResponsible,
    Closed,
    #[serde(other)]
    Unknown,
}

impl Status {
    /// The Fluent message (`feedback.ftl`) naming it to a person.
    #[must_use]
    pub fn message_id(self) -> &'static str {
        match self {
            Self::Open => "report-status-open",
            Self::Investigating => "report-status-investigating",
            Self::ActionScheduled => "report-status-action-scheduled",
            Self::Fixed => "report-status-fixed",
            Self::Duplicate => "report-status-duplicate",
            Self::NotResponsible => "report-status-not-responsible",
            Self::Closed => "report-status-closed",
            Self::Unknown => "report-status-unknown",
        }
    }

    pub fn is_open(self) -> bool {
        matches!(
            self,
            Self::Open | Self::Investigating | Self::ActionScheduled | Self::Unknown
        )
    }

    /// The word an endpoint uses; the spec's own two for `open`/`closed` queries.
    /// Every status this app knows, `Unknown` aside.
    pub const ALL: [Status; 7] = [
        Self::Open,
        Self::Investigating,
        Self::ActionScheduled,
        Self::Fixed,
        Self::Duplicate,
        Self::NotResponsible,
        Self::Closed,
    ];

    /// The status named `text` ([`Status::as_str`]'s words); `Unknown` for any other.
    pub fn parse(text: &str) -> Self {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == text)
            .unwrap_or(Self::Unknown)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Investigating => "investigating",
            Self::ActionScheduled => "action_scheduled",
            Self::Fixed => "fixed",
            Self::Duplicate => "duplicate",
            Self::NotResponsible => "not_responsible",
            Self::Closed => "closed",
            Self::Unknown => "unknown",
        }
    }
}

/// A service request as an endpoint lists it (GeoReport v2 `request`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ServiceRequest {
    #[serde(deserialize_with = "lenient::text")]
    pub service_request_id: String,
    #[serde(default, deserialize_with = "lenient::status")]
    pub status: Status,
    #[serde(default, deserialize_with = "lenient::optional_text")]
    pub status_notes: Option<String>,
    #[serde(default, deserialize_with = "lenient::optional_text")]
    pub service_name: Option<String>,
    #[serde(default, deserialize_with = "lenient::optional_text")]
    pub service_code: Option<String>,
    #[serde(default, deserialize_with = "lenient::optional_text")]
    pub description: Option<String>,
    #[serde(default, deserialize_with = "lenient::optional_text")]
    pub agency_responsible: Option<String>,
    #[serde(default, deserialize_with = "lenient::optional_text")]
    pub service_notice: Option<String>,
    /// ISO 8601 with its offset, as the endpoint wrote it.
    #[serde(default, deserialize_with = "lenient::optional_text")]
    pub requested_datetime: Option<String>,
    #[serde(default, deserialize_with = "lenient::optional_text")]
    pub updated_datetime: Option<String>,
    #[serde(default, deserialize_with = "lenient::optional_text")]
    pub expected_datetime: Option<String>,
    #[serde(default, deserialize_with = "lenient::optional_text")]
    pub address: Option<String>,
    #[serde(default, deserialize_with = "lenient::optional_text")]
    pub address_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::optional_text")]
    pub zipcode: Option<String>,
    #[serde(default, deserialize_with = "lenient::number")]
    pub lat: Option<f64>,
    #[serde(rename = "long", default, deserialize_with = "lenient::number")]
    pub lon: Option<f64>,
    #[serde(default, deserialize_with = "lenient::optional_text")]
    pub media_url: Option<String>,
}

/// What `POST requests` (or `tokens/{token}`) answers: an id, or for batch services a token
/// to ask with later.
/// A change to a request as the agency published it (FixMyStreet-style
/// `servicerequestupdates`): the finer status, a note, a photo of the work.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RequestUpdate {
    #[serde(default, deserialize_with = "lenient::text")]
    pub update_id: String,
    #[serde(deserialize_with = "lenient::text")]
    pub service_request_id: String,
    #[serde(default, deserialize_with = "lenient::status")]
    pub status: Status,
    #[serde(default, deserialize_with = "lenient::optional_text")]
    pub updated_datetime: Option<String>,
    #[serde(default, deserialize_with = "lenient::optional_text")]
    pub description: Option<String>,
    #[serde(default, deserialize_with = "lenient::optional_text")]
    pub media_url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Receipt {
    #[serde(default, deserialize_with = "lenient::optional_text")]
    pub service_request_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::optional_text")]
    pub token: Option<String>,
    #[serde(default, deserialize_with = "lenient::optional_text")]
    pub service_notice: Option<String>,
    #[serde(default, deserialize_with = "lenient::optional_text")]
    pub account_id: Option<String>,
}

/// One entry of the spec's error answer: `[{"code": 403, "description": "…"}]`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Open311Error {
    #[serde(default, deserialize_with = "lenient::text")]
    pub code: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub description: String,
}

/// Deserializers that take what real GeoReport v2 endpoints send: text or numbers or
/// booleans for any scalar, empty text or `null` for "absent", and (from XML) a wrapper
/// element around lists.
/// Where a report is: a point, a typed address, a commune from the picker, or several.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ReportPlace {
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// What the resident typed or the picker named (`address_string`).
    pub address: Option<String>,
    /// The commune's code in the 2025 units (`address_id`).
    pub address_id: Option<String>,
}

impl ReportPlace {
    pub fn is_known(&self) -> bool {
        (self.lat.is_some() && self.lon.is_some())
            || self
                .address
                .as_deref()
                .is_some_and(|a| !a.trim().is_empty())
            || self.address_id.is_some()
    }
}

/// A report as the resident writes it, before it is queued.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ReportDraft {
    pub service_code: String,
    /// The service's name when the draft was written, to show it offline.
    pub service_name: String,
    pub description: Option<String>,
    pub place: ReportPlace,
    /// `(code, value)`; a multi-value question once per value.
    pub attributes: Vec<(String, String)>,
}

/// Where a report is on its way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportState {
    /// Being written; not sent until the resident says so.
    Draft,
    /// Waiting to be sent (no network, the back office busy): retried on its own.
    Queued,
    /// The back office has it: `service_request_id` says under which number.
    Sent,
    /// The back office refused it; the resident can fix and send again.
    NeedsFix,
}

/// One report on this device, for lists.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportSummary {
    /// The number on this device.
    pub id: i64,
    pub state: ReportState,
    pub service_code: String,
    pub service_name: String,
    pub description: Option<String>,
    pub place: ReportPlace,
    pub photos: u32,
    /// Filed under the resident's eID account; `false`: anonymous.
    pub signed_in: bool,
    pub created_at: i64,
    pub attempts: u32,
    pub last_attempt_at: Option<i64>,
    pub next_attempt_at: Option<i64>,
    /// Why the last attempt failed, in the core's words (for whoever helps).
    pub last_error: Option<String>,
    /// What the back office said when it refused (its own words).
    pub refusal: Vec<Open311Error>,
    pub service_request_id: Option<String>,
    pub sent_at: Option<i64>,
    /// The status the back office reports now (`None` before it is sent).
    pub status: Option<Status>,
    /// The status changed since the resident last looked.
    pub status_changed: bool,
    /// When the handling rule says it is due (Unix seconds).
    pub due_at: Option<i64>,
    /// Due and still open.
    pub overdue: bool,
}

impl ReportSummary {
    /// Where the report is, as the Fluent message (`feedback.ftl`) that says it: a draft,
    /// waiting (`$time`: the last attempt, when there was one), to fix, or sent (`$number`,
    /// `$status`: its status's own message).
    #[must_use]
    pub fn state_message_id(&self) -> &'static str {
        match self.state {
            ReportState::Draft => "report-state-draft",
            ReportState::Queued if self.last_attempt_at.is_some() => "report-state-queued-tried",
            ReportState::Queued => "report-state-queued",
            ReportState::NeedsFix => "report-state-needs-fix",
            ReportState::Sent => "report-state-sent",
        }
    }
}

/// One report with its answers, photos' sizes and the agency's timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportDetail {
    pub summary: ReportSummary,
    pub attributes: Vec<(String, String)>,
    /// The photos' addresses once uploaded, in order.
    pub media_urls: Vec<Option<String>>,
    pub timeline: Vec<RequestUpdate>,
}

/// An open report of the same kind near a new one's place: the resident may follow it
/// instead of filing the same thing again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SimilarReport {
    pub request: ServiceRequest,
    /// From the new report's point, in metres.
    pub distance_m: Option<f64>,
    /// The report's photo, shrunk, as a `data:image/jpeg;base64,…` address (`None`: no photo,
    /// or it could not be fetched or read).
    pub photo: Option<String>,
}

/// A photo kept with a draft.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttachedPhoto {
    pub width: u32,
    pub height: u32,
    pub bytes: u64,
    /// Where the photo says it was taken, read only with the resident's consent.
    pub position: Option<(f64, f64)>,
    /// That place became the report's (it had no point yet).
    pub placed: bool,
}

pub mod lenient {
    use std::fmt;

    use serde::Deserialize;
    use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

    use super::{Attribute, AttributeValue, Datatype, ServiceType, Status};

    /// A scalar as text: strings as they are, numbers and booleans written out; `None` for
    /// null, an empty value or an empty element.
    struct Scalar;

    impl<'de> Visitor<'de> for Scalar {
        type Value = Option<String>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("text, a number or a boolean")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            let v = v.trim();
            Ok((!v.is_empty()).then(|| v.to_owned()))
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(Scalar)
        }
        /// An XML element with attributes or children where text was expected: its text
        /// content (`$text`), if any.
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut text = None;
            while let Some(key) = map.next_key::<String>()? {
                if key == "$text" || key == "$value" {
                    text = map.next_value_seed(ScalarSeed)?;
                } else {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            Ok(text)
        }
    }

    struct ScalarSeed;

    impl<'de> de::DeserializeSeed<'de> for ScalarSeed {
        type Value = Option<String>;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(Scalar)
        }
    }

    pub fn optional_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        d.deserialize_any(Scalar)
    }

    pub fn text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        Ok(optional_text(d)?.unwrap_or_default())
    }

    /// `true`, `"true"`, `"1"`, `1`; anything else (absent, empty) is `false`.
    pub fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
        Ok(optional_text(d)?.is_some_and(|v| v.eq_ignore_ascii_case("true") || v == "1"))
    }

    /// A number, or text holding one; `None` when absent, empty or not a finite number.
    pub fn number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
        Ok(optional_text(d)?
            .and_then(|v| v.parse::<f64>().ok())
            .filter(|n| n.is_finite()))
    }

    /// A comma-separated text (the spec's form), or a list (as these values serialize).
    pub fn keywords<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
        struct Keywords;

        impl<'de> Visitor<'de> for Keywords {
            type Value = Vec<String>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("comma-separated keywords or a list of them")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut words = Vec::new();
                while let Some(word) = seq.next_element_seed(ScalarSeed)? {
                    words.extend(split(&word.unwrap_or_default()));
                }
                Ok(words)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(split(v))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Vec::new())
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Vec::new())
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                d.deserialize_any(Keywords)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                Ok(split(&Scalar.visit_map(map)?.unwrap_or_default()))
            }
        }

        fn split(text: &str) -> Vec<String> {
            text.split(',')
                .map(str::trim)
                .filter(|k| !k.is_empty())
                .map(str::to_owned)
                .collect()
        }

        d.deserialize_any(Keywords)
    }

    /// An enumerated word, matched case-insensitively with spaces read as `_`; unknown
    /// words become the type's `Unknown`.
    fn word<'de, D: Deserializer<'de>, T: Default + serde::de::DeserializeOwned>(
        d: D,
    ) -> Result<T, D::Error> {
        let Some(text) = optional_text(d)? else {
            return Ok(T::default());
        };
        let normalised = text.trim().to_ascii_lowercase().replace([' ', '-'], "_");
        Ok(
            serde::de::value::StrDeserializer::<de::value::Error>::new(&normalised)
                .deserialize_any(WordVisitor::<T>(std::marker::PhantomData))
                .unwrap_or_default(),
        )
    }

    struct WordVisitor<T>(std::marker::PhantomData<T>);

    impl<'de, T: serde::de::DeserializeOwned> Visitor<'de> for WordVisitor<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a word")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
            T::deserialize(de::value::StrDeserializer::<E>::new(v))
        }
    }

    pub fn service_type<'de, D: Deserializer<'de>>(d: D) -> Result<ServiceType, D::Error> {
        word(d)
    }

    pub fn datatype<'de, D: Deserializer<'de>>(d: D) -> Result<Datatype, D::Error> {
        word(d)
    }

    pub fn status<'de, D: Deserializer<'de>>(d: D) -> Result<Status, D::Error> {
        word(d)
    }

    /// A list, as JSON writes it (`[…]`) or as XML does (`<values><value>…</value></values>`,
    /// read as a map holding one repeated child). Empty or absent: no items.
    struct List<T>(std::marker::PhantomData<T>);

    impl<'de, T: Deserialize<'de>> Visitor<'de> for List<T> {
        type Value = Vec<T>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a list")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
            let mut items = Vec::new();
            while let Some(item) = seq.next_element()? {
                items.push(item);
            }
            Ok(items)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Vec<T>, A::Error> {
            let mut items = Vec::new();
            while let Some(key) = map.next_key::<String>()? {
                if key.starts_with('@') || key == "$text" {
                    map.next_value::<IgnoredAny>()?;
                } else {
                    items.extend(map.next_value::<OneOrMany<T>>()?.0);
                }
            }
            Ok(items)
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Vec<T>, E> {
            if v.trim().is_empty() {
                Ok(Vec::new())
            } else {
                Err(E::invalid_type(de::Unexpected::Str(v), &self))
            }
        }
        fn visit_unit<E: de::Error>(self) -> Result<Vec<T>, E> {
            Ok(Vec::new())
        }
        fn visit_none<E: de::Error>(self) -> Result<Vec<T>, E> {
            Ok(Vec::new())
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Vec<T>, D::Error> {
            d.deserialize_any(self)
        }
    }

    /// The repeated child of an XML list: one element, or several.
    struct OneOrMany<T>(Vec<T>);

    impl<'de, T: Deserialize<'de>> Deserialize<'de> for OneOrMany<T> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_seq(List::<T>(std::marker::PhantomData))
                .map(OneOrMany)
        }
    }

    pub fn values<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<AttributeValue>, D::Error> {
        d.deserialize_any(List(std::marker::PhantomData))
    }

    pub fn attributes<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Attribute>, D::Error> {
        d.deserialize_any(List(std::marker::PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the app keeps (the outbox's copy of a city's forms) reads back as it was.
    #[test]
    fn values_read_back_what_they_write() {
        let service = Service {
            service_code: "chieu-sang".into(),
            service_name: "Đèn chiếu sáng hỏng".into(),
            description: Some("Đèn không sáng".into()),
            metadata: true,
            service_type: ServiceType::Batch,
            keywords: vec!["đèn đường".into(), "chiếu sáng".into()],
            group: Some("Hạ tầng".into()),
        };
        let json = serde_json::to_string(&service).expect("encode");
        assert_eq!(
            serde_json::from_str::<Service>(&json).expect("decode"),
            service
        );
        let definition = ServiceDefinition {
            service_code: "chieu-sang".into(),
            attributes: vec![Attribute {
                variable: true,
                code: "problem".into(),
                datatype: Datatype::Multivaluelist,
                required: true,
                datatype_description: None,
                order: Some(1.0),
                description: "Đèn bị làm sao?".into(),
                values: vec![AttributeValue {
                    key: "off".into(),
                    name: "Không sáng".into(),
                }],
            }],
        };
        let json = serde_json::to_string(&definition).expect("encode");
        assert_eq!(
            serde_json::from_str::<ServiceDefinition>(&json).expect("decode"),
            definition
        );
        // The spec's comma-separated form still reads.
        let spec: Service =
            serde_json::from_str(r#"{"service_code":"1","keywords":"a, b,,c"}"#).expect("decode");
        assert_eq!(spec.keywords, ["a", "b", "c"]);
    }
}

/// What the feedback page opens with, all from this device (no network).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeedbackOverview {
    /// The city takes reports through the app (a gateway, and `[feedback]` in its profile).
    pub accepting: bool,
    /// New reports are filed under the signed-in resident's eID account; else anonymously.
    pub signed_in: bool,
    /// The kinds of report, as kept since the last sync.
    pub services: Vec<Service>,
    /// Every report on this device, newest first.
    pub reports: Vec<ReportSummary>,
    /// The handling rule residents are shown.
    pub due_working_days: u32,
    /// The city's offline map, for a report's pin.
    pub map: Option<crate::city::CityMap>,
}

/// One report as its page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportView {
    pub detail: ReportDetail,
    /// The photos kept on this device, shrunk, as `data:` addresses, in order.
    pub photos: Vec<String>,
    /// The agency's photos in the timeline: `(update_id, data: address)`.
    pub update_photos: Vec<(String, String)>,
}

/// A commune the picker offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommuneChoice {
    /// The 2025 unit code, sent as `address_id`.
    pub code: String,
    /// `Phường Hải Châu, Thành phố Đà Nẵng`.
    pub name: String,
}

/// Command names, shared by the host and the UI.
pub mod commands {
    /// No arguments → [`super::FeedbackOverview`].
    pub const OVERVIEW: &str = "feedback_overview";
    /// `{service_code}` → the kind's form kept on this device, if any.
    pub const FORM: &str = "feedback_form";
    /// `{id}` → [`super::ReportView`]; the report's new status counts as seen.
    pub const REPORT: &str = "feedback_report";
    /// `{id, draft, anonymous}` → the draft's number (new when `id` is null).
    pub const SAVE_DRAFT: &str = "feedback_save_draft";
    /// A photo as the raw body, the report's number and consent in headers →
    /// [`super::AttachedPhoto`].
    pub const ATTACH_PHOTO: &str = "feedback_attach_photo";
    /// `{id, position}`.
    pub const REMOVE_PHOTO: &str = "feedback_remove_photo";
    /// `{id}`: checked, then sent at the next chance.
    pub const QUEUE: &str = "feedback_queue";
    /// `{id}`: a draft thrown away.
    pub const DISCARD: &str = "feedback_discard";
    /// Every waiting report tried again now → how many.
    pub const RETRY: &str = "feedback_retry";
    /// `{service_code, lat, lon}` → [`super::SimilarReport`]s (needs the network).
    pub const SIMILAR: &str = "feedback_similar";
    /// `{request, draft}` → the followed report's number on this device; the draft (if
    /// any) it replaces is dropped.
    pub const FOLLOW: &str = "feedback_follow";
    /// `{query}` → [`super::CommuneChoice`]s, offline.
    pub const COMMUNES: &str = "feedback_communes";
}

/// Headers of [`commands::ATTACH_PHOTO`].
pub const REPORT_HEADER: &str = "x-civic-report";
/// `"1"`: the resident agreed to the photo's place being read.
pub const PHOTO_PLACE_HEADER: &str = "x-civic-photo-place";
