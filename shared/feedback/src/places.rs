//! The commune picker: Vietnam's 34 provinces and 3,321 communes, wards and special zones
//! after the July 2025 reform, shipped with the app (`assets/places/vn_units_2025.tsv`) and
//! found the way residents type them: without diacritics, in Telex or VNI, with the unit
//! word or its abbreviation ("p. ba dinh", "xa tan lap ha noi"), half-typed at the end.
//!
//! Matching folds both sides with `civic-text`, as procedure search does. Every word of the
//! query must name something of the place (its name, its kind, its province); words in the
//! name count most, and a query that gives the whole name ranks it first.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use civic_text::{decode_keystrokes, fold_tokens};

const BUNDLED: &str = include_str!("../../../assets/places/vn_units_2025.tsv");

/// The columns of the shipped file, in order.
pub const COLUMNS: [&str; 6] = [
    "province_code",
    "province",
    "province_kind",
    "code",
    "name",
    "kind",
];

/// A commune-level unit (xã, phường, đặc khu) and its province.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// The unit's official code, e.g. `00004`.
    pub code: String,
    /// e.g. `Ba Đình`.
    pub name: String,
    /// e.g. `Phường`, `Xã`, `Đặc khu`.
    pub kind: String,
    pub province_code: String,
    /// e.g. `Hà Nội`.
    pub province: String,
    /// e.g. `Thành phố`, `Tỉnh`.
    pub province_kind: String,
}

impl Place {
    /// `Phường Ba Đình, Thành phố Hà Nội`.
    pub fn full_name(&self) -> String {
        format!(
            "{} {}, {} {}",
            self.kind, self.name, self.province_kind, self.province
        )
    }
}

#[derive(Debug, thiserror::Error)]
#[error("line {line} of the places file: {problem}")]
pub struct PlacesError {
    pub line: usize,
    pub problem: String,
}

/// A place's words, folded, by what they say of it.
#[derive(Debug)]
struct Words {
    name: Vec<String>,
    kind: Vec<String>,
    province: Vec<String>,
    province_kind: Vec<String>,
    /// The unit word and name as written, lower-cased: breaks ties between names that
    /// fold alike ("Văn Lang", "Văn Lăng") when the query has its diacritics.
    written: Vec<String>,
}

#[derive(Debug)]
pub struct Places {
    places: Vec<Place>,
    words: Vec<Words>,
    /// Each folded word to the places that have it anywhere (name, province, unit words),
    /// ascending: a query word narrows the places to score before any is scored.
    index: BTreeMap<String, Vec<usize>>,
}

static BUNDLED_PLACES: LazyLock<Result<Places, PlacesError>> =
    LazyLock::new(|| Places::parse(BUNDLED));

/// What a query word earns by what it names: a word of the place's name (whole, or the start
/// of a word still being typed), of its province's name, or a unit word (xã, tỉnh…).
const IN_NAME: u32 = 4;
const IN_NAME_PREFIX: u32 = 3;
const IN_PROVINCE: u32 = 3;
const UNIT_WORD: u32 = 1;
/// The province's whole name, word after word ("tay ninh"), not a word of it lent to a
/// longer place name ("Phước Vĩnh Tây").
const WHOLE_PROVINCE: u32 = 2;
/// A query that gives the whole name as written, word after word ("thanh xuan")…
const WHOLE_NAME: u32 = 6;
/// …or every word of it, but apart or out of order ("xuan … phuong" for "Xuân Phương").
const NAME_WORDS_APART: u32 = 1;

impl Places {
    /// The places shipped with the app.
    pub fn bundled() -> Result<&'static Places, &'static PlacesError> {
        BUNDLED_PLACES.as_ref()
    }

