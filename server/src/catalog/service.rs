//! Catalog versions: publishing (diff against the stored records), cursors, ETags and the
//! encoded bodies of `GET /v1/catalog`.

use std::collections::HashSet;

use civic_types::catalog::{
    CATALOG_WIRE_FORMAT, CatalogChanges, CatalogUpdate, Procedure, is_mass_withdrawal,
};
use sha2::{Digest, Sha256};

use crate::platform::coding::{Coding, Effort};

use crate::catalog::repository::{
    Delta, Head, PublishPlan, RepoError, Repository, StoredRecord, StoredSnapshot, VersionInfo,
};

/// Deltas stay available from cursors this many versions old; older ones get the snapshot.
pub const DELTA_RETENTION: i64 = 50;

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PublishError {
    #[error(transparent)]
    Repo(#[from] RepoError),
    #[error("procedure code {0} appears twice in the new catalog")]
    DuplicateCode(String),
    #[error("the new catalog is empty; refusing to withdraw every procedure")]
    Empty,
    #[error(
        "the new catalog withdraws {withdrawn} of the {held} procedures apps hold; if that is intended, publish again confirming the withdrawals"
    )]
    MassWithdrawal { withdrawn: usize, held: usize },
    #[error("cannot encode the catalog: {0}")]
    Encode(#[from] std::io::Error),
    #[error(transparent)]
    Bundled(#[from] civic_catalog::SnapshotError),
}

impl From<serde_json::Error> for PublishError {
    fn from(error: serde_json::Error) -> Self {
        Self::Encode(error.into())
    }
}

/// Whether a publish may withdraw a large part of the catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Withdrawals {
    /// Refuse a mass withdrawal ([`is_mass_withdrawal`]): most likely a truncated import.
    Guarded,
    /// The operator confirmed it; apps are told so and apply it.
    Confirmed,
}

/// Publishes `procedures` as a new version if anything differs from the newest one.
/// Returns the new version, or `None` when the catalog is unchanged.
///
/// What is withdrawn is counted against the newest version, or, for the first one, against
/// the snapshot every app starts from: either way, what apps would drop.
pub async fn publish<R: Repository>(
    repo: &R,
    procedures: Vec<Procedure>,
    data_date: String,
    published_at: i64,
    withdrawals: Withdrawals,
) -> Result<Option<VersionInfo>, PublishError> {
    if procedures.is_empty() {
        return Err(PublishError::Empty);
    }
    let head = repo.head().await?;
    let stored = repo.digests().await?;
    let mut seen = HashSet::new();
    let mut upserts = Vec::new();
    let (mut added, mut changed) = (0, 0);
    for procedure in &procedures {
        if !seen.insert(procedure.code.as_str()) {
            return Err(PublishError::DuplicateCode(procedure.code.clone()));
        }
        let json = serde_json::to_string(procedure)?;
        let digest = digest(&json);
        match stored.get(&procedure.code) {
            Some(old) if *old == digest => continue,
            Some(_) => changed += 1,
            None => added += 1,
        }
        upserts.push(StoredRecord {
            code: procedure.code.clone(),
            json,
            digest,
        });
    }
    let held = stored.len();
    let mut deletes: Vec<String> = stored
        .into_keys()
        .filter(|code| !seen.contains(code.as_str()))
        .collect();
    deletes.sort();
    if withdrawals == Withdrawals::Guarded {
        let (withdrawn, held) = if head.is_some() {
            (deletes.len(), held)
        } else {
            apps_would_drop(&seen)?
        };
        if is_mass_withdrawal(withdrawn, held) {
            return Err(PublishError::MassWithdrawal { withdrawn, held });
        }
    }
    let same_date = head.as_ref().is_some_and(|h| h.data_date == data_date);
    if upserts.is_empty() && deletes.is_empty() && same_date {
        return Ok(None);
    }
    let confirmed = withdrawals == Withdrawals::Confirmed;
    // A full catalog replaces whatever an app holds, however old: it is confirmed when any
    // version was (each later one passed the guard on its own).
    let confirmed_ever = confirmed
        || repo
            .versions()
            .await?
            .iter()
            .any(|v| v.withdrawals_confirmed);
    let base_version = head.as_ref().map_or(0, |h| h.version);
    let version = base_version + 1;
    let update = CatalogUpdate {
        format: CATALOG_WIRE_FORMAT,
        cursor: cursor(repo.epoch(), version),
        data_date: data_date.clone(),
        withdrawals_confirmed: confirmed_ever,
        changes: CatalogChanges::Full { procedures },
    };
    let json = serde_json::to_vec(&update)?;
    let info = VersionInfo {
        version,
        data_date,
        published_at,
        added,
        changed,
        removed: i64::try_from(deletes.len()).unwrap_or(i64::MAX),
        withdrawals_confirmed: confirmed,
    };
    let plan = PublishPlan {
        base_version,
        version: info.clone(),
        upserts,
        deletes,
        snapshot: StoredSnapshot {
            version,
            json_len: i64::try_from(json.len()).unwrap_or(i64::MAX),
            gzip: Coding::Gzip.encode(&json, Effort::Best)?,
            br: Coding::Br.encode(&json, Effort::Best)?,
        },
        delta_floor: (version - DELTA_RETENTION).max(0),
    };
    repo.publish(plan).await?;
    Ok(Some(info))
}

