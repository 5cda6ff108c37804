//! Printable A4 boards of procedure QR codes for one-stop offices: SVG (text drawn as
//! outlines, so it looks the same everywhere) and PDF (text kept as text), both laid out
//! from one SVG source with the bundled DejaVu Sans, which covers Vietnamese.

use std::fmt::Write as _;
use std::sync::{Arc, OnceLock};

use civic_types::{catalog::Procedure, qr::ScanKind};
use qrcode::{Color, EcLevel, QrCode};
use serde::Deserialize;
use svg2pdf::usvg;

use crate::ProcedureLookup;
use crate::error::BoardError;
use crate::payload::{classify, split_procedure_code};
use crate::signed::{BoardClaim, BoardSigner};
use crate::trust::Trust;

/// 2 × 3 large codes up to six procedures, 3 × 4 smaller ones up to twelve.
pub const MAX_BOARD_CODES: usize = 12;
const MAX_TITLE_CHARS: usize = 80;
const PAGE_WIDTH: f32 = 210.0;
const PAGE_HEIGHT: f32 = 297.0;
const MARGIN: f32 = 12.0;
const FONT_FAMILY: &str = "DejaVu Sans";
static REGULAR: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-Bold.ttf");
/// The old portal address that carries the code itself; used when the catalog has no portal id.
const PORTAL_CODE_URL: &str =
    "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc=";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BoardText {
    subtitle: String,
    signed_footer: String,
    unsigned_footer: String,
}

fn board_text() -> &'static BoardText {
    static TEXT: OnceLock<BoardText> = OnceLock::new();
    TEXT.get_or_init(|| {
        #[allow(clippy::expect_used)] // A compile-time asset; a test renders a board.
        toml::from_str(include_str!("../../../assets/qr/board.toml"))
            .expect("assets/qr/board.toml is valid")
    })
}

/// One procedure on a board.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoardCode {
    pub code: String,
    pub name: String,
    /// The text of its QR code.
    pub link: String,
}

/// A laid-out board, ready to render.
#[derive(Debug, Clone)]
pub struct Board {
    pub title: String,
    /// ISO date printed and signed.
    pub issued: String,
    pub codes: Vec<BoardCode>,
    pub signed: bool,
}

/// The link a board code carries: the procedure's page on the national portal, with the
/// signed claim in the fragment when there is one.
pub fn board_link(
    procedure: &Procedure,
    signed: Option<(&BoardSigner, &BoardClaim)>,
    trust: &Trust,
) -> String {
    // The portal address comes from synced data: use it only if it classifies as a trusted
    // portal link itself, else fall back to the address that names the code.
    let page = procedure
        .portal_url
        .as_deref()
        .filter(|url| classify(url, trust).kind == ScanKind::PortalLink && !url.contains('#'))
        .map_or_else(
            || format!("{PORTAL_CODE_URL}{}", procedure.code),
            str::to_owned,
        );
    signed
        .and_then(|(signer, claim)| signer.sign(claim, &page))
        .unwrap_or(page)
}

impl Board {
    /// Looks every code up in the catalog and signs it when a signer is given.
    pub fn new(
        title: &str,
        codes: &[String],
        catalog: &(impl ProcedureLookup + ?Sized),
        signer: Option<&BoardSigner>,
        issued: &str,
    ) -> Result<Self, BoardError> {
        let title = title.trim();
        if title.is_empty()
            || title.chars().count() > MAX_TITLE_CHARS
            || title.chars().any(char::is_control)
        {
            return Err(BoardError::Title {
                max: MAX_TITLE_CHARS,
            });
        }
        if codes.is_empty() {
            return Err(BoardError::NoCodes);
        }
        if codes.len() > MAX_BOARD_CODES {
            return Err(BoardError::TooMany {
                max: MAX_BOARD_CODES,
            });
        }
        let trust = Trust::new(None);
        let mut entries: Vec<BoardCode> = Vec::with_capacity(codes.len());
        for raw in codes {
            let (base, variant) =
                split_procedure_code(raw.trim()).ok_or_else(|| BoardError::BadCode(raw.clone()))?;
            if variant.is_some() {
                return Err(BoardError::BadCode(raw.clone()));
            }
            if entries.iter().any(|e| e.code == base) {
                return Err(BoardError::Duplicate(base));
            }
            let procedure = catalog
                .procedure(&base)?
                .ok_or_else(|| BoardError::UnknownCode(base.clone()))?;
            let claim = BoardClaim {
                code: base.clone(),
                office: title.to_owned(),
                issued: issued.to_owned(),
            };
            let link = board_link(&procedure, signer.map(|s| (s, &claim)), &trust);
            entries.push(BoardCode {
                code: base,
                name: procedure.name,
                link,
            });
        }
        Ok(Board {
            title: title.to_owned(),
            issued: issued.to_owned(),
            codes: entries,
            signed: signer.is_some(),
        })
    }