    /// Reads the tab-separated file: a header of [`COLUMNS`], then a place a line.
    pub fn parse(text: &str) -> Result<Self, PlacesError> {
        let mut lines = text.lines().enumerate();
        let header: Vec<&str> = lines
            .next()
            .map(|(_, l)| l.split('\t').collect())
            .unwrap_or_default();
        if header != COLUMNS {
            return Err(PlacesError {
                line: 1,
                problem: format!("the header must be {}", COLUMNS.join(", ")),
            });
        }
        let mut places = Vec::new();
        for (index, line) in lines {
            if line.trim().is_empty() {
                continue;
            }
            let fields: Vec<&str> = line.split('\t').map(str::trim).collect();
            let [province_code, province, province_kind, code, name, kind] = fields[..] else {
                return Err(PlacesError {
                    line: index + 1,
                    problem: format!("{} fields, not {}", fields.len(), COLUMNS.len()),
                });
            };
            if [province_code, province, code, name, kind]
                .iter()
                .any(|f| f.is_empty())
            {
                return Err(PlacesError {
                    line: index + 1,
                    problem: "an empty field".into(),
                });
            }
            places.push(Place {
                code: code.into(),
                name: name.into(),
                kind: kind.into(),
                province_code: province_code.into(),
                province: province.into(),
                province_kind: province_kind.into(),
            });
        }
        let words = places
            .iter()
            .map(|p| Words {
                name: fold_tokens(&p.name),
                kind: fold_tokens(&p.kind),
                province: fold_tokens(&p.province),
                province_kind: fold_tokens(&p.province_kind),
                written: written_words(&format!("{} {}", p.kind, p.name)),
            })
            .collect::<Vec<Words>>();
        let mut index: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, w) in words.iter().enumerate() {
            for word in w
                .name
                .iter()
                .chain(&w.kind)
                .chain(&w.province)
                .chain(&w.province_kind)
            {
                let places = index.entry(word.clone()).or_default();
                if places.last() != Some(&i) {
                    places.push(i);
                }
            }
        }
        Ok(Self {
            places,
            words,
            index,
        })
    }

    pub fn len(&self) -> usize {
        self.places.len()
    }

    pub fn is_empty(&self) -> bool {
        self.places.is_empty()
    }

    pub fn all(&self) -> &[Place] {
        &self.places
    }

    pub fn by_code(&self, code: &str) -> Option<&Place> {
        self.places.iter().find(|p| p.code == code)
    }

    /// The places `query` names, best first, at most `limit`. The last word may be
    /// unfinished (type-ahead). An empty query names nothing.
    pub fn search(&self, query: &str, limit: usize) -> Vec<&Place> {
        let typed = query_words(query);
        if typed.is_empty() {
            return Vec::new();
        }
        let written = written_words(query);
        let mut scored: Vec<(u32, usize, usize)> = self
            .candidates(&typed)
            .into_iter()
            .filter_map(|i| {
                let words = &self.words[i];
                let as_written = written.iter().filter(|w| words.written.contains(w)).count();
                score(&typed, words).map(|s| (s, as_written, i))
            })
            .collect();
        scored.sort_by(|(a, a_written, i), (b, b_written, j)| {
            b.cmp(a)
                .then_with(|| b_written.cmp(a_written))
                .then_with(|| self.words[*i].name.len().cmp(&self.words[*j].name.len()))
                .then_with(|| self.places[*i].code.cmp(&self.places[*j].code))
        });
        scored
            .into_iter()
            .take(limit)
            .map(|(_, _, i)| &self.places[i])
            .collect()
    }
}

impl Places {
    /// The places that have something every query word reads: only they can score.
    fn candidates(&self, typed: &[Typed]) -> Vec<usize> {
        let mut candidates: Option<Vec<usize>> = None;
        for word in typed {
            let mut having: Vec<usize> = Vec::new();
            for reading in &word.readings {
                if word.partial {
                    let starting = self
                        .index
                        .range::<str, _>((
                            std::ops::Bound::Included(reading.as_str()),
                            std::ops::Bound::Unbounded,
                        ))
                        .take_while(|(key, _)| key.starts_with(reading.as_str()));
                    for (_, places) in starting {
                        having.extend(places);
                    }
                } else if let Some(places) = self.index.get(reading) {
                    having.extend(places);
                }
            }
            having.sort_unstable();
            having.dedup();
            candidates = Some(match candidates {
                None => having,
                Some(before) => before
                    .into_iter()
                    .filter(|i| having.binary_search(i).is_ok())
                    .collect(),
            });
        }
        candidates.unwrap_or_default()
    }
}

/// A word of the query and the ways it may be read.
#[derive(Debug)]
struct Typed {
    readings: Vec<String>,
    /// The last word, perhaps unfinished.
    partial: bool,
}

