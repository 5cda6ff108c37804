//! QR codes: read them from images, judge what they point at, check board signatures, and
//! print boards. `payload`, `signed` and `trust` are pure; `decode` reads image bytes handed
//! to it; resolving a code reads the catalog.

mod board;
mod decode;
mod error;
mod payload;
mod signed;
mod trust;

use civic_types::{ScanKind, ScanReport, ScannedCode, SignatureCheck, SignedBy};

pub use board::{Board, BoardCode, MAX_BOARD_CODES, board_link};
pub use decode::{MAX_SIDE, decode_camera_image, decode_frame, decode_image, decode_luma};
pub use error::{BoardError, DecodeError, KeyError};
pub use payload::{Classified, MAX_TEXT, Target, classify, split_procedure_code};
pub use signed::{
    BoardClaim, BoardSigner, FRAGMENT_PREFIX, KeyFingerprint, check_fragment, validate_public_key,
};
pub use trust::{Trust, within_domain};

use crate::{CatalogError, CatalogStore};

/// Reads every code in an image and resolves each against the catalog.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ScanError {
    #[error(transparent)]
    Decode(#[from] DecodeError),
    #[error(transparent)]
    Catalog(#[from] CatalogError),
}

impl Trust {
    /// National defaults plus the profile of the city this catalog last synced with.
    pub fn for_store(store: &CatalogStore) -> Result<Self, CatalogError> {
        Ok(Trust::new(store.city()?.as_ref().map(|city| &city.qr)))
    }
}

pub fn scan_image(
    bytes: &[u8],
    store: &CatalogStore,
    trust: &Trust,
) -> Result<ScanReport, ScanError> {
    let texts = decode_image(bytes)?;
    let codes = texts
        .iter()
        .map(|text| resolve(text, store, trust))
        .collect::<Result<_, _>>()?;
    Ok(ScanReport { codes })
}

/// What one code's text means here: classified, then looked up offline.
pub fn resolve(
    text: &str,
    store: &CatalogStore,
    trust: &Trust,
) -> Result<ScannedCode, CatalogError> {
    let classified = classify(text, trust);
    let mut scanned = ScannedCode {
        text: text.to_owned(),
        kind: classified.kind,
        procedure: None,
        procedure_name: None,
        unknown_code: None,
        variant: None,
        verified: false,
        signature: None,
        signed_by: None,
        host: classified.host.clone(),
        warnings: classified.warnings.clone(),
    };
    if classified.kind == ScanKind::Unsafe {
        return Ok(scanned);
    }
    let (named, variant) = match &classified.target {
        Target::Code { base, variant } => (Some(base.clone()), variant.clone()),
        Target::PortalId(id) => (store.code_for_portal_id(id)?, None),
        Target::None => (None, None),
    };
    scanned.variant = variant;
    let mut code = named.clone();
    if let Some(fragment) = &classified.signature {
        let mut check = fragment.check;
        if let Some(claim) = &fragment.claim {
            // The link and the signed payload must name the same procedure.
            match &named {
                Some(named) if *named != claim.code => check = SignatureCheck::Tampered,
                _ => code = Some(claim.code.clone()),
            }
            if check == SignatureCheck::Verified {
                scanned.signed_by = fragment.issuer.clone().map(|issuer| SignedBy {
                    office: claim.office.clone(),
                    issuer,
                    issued: claim.issued.clone(),
                });
            }
        }
        scanned.verified = check == SignatureCheck::Verified;
        scanned.signature = Some(check);
    }
    if let Some(code) = code {
        match store.get(&code)? {
            Some(procedure) => {
                scanned.procedure = Some(procedure.code);
                scanned.procedure_name = Some(procedure.name);
            }
            None => scanned.unknown_code = Some(code),
        }
    }
    Ok(scanned)
}
