use serde::{Deserialize, Serialize};

use crate::city::LocalizedText;

/// What the city trusts a QR code to point at, from its profile (`[qr]`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QrPolicy {
    /// Government hosts a code may send residents to; each also covers its subdomains
    /// (whole labels only). The national portal is always trusted.
    #[serde(default)]
    pub trusted_domains: Vec<String>,
    /// Keys whose signatures on printed boards the app accepts. A signed code names its key by
    /// fingerprint (see `civic qr keygen`), so the profile lists only the public keys.
    #[serde(default)]
    pub signing_keys: Vec<QrSigningKey>,
}

/// A public key that signs the QR codes on a city's boards.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QrSigningKey {
    /// Who holds the private key, shown as "issued by".
    pub issuer: LocalizedText,
    /// Ed25519 public key, 32 bytes in unpadded base64url.
    pub public_key: String,
}

/// What one decoded QR code is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ScanKind {
    /// A link to a procedure on a trusted portal.
    PortalLink,
    /// A bare procedure code, such as `1.001193` or a local variant `1.000110.000.00.00.H01`.
    Code,
    /// A board code carrying a signature (verified or not: see `verified`).
    Signed,
    /// Never opened automatically: see `warnings`.
    Unsafe,
    /// Anything else (plain text, a phone number …), shown as text.
    Other,
}

/// Why a code is unsafe to open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum UnsafeReason {
    /// The host is not one of the government domains the city trusts.
    UntrustedHost,
    /// The host is spelled with non-Latin or accented letters (punycode), a look-alike trick.
    LookAlikeHost,
    /// `user@host`: the part before `@` only pretends to be the site.
    HiddenUser,
    /// Plain `http`: anyone on the network can change the page.
    NotEncrypted,
    /// A link shortener hides where it leads.
    Shortener,
    /// A raw IP address instead of a name.
    IpAddress,
    /// An unusual port.
    UnusualPort,
    /// A scheme that runs or downloads something (`javascript:`, `data:`, `file:`, `intent:` …).
    DangerousScheme,
    /// Text dressed up as a link (no scheme, `hxxp`, spaces or look-alike dots).
    DisguisedLink,
}

/// Whether a board code's signature holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SignatureCheck {
    Verified,
    /// The signature does not match the content: the code was altered.
    Tampered,
    /// Signed with a key the city profile does not list.
    UnknownKey,
    /// The signed part could not be read.
    Malformed,
    /// A signature in the first format, which did not cover the link: it proves nothing.
    Unverifiable,
}

/// Who signed a verified code and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedBy {
    /// The office named in the signed payload, e.g. "UBND xã Xuân Hồng".
    pub office: String,
    /// The key holder from the city profile.
    pub issuer: LocalizedText,
    /// ISO date the code was issued.
    pub issued: String,
}

/// One decoded QR code and what it means, resolved offline against the catalog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScannedCode {
    /// The exact text of the code.
    pub text: String,
    pub kind: ScanKind,
    /// The procedure's base code, when the code names one that is in the catalog.
    pub procedure: Option<String>,
    /// The procedure's name, when found.
    pub procedure_name: Option<String>,
    /// A code the link or text names but the catalog does not hold (offer a search).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unknown_code: Option<String>,
    /// The agency suffix of a local variant code (`.000.00.00.H01`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    /// True only when a signature from a key in the city profile holds.
    pub verified: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<SignatureCheck>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed_by: Option<SignedBy>,
    /// The host a link really leads to (what to highlight), for links.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<UnsafeReason>,
}

/// The scan command's argument is the image itself (PNG or JPEG bytes, sent raw, not as
/// JSON); this header says where it came from.
pub const IMAGE_SOURCE_HEADER: &str = "civic-image-source";
/// [`IMAGE_SOURCE_HEADER`] of a live camera frame: scanned quickly, the next one follows anyway.
pub const CAMERA_FRAME: &str = "camera-frame";
/// [`IMAGE_SOURCE_HEADER`] of a photo, a picked or a dropped file.
pub const PHOTO: &str = "photo";

/// Every code found in one image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScanReport {
    pub codes: Vec<ScannedCode>,
}

/// A printable board of procedures for a one-stop office.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardRequest {
    /// Heading, e.g. "UBND xã Xuân Hồng".
    pub title: String,
    /// Procedure codes, in board order.
    pub codes: Vec<String>,
}

/// A board the host made and saved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardResult {
    /// The sheet as SVG, for a preview.
    pub svg: String,
    pub pdf_path: String,
    pub svg_path: String,
    /// False when no signing key is set up: the codes then carry no signature.
    pub signed: bool,
}

/// The QR component's Tauri commands.
pub mod commands {
    pub const SCAN_IMAGE: &str = "scan_image";
    pub const MAKE_BOARD: &str = "make_board";
    /// Codes the phone's own scanner read (mobile), resolved as scanned ones are.
    pub const RESOLVE_SCANNED: &str = "resolve_scanned";
}
