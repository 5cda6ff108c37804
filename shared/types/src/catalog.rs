use serde::{Deserialize, Serialize};

/// One administrative procedure (thủ tục hành chính) as published on the national portal.
///
/// Fields the importer could not split into structure are kept verbatim in `unparsed`
/// (field name → original text), so nothing from the source is ever dropped silently.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Procedure {
    /// Official code, e.g. `1.001193`.
    pub code: String,
    pub name: String,
    /// Implementing levels (Cấp xã, Cấp tỉnh, Cấp bộ, Cơ quan khác).
    pub levels: Vec<String>,
    pub procedure_type: Option<String>,
    /// Field (lĩnh vực), e.g. "Hộ tịch".
    pub field: String,
    pub decision_number: Option<String>,
    pub target_groups: Vec<String>,
    pub agencies: Agencies,
    pub channels: Vec<Channel>,
    pub steps: Vec<String>,
    pub document_groups: Vec<DocumentGroup>,
    pub conditions: Option<String>,
    pub legal_basis: Vec<LegalDocument>,
    pub results: Vec<String>,
    pub related_procedures: Option<String>,
    pub portal_url: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unparsed: Vec<UnparsedField>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Agencies {
    /// Cơ quan thực hiện: where the resident actually goes.
    pub implementing: Vec<String>,
    /// Cơ quan có thẩm quyền.
    pub competent: Vec<String>,
    pub authorized: Vec<String>,
    pub coordinating: Vec<String>,
    /// Địa chỉ tiếp nhận hồ sơ.
    pub receiving_address: Option<String>,
}

impl Agencies {
    /// Every agency named, implementing first, without repeats; used for filters.
    pub fn all(&self) -> Vec<&str> {
        let mut seen: Vec<&str> = Vec::new();
        for name in self
            .implementing
            .iter()
            .chain(&self.competent)
            .chain(&self.authorized)
        {
            if !seen.contains(&name.as_str()) {
                seen.push(name);
            }
        }
        seen
    }
}

/// How a dossier can be submitted, with its processing time and fee.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Channel {
    pub kind: ChannelKind,
    pub processing_time: ProcessingTime,
    pub fees: Vec<Fee>,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum ChannelKind {
    /// Trực tiếp: at the one-stop office.
    InPerson,
    /// Trực tuyến: on the public service portal.
    Online,
    /// Dịch vụ bưu chính: by post.
    Postal,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum ProcessingTime {
    /// A number of units, e.g. 3 working days.
    Duration { amount: f64, unit: TimeUnit },
    /// The portal gives no information.
    NotStated,
    /// Free text the portal gives instead of a duration ("Không quy định" …).
    Text { text: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum TimeUnit {
    WorkingDays,
    Days,
    WorkingHours,
    Hours,
    Months,
    Years,
    /// The portal printed a bare number.
    Unspecified,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Fee {
    Free,
    NotStated,
    Amount {
        /// "Phí", "Lệ phí" or none when the portal does not say which.
        label: Option<String>,
        /// In the smallest unit of the currency (đồng, cent for USD).
        amount: Option<u64>,
        currency: Currency,
        note: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "UPPERCASE")]
pub enum Currency {
    Vnd,
    Usd,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DocumentGroup {
    /// A heading such as "Giấy tờ phải nộp"; `None` when the portal gives one flat list.
    pub title: Option<String>,
    pub documents: Vec<RequiredDocument>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequiredDocument {
    pub name: String,
    /// File name of the official form (mẫu đơn, tờ khai), when one is attached.
    pub form: Option<String>,
    pub originals: Option<u32>,
    pub copies: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LegalDocument {
    pub title: String,
    pub number: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnparsedField {
    pub field: String,
    pub text: String,
}

/// Version of the catalog wire format (`GET /v1/catalog`); the app refuses other versions.
pub const CATALOG_WIRE_FORMAT: u32 = 1;

/// The body of `GET /v1/catalog`: the whole catalog, or the changes since the client's cursor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CatalogUpdate {
    pub format: u32,
    /// Opaque; send it back as `?since=` to get only what changed after this version.
    pub cursor: String,
    /// ISO date of the data in this version.
    pub data_date: String,
    /// The city's operator confirmed that the versions this update spans may withdraw many
    /// procedures at once (see [`is_mass_withdrawal`]); without it the app refuses such an
    /// update and keeps its catalog.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub withdrawals_confirmed: bool,
    pub changes: CatalogChanges,
}

/// Withdrawing more than this share of the procedures held (in percent)…
pub const MASS_WITHDRAWAL_PERCENT: usize = 10;
/// …and more than this many, needs the operator's confirmation. A city drops a few
/// procedures at a time; losing a large part of its catalog at once is far more likely a
/// truncated import than a decision.
pub const MASS_WITHDRAWAL_MIN: usize = 20;

/// Whether withdrawing `withdrawn` of `held` procedures needs the operator's confirmation,
/// the same rule on the gateway (at publish) and in the app (at sync).
pub fn is_mass_withdrawal(withdrawn: usize, held: usize) -> bool {
    // In u128 so that no count, however large, overflows the comparison.
    withdrawn > MASS_WITHDRAWAL_MIN
        && withdrawn as u128 * 100 > held as u128 * MASS_WITHDRAWAL_PERCENT as u128
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum CatalogChanges {
    /// Every procedure: replaces whatever the client holds.
    Full { procedures: Vec<Procedure> },
    /// Applied on top of the version named by `since`.
    Delta {
        since: String,
        /// Procedures created or changed since then, whole.
        upserts: Vec<Procedure>,
        /// Codes of procedures withdrawn since then.
        deletes: Vec<String>,
    },
}

/// The catalog's Tauri commands.
pub mod commands {
    pub const SEARCH: &str = "search_procedures";
    pub const PROCEDURE: &str = "get_procedure";
    pub const FACETS: &str = "catalog_facets";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mass_withdrawal_is_a_large_share_and_more_than_a_few() {
        assert!(!is_mass_withdrawal(0, 0));
        assert!(
            !is_mass_withdrawal(5, 10),
            "half of a tiny catalog is a few procedures"
        );
        assert!(!is_mass_withdrawal(264, 2_642), "exactly a tenth");
        assert!(is_mass_withdrawal(265, 2_642));
        assert!(is_mass_withdrawal(2_642, 2_642));
        assert!(!is_mass_withdrawal(21, 1_000));
        assert!(is_mass_withdrawal(21, 100));
        assert!(is_mass_withdrawal(usize::MAX, usize::MAX / 2));
    }

    #[test]
    fn the_confirmation_is_optional_on_the_wire() {
        let update = CatalogUpdate {
            format: CATALOG_WIRE_FORMAT,
            cursor: "ab.1".into(),
            data_date: "2026-11-01".into(),
            withdrawals_confirmed: false,
            changes: CatalogChanges::Full {
                procedures: Vec::new(),
            },
        };
        let json = serde_json::to_value(&update).expect("serialize");
        assert!(json.get("withdrawals_confirmed").is_none());
        let back: CatalogUpdate = serde_json::from_value(json).expect("older gateways' bodies");
        assert_eq!(back, update);
        let confirmed = CatalogUpdate {
            withdrawals_confirmed: true,
            ..update
        };
        let json = serde_json::to_string(&confirmed).expect("serialize");
        assert!(json.contains("\"withdrawals_confirmed\":true"));
    }
}