/// The unit words' abbreviations on Vietnamese addresses ("P. Ba Đình", "TP. Huế").
fn expand_abbreviation(word: &str) -> Option<&'static [&'static str]> {
    Some(match word {
        "p" => &["phuong"],
        "x" => &["xa"],
        "tp" => &["thanh", "pho"],
        "t" => &["tinh"],
        "dk" => &["dac", "khu"],
        _ => return None,
    })
}

fn query_words(query: &str) -> Vec<Typed> {
    let raw: Vec<&str> = query.split_whitespace().collect();
    let ends_in_space = query.ends_with(char::is_whitespace);
    let mut typed = Vec::new();
    for (i, word) in raw.iter().enumerate() {
        let last = i + 1 == raw.len() && !ends_in_space;
        let folded = fold_tokens(word);
        // "P." and "TP." are abbreviations only when written as such, not as a word's start.
        let abbreviated = word.ends_with('.') || !last;
        for (j, piece) in folded.iter().enumerate() {
            let is_last_piece = last && j + 1 == folded.len();
            if let Some(expanded) = expand_abbreviation(piece).filter(|_| abbreviated) {
                typed.extend(expanded.iter().map(|w| Typed {
                    readings: vec![(*w).to_owned()],
                    partial: false,
                }));
                continue;
            }
            let mut readings = vec![piece.clone()];
            if let Some(decoded) = decode_keystrokes(piece).filter(|d| d != piece) {
                readings.push(decoded);
            }
            typed.push(Typed {
                readings,
                partial: is_last_piece,
            });
        }
    }
    typed
}

/// Lower-cased words as written, punctuation trimmed, diacritics kept.
fn written_words(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || c == '.' || c == ',')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// How well `typed` names a place; `None` when some word names nothing of it. Each word of
/// the name is given by one query word at most: "tien tien" is Tiên Tiến, not Tiên Hưng.
///
/// Best is the whole name as a run of query words with every other word naming the
/// province or a unit; failing that, each word scores on its own.
fn score(typed: &[Typed], words: &Words) -> Option<u32> {
    let name_len = words.name.len();
    let mut best: Option<u32> = None;
    // Every run of `name_len` query words (none when the query is shorter than the name).
    for (start, run) in typed.windows(name_len.max(1)).enumerate() {
        if run.len() != name_len {
            continue;
        }
        let mut total = WHOLE_NAME;
        let mut fits = true;
        for (word, name_word) in run.iter().zip(&words.name) {
            match word.reads(name_word) {
                Reading::Whole => total += IN_NAME,
                Reading::Start => total += IN_NAME_PREFIX,
                Reading::No => {
                    fits = false;
                    break;
                }
            }
        }
        if !fits {
            continue;
        }
        let rest: Vec<&Typed> = typed[..start]
            .iter()
            .chain(&typed[start + name_len..])
            .collect();
        if let Some(others) = outside_name(&rest, words) {
            best = best.max(Some(total + others));
        }
    }
    if best.is_some() {
        return best;
    }
    // No run gives the whole name: each query word on its own, each name word once.
    let mut given = vec![false; name_len];
    let mut total = 0;
    let mut rest = Vec::new();
    for word in typed {
        let unclaimed = (0..name_len)
            .filter(|&i| !given[i])
            .map(|i| (i, word.reads(&words.name[i])))
            .filter(|(_, reading)| *reading != Reading::No)
            .max_by_key(|(_, reading)| *reading == Reading::Whole);
        match unclaimed {
            Some((i, reading)) => {
                given[i] = true;
                total += if reading == Reading::Whole {
                    IN_NAME
                } else {
                    IN_NAME_PREFIX
                };
            }
            None => rest.push(word),
        }
    }
    total += outside_name(&rest, words)?;
    if given.iter().all(|g| *g) {
        total += NAME_WORDS_APART;
    }
    Some(total)
}

