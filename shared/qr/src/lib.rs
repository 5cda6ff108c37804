//! `civic-qr`: QR codes. Read them from images, judge what they point at, check board
//! signatures, and print boards. `payload`, `signed` and `trust` are pure; `decode` reads
//! image bytes handed to it; resolving a code asks the catalog through [`ProcedureLookup`]
//! (this crate knows no store).

mod board;
mod decode;
mod error;
mod payload;
mod signed;
mod trust;

use civic_types::{
    catalog::Procedure,
    qr::{ScanKind, ScanReport, ScannedCode, SignatureCheck, SignedBy},
};

pub use board::{Board, BoardCode, MAX_BOARD_CODES, board_link};
pub use decode::{MAX_SIDE, decode_camera_image, decode_frame, decode_image, decode_luma};
pub use error::{BoardError, DecodeError, KeyError, LookupError};
pub use payload::{Classified, MAX_TEXT, Target, classify, split_procedure_code};
pub use signed::{
    BoardClaim, BoardSigner, FRAGMENT_PREFIX, KeyFingerprint, check_fragment, parse_public_key,
};
pub use trust::{Trust, within_domain};

/// What QR resolution needs from the catalog.
pub trait ProcedureLookup {
    /// The procedure with this code, if the catalog has it.
    fn procedure(&self, code: &str) -> Result<Option<Procedure>, LookupError>;
    /// The code of the procedure the national portal shows under its own id.
    fn code_for_portal_id(&self, id: &str) -> Result<Option<String>, LookupError>;
}

/// Where an image comes from: a photo (picked or dropped) gets every decoding pass, a
/// camera frame the quick ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageSource {
    Photo,
    CameraFrame,
}

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ScanError {
    #[error(transparent)]
    Decode(#[from] DecodeError),
    #[error(transparent)]
    Lookup(#[from] LookupError),
}

impl ScanError {
    pub fn code(&self) -> civic_types::error::ErrorCode {
        match self {
            Self::Decode(e) => e.code(),
            Self::Lookup(_) => civic_types::error::ErrorCode::Storage,
        }
    }
}

/// Reads every code in an image (PNG or JPEG bytes).
pub fn decode(bytes: &[u8], source: ImageSource) -> Result<Vec<String>, DecodeError> {
    match source {
        ImageSource::Photo => decode_image(bytes),
        ImageSource::CameraFrame => decode_camera_image(bytes),
    }
}

/// Resolves every decoded text against the catalog.
pub fn resolve_all(
    texts: &[String],
    catalog: &(impl ProcedureLookup + ?Sized),
    trust: &Trust,
) -> Result<ScanReport, LookupError> {
    let codes = texts
        .iter()
        .map(|text| resolve(text, catalog, trust))
        .collect::<Result<_, _>>()?;
    Ok(ScanReport { codes })
}

/// Reads every code in an image and resolves each against the catalog.
pub fn scan_image(
    bytes: &[u8],
    source: ImageSource,
    catalog: &(impl ProcedureLookup + ?Sized),
    trust: &Trust,
) -> Result<ScanReport, ScanError> {
    let texts = decode(bytes, source)?;
    Ok(resolve_all(&texts, catalog, trust)?)
}

/// What one code's text means here: classified, then looked up offline.
pub fn resolve(
    text: &str,
    catalog: &(impl ProcedureLookup + ?Sized),
    trust: &Trust,
) -> Result<ScannedCode, LookupError> {
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
        Target::PortalId(id) => (catalog.code_for_portal_id(id)?, None),
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
        match catalog.procedure(&code)? {
            Some(procedure) => {
                scanned.procedure = Some(procedure.code);
                scanned.procedure_name = Some(procedure.name);
            }
            None => scanned.unknown_code = Some(code),
        }
    }
    Ok(scanned)
}