    /// The layout source: text as `<text>` in DejaVu Sans.
    fn source_svg(&self) -> Result<String, BoardError> {
        let text = board_text();
        let mut svg = String::new();
        let _ = write!(
            svg,
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="{PAGE_WIDTH}mm" height="{PAGE_HEIGHT}mm" viewBox="0 0 {PAGE_WIDTH} {PAGE_HEIGHT}" font-family="{FONT_FAMILY}"><title>{}</title><rect width="100%" height="100%" fill="#fff"/>"##,
            escape(&self.title)
        );
        let mut y = MARGIN + 8.0;
        for line in wrap(&self.title, 7.0, PAGE_WIDTH - 2.0 * MARGIN, true)
            .iter()
            .take(2)
        {
            let _ = write!(
                svg,
                r#"<text x="{}" y="{y}" font-size="7" font-weight="bold" text-anchor="middle">{}</text>"#,
                PAGE_WIDTH / 2.0,
                escape(line)
            );
            y += 8.5;
        }
        for line in wrap(&text.subtitle, 3.8, PAGE_WIDTH - 2.0 * MARGIN, false)
            .iter()
            .take(2)
        {
            let _ = write!(
                svg,
                r#"<text x="{}" y="{y}" font-size="3.8" text-anchor="middle">{}</text>"#,
                PAGE_WIDTH / 2.0,
                escape(line)
            );
            y += 5.0;
        }
        // Two footer lines of 3 mm text below the grid, clear of the last row's names.
        let footer_top = PAGE_HEIGHT - MARGIN - 9.0;
        let grid_top = y + 2.0;
        let columns = if self.codes.len() <= 6 { 2 } else { 3 };
        let rows = self
            .codes
            .len()
            .div_ceil(columns)
            .max(if columns == 2 { 3 } else { 4 })
            .min(4);
        let cell_width = (PAGE_WIDTH - 2.0 * MARGIN) / columns as f32;
        let cell_height = (footer_top - 2.0 - grid_top) / rows as f32;
        let name_size = if columns == 2 { 3.6 } else { 3.0 };
        // Code line, up to three name lines, and room for their descenders inside the frame.
        let text_block = 5.5 + 3.0 * name_size * 1.25 + 2.5;
        let qr_size = (cell_width - 8.0).min(cell_height - text_block - 3.0);
        for (i, entry) in self.codes.iter().enumerate() {
            let left = MARGIN + (i % columns) as f32 * cell_width;
            let top = grid_top + (i / columns) as f32 * cell_height;
            let _ = write!(
                svg,
                r##"<rect x="{:.2}" y="{:.2}" width="{:.2}" height="{:.2}" fill="none" stroke="#9a9a9a" stroke-width="0.3" rx="2"/>"##,
                left + 1.0,
                top + 1.0,
                cell_width - 2.0,
                cell_height - 2.0
            );
            let qr_left = left + (cell_width - qr_size) / 2.0;
            svg.push_str(&qr_group(&entry.link, qr_left, top + 2.5, qr_size).map_err(
                |reason| BoardError::Encode {
                    code: entry.code.clone(),
                    reason,
                },
            )?);
            let center = left + cell_width / 2.0;
            let mut line_y = top + 2.5 + qr_size + 5.0;
            let _ = write!(
                svg,
                r#"<text x="{center}" y="{line_y}" font-size="4" font-weight="bold" text-anchor="middle">{}</text>"#,
                escape(&entry.code)
            );
            for line in wrap(&entry.name, name_size, cell_width - 6.0, false)
                .iter()
                .take(3)
            {
                line_y += name_size * 1.25;
                let _ = write!(
                    svg,
                    r#"<text x="{center}" y="{line_y}" font-size="{name_size}" text-anchor="middle">{}</text>"#,
                    escape(line)
                );
            }
        }
        let date = format_date(&self.issued);
        let footer = if self.signed {
            text.signed_footer
                .replace("{office}", &self.title)
                .replace("{date}", &date)
        } else {
            text.unsigned_footer.replace("{date}", &date)
        };
        let mut footer_y = footer_top + 3.0;
        for line in wrap(&footer, 3.0, PAGE_WIDTH - 2.0 * MARGIN, false)
            .iter()
            .take(2)
        {
            let _ = write!(
                svg,
                r##"<text x="{}" y="{footer_y}" font-size="3" fill="#333" text-anchor="middle">{}</text>"##,
                PAGE_WIDTH / 2.0,
                escape(line)
            );
            footer_y += 4.0;
        }
        svg.push_str("</svg>");
        Ok(svg)
    }