/// How many of the bundled snapshot's procedures a first version leaves out, of how many.
fn apps_would_drop(codes: &HashSet<&str>) -> Result<(usize, usize), PublishError> {
    let bundled = civic_catalog::Snapshot::bundled()?;
    let dropped = bundled
        .procedures
        .iter()
        .filter(|p| !codes.contains(p.code.as_str()))
        .count();
    Ok((dropped, bundled.procedures.len()))
}

fn digest(json: &str) -> String {
    crate::platform::hex(&Sha256::digest(json.as_bytes()))
}

/// `<epoch>.<version>`: opaque to clients.
pub fn cursor(epoch: &str, version: i64) -> String {
    format!("{epoch}.{version}")
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`since` must be a cursor this gateway returned (like `3f9a0c1d2b4e5f60.12`)")]
pub struct BadCursor;

/// Parses a cursor. A well-formed cursor from another epoch is still `Ok`: the caller answers
/// it with the full snapshot, since the client's data may be from a database since reset.
pub fn parse_cursor(text: &str) -> Result<(&str, i64), BadCursor> {
    let (epoch, version) = text.split_once('.').ok_or(BadCursor)?;
    let epoch_ok = (1..=32).contains(&epoch.len()) && epoch.bytes().all(|b| b.is_ascii_hexdigit());
    let version_ok =
        (1..=18).contains(&version.len()) && version.bytes().all(|b| b.is_ascii_digit());
    if !epoch_ok || !version_ok {
        return Err(BadCursor);
    }
    let version = version.parse().map_err(|_| BadCursor)?;
    Ok((epoch, version))
}

/// The strong ETag of `version` in `coding`: representations differ per coding (RFC 9110 §8.8.3).
pub fn etag(epoch: &str, version: i64, coding: Coding) -> String {
    format!("\"{}.{}\"", cursor(epoch, version), coding.token())
}

/// Whether `If-None-Match` names the current version, in any coding (weak comparison, as
/// RFC 9110 §13.1.2 asks for this header).
pub fn not_modified(if_none_match: &str, epoch: &str, head: &Head) -> bool {
    let current = cursor(epoch, head.version);
    if_none_match.split(',').any(|tag| {
        let tag = tag.trim();
        if tag == "*" {
            return true;
        }
        let tag = tag.strip_prefix("W/").unwrap_or(tag);
        tag.strip_prefix('"')
            .and_then(|t| t.strip_suffix('"'))
            .and_then(|t| t.rsplit_once('.'))
            .is_some_and(|(version, _coding)| version == current)
    })
}

/// The body for a delta: the changed records, whole, and the codes withdrawn.
pub fn delta_update(
    epoch: &str,
    since: i64,
    delta: Delta,
) -> Result<CatalogUpdate, serde_json::Error> {
    let mut upserts = Vec::new();
    let mut deletes = Vec::new();
    for change in delta.changes {
        match change.record {
            Some(json) => upserts.push(serde_json::from_str::<Procedure>(&json)?),
            None => deletes.push(change.code),
        }
    }
    Ok(CatalogUpdate {
        format: CATALOG_WIRE_FORMAT,
        cursor: cursor(epoch, delta.head.version),
        data_date: delta.head.data_date,
        withdrawals_confirmed: delta.withdrawals_confirmed,
        changes: CatalogChanges::Delta {
            since: cursor(epoch, since),
            upserts,
            deletes,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    type Parsed<'a> = Result<(&'a str, i64), BadCursor>;

    #[test]
    fn cursors() {
        let cases: &[(&str, Parsed<'_>)] = &[
            ("ab12.7", Ok(("ab12", 7))),
            ("AB12.0", Ok(("AB12", 0))),
            ("ab12", Err(BadCursor)),
            (".7", Err(BadCursor)),
            ("ab12.", Err(BadCursor)),
            ("xyz.7", Err(BadCursor)),
            ("ab12.-7", Err(BadCursor)),
            ("ab12.7.1", Err(BadCursor)),
            ("ab12.9999999999999999999", Err(BadCursor)),
            ("ab12.٣", Err(BadCursor)),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_cursor(text), *expected, "{text}");
        }
    }

    #[test]
    fn if_none_match() {
        let head = Head {
            version: 4,
            data_date: "2026-11-23".into(),
            published_at: 0,
            delta_floor: 0,
        };
        let hit = etag("ab", 4, Coding::Gzip);
        assert!(not_modified(&hit, "ab", &head));
        assert!(not_modified(&format!("\"x.1.br\", W/{hit}"), "ab", &head));
        assert!(not_modified("*", "ab", &head));
        assert!(!not_modified(&etag("ab", 3, Coding::Gzip), "ab", &head));
        assert!(!not_modified(&etag("cd", 4, Coding::Gzip), "ab", &head));
        assert!(!not_modified("ab.4", "ab", &head), "unquoted is not a tag");
        assert!(!not_modified("", "ab", &head));
    }

    #[test]
    fn encodings_round_trip() {
        let data = br#"{"procedures":["a","b","c"]}"#.repeat(100);
        for effort in [Effort::Best, Effort::Fast] {
            let gz = Coding::Gzip.encode(&data, effort).expect("gzip");
            let mut back = Vec::new();
            std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&gz[..]), &mut back)
                .expect("gunzip");
            assert_eq!(back, data);
            let br = Coding::Br.encode(&data, effort).expect("br");
            let mut back = Vec::new();
            std::io::Read::read_to_end(&mut brotli::Decompressor::new(&br[..], 4096), &mut back)
                .expect("unbrotli");
            assert_eq!(back, data);
        }
    }

    proptest! {
        #[test]
        fn header_parsers_never_panic(header in ".{0,200}") {
            let _ = Coding::negotiate(Some(&header));
            let _ = parse_cursor(&header);
            let head = Head { version: 1, data_date: String::new(), published_at: 0, delta_floor: 0 };
            let _ = not_modified(&header, "ab", &head);
        }

        #[test]
        fn cursors_round_trip(epoch in "[0-9a-f]{1,32}", version in 0i64..i64::MAX / 10) {
            let text = cursor(&epoch, version);
            prop_assert_eq!(parse_cursor(&text), Ok((epoch.as_str(), version)));
        }
    }
}
