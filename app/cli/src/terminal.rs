//! Text from the network, a QR code or the catalog may carry terminal control sequences
//! (`ESC ]` retitles the window, `ESC [2J` clears it, `\r` overwrites a line, bidi overrides
//! reorder what is read). Everything the CLI prints goes through [`Safe`], which shows such
//! characters as visible escapes; the CLI's own bold marks travel as private-use markers that
//! only this writer turns into real sequences.

use std::io::{self, Write};

/// Marks the start of bold text in rendered output (a private-use character: data that
/// happens to hold one is drawn bold at worst, never anything else).
pub const BOLD: char = '\u{E000}';
/// Marks the end of bold text.
pub const PLAIN: char = '\u{E001}';

/// `text` with every control character (but newline and tab) and every bidi override shown
/// as a visible `\uXXXX` escape (JSON's own spelling, so JSON output stays JSON).
pub fn safe(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_safe(&mut out, text, false);
    out
}

fn push_safe(out: &mut String, text: &str, bold_marks: bool) {
    for c in text.chars() {
        match c {
            '\n' | '\t' => out.push(c),
            BOLD if bold_marks => out.push_str("\x1b[1m"),
            PLAIN if bold_marks => out.push_str("\x1b[0m"),
            c if c.is_control() || is_bidi_control(c) || c == BOLD || c == PLAIN => {
                out.push_str(&format!("\\u{:04x}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
}

/// Embeddings, overrides and isolates: they reorder what is read ("Trojan Source").
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A writer that makes everything written through it terminal-safe (see the module).
/// Bytes that are not UTF-8 are shown as `\x..`; a character split across writes is kept
/// until its last byte arrives.
pub struct Safe<W: Write> {
    inner: W,
    pending: Vec<u8>,
}

impl<W: Write> Safe<W> {
    pub fn new(inner: W) -> Self {
        Self {
            inner,
            pending: Vec::new(),
        }
    }
}

impl<W: Write> Write for Safe<W> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(bytes);
        let mut shown = String::new();
        let mut rest: &[u8] = &self.pending;
        loop {
            match std::str::from_utf8(rest) {
                Ok(text) => {
                    push_safe(&mut shown, text, true);
                    rest = &[];
                    break;
                }
                Err(error) => {
                    let (valid, after) = rest.split_at(error.valid_up_to());
                    push_safe(
                        &mut shown,
                        std::str::from_utf8(valid).unwrap_or_default(),
                        true,
                    );
                    match error.error_len() {
                        Some(bad) => {
                            for byte in &after[..bad] {
                                shown.push_str(&format!("\\x{byte:02x}"));
                            }
                            rest = &after[bad..];
                        }
                        // An incomplete character at the end: wait for the rest of it.
                        None => {
                            rest = after;
                            break;
                        }
                    }
                }
            }
        }
        let kept = rest.to_vec();
        self.pending = kept;
        self.inner.write_all(shown.as_bytes())?;
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
#[allow(clippy::expect_used)]
mod tests {
    use super::*;

    fn through_writer(pieces: &[&[u8]]) -> String {
        let mut out = Safe::new(Vec::new());
        for piece in pieces {
            out.write_all(piece).expect("write");
        }
        String::from_utf8(out.inner).expect("utf-8 out")
    }

    #[test]
    fn control_sequences_are_shown_not_obeyed() {
        let hostile = "Cấp lại\x1b]0;pwned\x07 giấy\r\x1b[2J\u{202E}txt.exe\u{9b}";
        let shown = safe(hostile);
        assert!(
            !shown.chars().any(|c| c.is_control() && c != '\n'),
            "{shown:?}"
        );
        assert_eq!(
            shown,
            "Cấp lại\\u001b]0;pwned\\u0007 giấy\\u000d\\u001b[2J\\u202etxt.exe\\u009b"
        );
        assert_eq!(safe("dòng 1\n\tdòng 2"), "dòng 1\n\tdòng 2");
    }

    #[test]
    fn only_the_writer_turns_bold_marks_into_sequences() {
        let rendered = format!("Đăng ký {BOLD}khai sinh{PLAIN}\n");
        assert_eq!(
            through_writer(&[rendered.as_bytes()]),
            "Đăng ký \x1b[1mkhai sinh\x1b[0m\n"
        );
        assert_eq!(safe(&rendered), "Đăng ký \\ue000khai sinh\\ue001\n");
        assert_eq!(
            through_writer(&[b"a\x1b[31mred"]),
            "a\\u001b[31mred",
            "a real escape from data is shown"
        );
    }

    #[test]
    fn split_characters_and_bad_bytes() {
        let word = "Việt".as_bytes();
        assert_eq!(through_writer(&[&word[..2], &word[2..]]), "Việt");
        assert_eq!(through_writer(&[b"a\xff\xfeb"]), "a\\xff\\xfeb");
    }
}