    fn tree(&self) -> Result<usvg::Tree, BoardError> {
        let options = usvg::Options {
            fontdb: fonts(),
            font_family: FONT_FAMILY.to_owned(),
            ..usvg::Options::default()
        };
        usvg::Tree::from_str(&self.source_svg()?, &options)
            .map_err(|e| BoardError::Render(e.to_string()))
    }

    /// A self-contained SVG: text drawn as outlines, so no font is needed to view or print it.
    pub fn svg(&self) -> Result<String, BoardError> {
        Ok(self.tree()?.to_string(&usvg::WriteOptions::default()))
    }

    /// A one-page A4 PDF with the font embedded (subset), text selectable.
    pub fn pdf(&self) -> Result<Vec<u8>, BoardError> {
        svg2pdf::to_pdf(
            &self.tree()?,
            svg2pdf::ConversionOptions::default(),
            svg2pdf::PageOptions::default(),
        )
        .map_err(|e| BoardError::Render(e.to_string()))
    }
}

fn fonts() -> Arc<usvg::fontdb::Database> {
    static DB: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        db.load_font_data(REGULAR.to_vec());
        db.load_font_data(BOLD.to_vec());
        Arc::new(db)
    })
    .clone()
}

/// Modules of white around a QR code, as the standard asks.
const QUIET_ZONE: usize = 4;

/// A QR code's dark modules as one SVG path (runs along each row), offset by the quiet
/// zone, and the modules across including it.
fn dark_modules(code: &QrCode) -> (String, usize) {
    let width = code.width();
    let colors = code.to_colors();
    let mut path = String::new();
    for (y, row) in colors.chunks(width).enumerate() {
        let mut x = 0;
        while x < width {
            if row[x] == Color::Dark {
                let run = row[x..].iter().take_while(|c| **c == Color::Dark).count();
                let _ = write!(
                    path,
                    "M{} {}h{run}v1h-{run}z",
                    x + QUIET_ZONE,
                    y + QUIET_ZONE
                );
                x += run;
            } else {
                x += 1;
            }
        }
    }
    (path, width + 2 * QUIET_ZONE)
}

/// The QR code as one path of dark modules, with its quiet zone, `size` mm wide.
fn qr_group(text: &str, left: f32, top: f32, size: f32) -> Result<String, String> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
        .map_err(|e| e.to_string())?;
    let (path, modules) = dark_modules(&code);
    let scale = size / modules as f32;
    Ok(format!(
        r##"<g transform="translate({left:.3} {top:.3}) scale({scale:.5})"><rect width="{modules}" height="{modules}" fill="#fff"/><path d="{path}" fill="#000" shape-rendering="crispEdges"/></g>"##
    ))
}

/// Greedy line breaking with the font's real advance widths.
fn wrap(text: &str, font_size: f32, max_width: f32, bold: bool) -> Vec<String> {
    let face = ttf_parser::Face::parse(if bold { BOLD } else { REGULAR }, 0).ok();
    let width_of = |s: &str| -> f32 {
        let Some(face) = &face else {
            return s.chars().count() as f32 * 0.6 * font_size;
        };
        let units = f32::from(face.units_per_em());
        s.chars()
            .map(|c| {
                face.glyph_index(c)
                    .and_then(|g| face.glyph_hor_advance(g))
                    .map_or(0.6 * units, f32::from)
            })
            .sum::<f32>()
            * font_size
            / units
    };
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_owned()
        } else {
            format!("{line} {word}")
        };
        if width_of(&candidate) <= max_width || line.is_empty() {
            line = candidate;
        } else {
            lines.push(std::mem::replace(&mut line, word.to_owned()));
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `2026-11-23` → `23/11/2026`, as Vietnamese documents write dates.
fn format_date(iso: &str) -> String {
    let parts: Vec<&str> = iso.split('-').collect();
    match parts.as_slice() {
        [y, m, d] => format!("{d}/{m}/{y}"),
        _ => iso.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_uses_real_widths_and_never_loses_words() {
        let text = "Đăng ký khai sinh có yếu tố nước ngoài tại khu vực biên giới";
        let lines = wrap(text, 3.6, 60.0, false);
        assert!(lines.len() >= 2, "{lines:?}");
        assert_eq!(lines.join(" "), text);
        assert_eq!(wrap("", 3.0, 10.0, false), Vec::<String>::new());
        assert_eq!(
            wrap("Siêudàikhôngngắtđược", 3.0, 5.0, false).len(),
            1,
            "a long word gets its own line"
        );
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape(r#"A & <b> "c""#), "A &amp; &lt;b&gt; &quot;c&quot;");
        assert_eq!(format_date("2026-11-23"), "23/11/2026");
    }
}