/// What the query words outside the name earn: each must name a word of the province or a
/// unit word, each of those named once.
fn outside_name(rest: &[&Typed], words: &Words) -> Option<u32> {
    let mut province_given = vec![false; words.province.len()];
    let units: Vec<&String> = words.kind.iter().chain(&words.province_kind).collect();
    let mut unit_given = vec![false; units.len()];
    let province: Vec<&String> = words.province.iter().collect();
    let mut total = 0;
    // Where each province word was given, to see whether the whole name came in order.
    let mut province_at = vec![usize::MAX; words.province.len()];
    for (position, word) in rest.iter().enumerate() {
        let claim = |candidates: &[&String], given: &[bool]| {
            (0..candidates.len()).find(|&i| !given[i] && word.reads(candidates[i]) != Reading::No)
        };
        if let Some(i) = claim(&province, &province_given) {
            province_given[i] = true;
            province_at[i] = position;
            total += IN_PROVINCE;
        } else if let Some(i) = claim(&units, &unit_given) {
            unit_given[i] = true;
            total += UNIT_WORD;
        } else {
            return None;
        }
    }
    let whole_province = province_at
        .first()
        .is_some_and(|&first| first != usize::MAX)
        && province_at.windows(2).all(|pair| pair[1] == pair[0] + 1);
    if whole_province {
        total += WHOLE_PROVINCE;
    }
    Some(total)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reading {
    /// The word as typed is this word.
    Whole,
    /// The word being typed is the start of this word.
    Start,
    No,
}

impl Typed {
    fn reads(&self, place_word: &str) -> Reading {
        if self.readings.iter().any(|r| r == place_word) {
            Reading::Whole
        } else if self.partial
            && self
                .readings
                .iter()
                .any(|r| place_word.starts_with(r.as_str()))
        {
            Reading::Start
        } else {
            Reading::No
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "province_code\tprovince\tprovince_kind\tcode\tname\tkind
01\tHà Nội\tThành phố\t00004\tBa Đình\tPhường
01\tHà Nội\tThành phố\t00008\tNgọc Hà\tPhường
01\tHà Nội\tThành phố\t09999\tBa Vì\tXã
37\tNinh Bình\tTỉnh\t14000\tHoa Lư\tPhường
37\tNinh Bình\tTỉnh\t14001\tGia Viễn\tXã
46\tHuế\tThành phố\t19000\tThuận Hóa\tPhường
";

    fn codes(places: &Places, query: &str) -> Vec<String> {
        places
            .search(query, 10)
            .into_iter()
            .map(|p| p.code.clone())
            .collect()
    }

    fn sample() -> Places {
        match Places::parse(SAMPLE) {
            Ok(places) => places,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn residents_spellings_find_the_place() {
        let places = sample();
        for query in [
            "ba dinh",
            "Ba Đình",
            "phuong ba dinh",
            "p. ba dinh",
            "P.Ba Đình",
            "ba dinh ha noi",
            "baf ddinhf",
            "ba dinh tp ha noi",
            "ba di",
        ] {
            assert_eq!(
                codes(&places, query).first().map(String::as_str),
                Some("00004"),
                "{query}"
            );
        }
        assert_eq!(codes(&places, "hoa lu"), ["14000"]);
        assert_eq!(codes(&places, "xa gia vien ninh binh"), ["14001"]);
        assert_eq!(codes(&places, "thuan hoa hue"), ["19000"]);
    }

    #[test]
    fn every_word_must_name_something_and_the_whole_name_ranks_first() {
        let places = sample();
        assert!(codes(&places, "ba dinh da nang").is_empty());
        assert!(codes(&places, "").is_empty());
        assert!(codes(&places, "   ").is_empty());
        // "ba" alone: both Ba Đình and Ba Vì, the finished word not a prefix of others.
        assert_eq!(codes(&places, "ba "), ["00004", "09999"]);
        assert_eq!(codes(&places, "ba vi"), ["09999"]);
        // A province alone lists its places.
        assert_eq!(codes(&places, "ninh binh"), ["14000", "14001"]);
        // "p" as a word being typed is a prefix, not "phường".
        assert_eq!(codes(&places, "hoa lu p"), ["14000"]);
    }

    #[test]
    fn a_damaged_file_is_refused_with_its_line() {
        let Err(bad_header) = Places::parse("code\tname\n") else {
            panic!("a wrong header")
        };
        assert_eq!(bad_header.line, 1);
        let Err(short) = Places::parse(&format!("{}\n01\tHà Nội\n", COLUMNS.join("\t"))) else {
            panic!("a short line")
        };
        assert_eq!(short.line, 2);
        let Err(empty) = Places::parse(&format!("{}\n01\t\tTỉnh\t1\tA\tXã\n", COLUMNS.join("\t")))
        else {
            panic!("an empty field")
        };
        assert_eq!(empty.line, 2);
    }
}
