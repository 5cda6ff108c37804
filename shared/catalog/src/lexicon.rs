//! The search lexicon: synonyms and stop phrases, kept as data in `assets/search/lexicon.toml`.

use std::sync::LazyLock;

use serde::Deserialize;

use civic_text::fold_tokens;

const BUNDLED_LEXICON: &str = include_str!("../../../assets/search/lexicon.toml");

#[derive(Debug, Deserialize)]
struct LexiconFile {
    synonym: Vec<SynonymEntry>,
    stop: StopEntry,
}

#[derive(Debug, Deserialize)]
struct SynonymEntry {
    means: String,
    typed: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct StopEntry {
    phrases: Vec<String>,
}

/// Folded phrases, ready to match against folded query words.
#[derive(Debug)]
pub struct Lexicon {
    /// (typed words, portal words), longest typed phrase first.
    synonyms: Vec<(Vec<String>, Vec<String>)>,
    /// Longest first.
    stop_phrases: Vec<Vec<String>>,
}

#[derive(Debug, thiserror::Error)]
#[error("the search lexicon is not valid TOML: {0}")]
pub struct LexiconError(#[from] toml::de::Error);

impl Lexicon {
    pub fn parse(text: &str) -> Result<Self, LexiconError> {
        let file: LexiconFile = toml::from_str(text)?;
        let mut synonyms: Vec<(Vec<String>, Vec<String>)> = file
            .synonym
            .iter()
            .flat_map(|entry| {
                let means = fold_tokens(&entry.means);
                entry
                    .typed
                    .iter()
                    .map(move |typed| (fold_tokens(typed), means.clone()))
            })
            .filter(|(typed, _)| !typed.is_empty())
            .collect();
        synonyms.sort_by_key(|(typed, _)| std::cmp::Reverse(typed.len()));
        let mut stop_phrases: Vec<Vec<String>> = file
            .stop
            .phrases
            .iter()
            .map(|p| fold_tokens(p))
            .filter(|p| !p.is_empty())
            .collect();
        stop_phrases.sort_by_key(|p| std::cmp::Reverse(p.len()));
        Ok(Self {
            synonyms,
            stop_phrases,
        })
    }

    /// The lexicon shipped in the app binary.
    pub fn bundled() -> &'static Lexicon {
        static BUNDLED: LazyLock<Lexicon> = LazyLock::new(|| {
            // The file is compiled in and checked by a test; an error here is a build bug.
            #[allow(clippy::expect_used)]
            Lexicon::parse(BUNDLED_LEXICON).expect("bundled lexicon parses")
        });
        &BUNDLED
    }

    /// Replaces every typed phrase by the portal's wording, longest phrases first.
    pub fn apply_synonyms(&self, words: &[String]) -> Vec<String> {
        let mut out = Vec::with_capacity(words.len());
        let mut i = 0;
        'words: while i < words.len() {
            for (typed, means) in &self.synonyms {
                if words[i..].starts_with(typed) {
                    // "giấy phép lái xe" with "lái xe" → the portal wording once, not twice.
                    let overlap = (1..means.len())
                        .rev()
                        .find(|&k| out.ends_with(&means[..k]))
                        .unwrap_or(0);
                    out.truncate(out.len() - overlap);
                    out.extend(means.iter().cloned());
                    i += typed.len();
                    continue 'words;
                }
            }
            out.push(words[i].clone());
            i += 1;
        }
        out
    }

    /// Drops stop phrases; keeps the words as they were if nothing else would be left.
    pub fn remove_stop_phrases(&self, words: &[String]) -> Vec<String> {
        let mut out = Vec::with_capacity(words.len());
        let mut i = 0;
        'words: while i < words.len() {
            for phrase in &self.stop_phrases {
                if words[i..].starts_with(phrase) {
                    i += phrase.len();
                    continue 'words;
                }
            }
            out.push(words[i].clone());
            i += 1;
        }
        if out.is_empty() { words.to_vec() } else { out }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        fold_tokens(text)
    }

    #[test]
    fn bundled_lexicon_parses_and_maps_colloquial_words() {
        let lexicon = Lexicon::bundled();
        let cases = [
            ("đổi bằng lái xe", "đổi giấy phép lái xe"),
            ("GPLX", "giấy phép lái xe"),
            ("so do", "giấy chứng nhận quyền sử dụng đất"),
            // Portal wording already typed: not doubled by overlapping entries.
            ("đổi giấy phép lái xe", "đổi giấy phép lái xe"),
            ("đăng ký khai tử", "đăng ký khai tử"),
        ];
        for (typed, means) in cases {
            assert_eq!(
                lexicon.apply_synonyms(&words(typed)),
                words(means),
                "{typed}"
            );
        }
    }

    #[test]
    fn stop_phrases_go_unless_nothing_is_left() {
        let lexicon = Lexicon::bundled();
        assert_eq!(
            lexicon.remove_stop_phrases(&words("làm giấy khai sinh cho con")),
            words("giấy khai sinh")
        );
        assert_eq!(
            lexicon.remove_stop_phrases(&words("thủ tục")),
            words("thủ tục")
        );
    }
}
