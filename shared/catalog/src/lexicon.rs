//! The search lexicon, kept as data in `assets/search/lexicon.toml`: what no rule can derive
//! from the catalog. Synonyms (everyday words for the portal's), hints (a reason given
//! instead of the procedure: "bị mất" → "cấp lại"), texting shorthand, and stop phrases.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::Deserialize;

use civic_text::fold_tokens;

const BUNDLED_LEXICON: &str = include_str!("../../../assets/search/lexicon.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LexiconFile {
    #[serde(default)]
    synonym: Vec<SynonymEntry>,
    #[serde(default)]
    hint: Vec<HintEntry>,
    #[serde(default)]
    shorthand: Vec<SynonymEntry>,
    stop: StopEntry,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SynonymEntry {
    means: String,
    typed: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct HintEntry {
    adds: Vec<String>,
    typed: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StopEntry {
    phrases: Vec<String>,
}

/// Folded words.
pub type Phrase = Vec<String>;

/// Folded phrases, ready to match against folded query words.
#[derive(Debug)]
pub struct Lexicon {
    /// Typed phrase → every portal wording it may stand for.
    synonyms: HashMap<Phrase, Vec<Phrase>>,
    /// Typed phrase → what it hints at, most likely first.
    hints: HashMap<Phrase, Vec<Phrase>>,
    /// One typed word → the words it is short for.
    shorthand: HashMap<String, Phrase>,
    /// Longest first.
    stop_phrases: Vec<Phrase>,
    /// The longest typed phrase of any synonym or hint, in words.
    longest: usize,
    /// A portal wording as the lexicon writes it, with diacritics, by its folded words.
    written: HashMap<Phrase, String>,
}

#[derive(Debug, thiserror::Error)]
#[error("the search lexicon is not valid: {0}")]
pub struct LexiconError(#[from] toml::de::Error);

impl Lexicon {
    pub fn parse(text: &str) -> Result<Self, LexiconError> {
        let file: LexiconFile = toml::from_str(text)?;
        let mut synonyms: HashMap<Phrase, Vec<Phrase>> = HashMap::new();
        let mut written = HashMap::new();
        for entry in &file.synonym {
            let means = fold_tokens(&entry.means);
            written.insert(means.clone(), entry.means.clone());
            for typed in entry.typed.iter().map(|t| fold_tokens(t)) {
                let readings = synonyms.entry(typed).or_default();
                if !readings.contains(&means) {
                    readings.push(means.clone());
                }
            }
        }
        let mut hints: HashMap<Phrase, Vec<Phrase>> = HashMap::new();
        for entry in &file.hint {
            let adds: Vec<Phrase> = entry.adds.iter().map(|a| fold_tokens(a)).collect();
            for typed in entry.typed.iter().map(|t| fold_tokens(t)) {
                hints.entry(typed).or_default().extend(adds.iter().cloned());
            }
        }
        let shorthand =
            file.shorthand
                .iter()
                .flat_map(|entry| {
                    let means = fold_tokens(&entry.means);
                    entry.typed.iter().filter_map(move |typed| {
                        match fold_tokens(typed).as_slice() {
                            [word] => Some((word.clone(), means.clone())),
                            _ => None,
                        }
                    })
                })
                .collect();
        synonyms.retain(|typed, _| !typed.is_empty());
        hints.retain(|typed, _| !typed.is_empty());
        let mut stop_phrases: Vec<Phrase> = file
            .stop
            .phrases
            .iter()
            .map(|p| fold_tokens(p))
            .filter(|p| !p.is_empty())
            .collect();
        stop_phrases.sort_by_key(|p| std::cmp::Reverse(p.len()));
        let longest = synonyms.keys().chain(hints.keys()).map(Vec::len).max();
        Ok(Self {
            synonyms,
            hints,
            shorthand,
            stop_phrases,
            longest: longest.unwrap_or(0),
            written,
        })
    }

    /// How the lexicon writes a portal wording (with diacritics), if it has it.
    pub fn written(&self, phrase: &[String]) -> Option<&str> {
        self.written.get(phrase).map(String::as_str)
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

    /// The words a texting shorthand stands for ("lm" → "làm").
    pub fn shorthand(&self, word: &str) -> Option<&[String]> {
        self.shorthand.get(word).map(Vec::as_slice)
    }

    /// The longest synonym starting at `words[start]`: how many words it takes and what they
    /// may mean in the portal's wording.
    pub fn synonym_at(&self, words: &[String], start: usize) -> Option<(usize, &[Phrase])> {
        longest_at(&self.synonyms, self.longest, words, start)
    }

    /// The longest hint starting at `words[start]`: how many words and what they suggest.
    pub fn hint_at(&self, words: &[String], start: usize) -> Option<(usize, &[Phrase])> {
        longest_at(&self.hints, self.longest, words, start)
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

fn longest_at<'a>(
    table: &'a HashMap<Phrase, Vec<Phrase>>,
    longest: usize,
    words: &[String],
    start: usize,
) -> Option<(usize, &'a [Phrase])> {
    let available = words.len().saturating_sub(start);
    (1..=longest.min(available)).rev().find_map(|len| {
        table
            .get(&words[start..start + len])
            .map(|readings| (len, readings.as_slice()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        fold_tokens(text)
    }

    #[test]
    fn bundled_lexicon_maps_everyday_words_to_the_portals() {
        let lexicon = Lexicon::bundled();
        let cases = [
            ("bằng lái xe", 3, "giấy phép lái xe"),
            ("sổ đỏ", 2, "giấy chứng nhận quyền sử dụng đất"),
            ("cưới vợ", 2, "đăng ký kết hôn"),
            ("nước ngầm", 2, "nước dưới đất"),
        ];
        for (typed, len, means) in cases {
            let (found, readings) = lexicon.synonym_at(&words(typed), 0).expect(typed);
            assert_eq!(found, len, "{typed}");
            assert!(readings.contains(&words(means)), "{typed}: {readings:?}");
        }
        assert!(
            lexicon
                .synonym_at(&words("khai thác khoáng sản"), 0)
                .is_none()
        );
    }

    #[test]
    fn hints_suggest_the_portals_action_for_a_reason() {
        let lexicon = Lexicon::bundled();
        let query = words("cccd bị mất");
        let (len, adds) = lexicon.hint_at(&query, 1).expect("a hint at «bị mất»");
        assert_eq!(len, 2);
        assert_eq!(adds[0], words("cấp lại"));
        let (_, damaged) = lexicon.hint_at(&words("bị hỏng"), 0).expect("damaged");
        assert_eq!(
            damaged[0],
            words("cấp đổi"),
            "damaged cards are exchanged first"
        );
    }

    #[test]
    fn shorthand_and_stop_phrases() {
        let lexicon = Lexicon::bundled();
        assert_eq!(lexicon.shorthand("lm"), Some(words("làm").as_slice()));
        assert_eq!(lexicon.shorthand("dang"), None);
        assert_eq!(
            lexicon.remove_stop_phrases(&words("thủ tục đăng ký kết hôn như thế nào")),
            words("đăng ký kết hôn")
        );
        assert_eq!(
            lexicon.remove_stop_phrases(&words("thủ tục")),
            words("thủ tục")
        );
    }

    #[test]
    fn unknown_sections_are_refused() {
        let error = Lexicon::parse("[stop]\nphrases = []\n[[synonyms]]\nmeans = \"x\"\n");
        assert!(error.is_err());
    }
}
