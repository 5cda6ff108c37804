//! A query as understood: what the resident asked for, as "concepts" that each may be
//! found in several ways.
//!
//! A concept is one thing asked for: a typed word, or a phrase the lexicon knows. It has
//! phrasings (the words as typed, the portal's wording, an abbreviation spelled out), each a
//! run of positions, and each position accepts alternative words with a confidence: the word
//! itself (1), a completion of the word being typed (1), its numeral or number word, a
//! regional spelling, or a near spelling when the catalog does not know the word.
//! Reasons ("bị mất") add a soft concept for what they suggest ("cấp lại").

use civic_text::{
    decode_keystrokes, fold, fold_spans, is_syllable, number_alternative, regional_variants,
    single_edits,
};

use super::index::{SearchIndex, TermId};
use crate::lexicon::Lexicon;

/// The longest query we read; anything after is ignored rather than slowing every keystroke.
const MAX_QUERY_CHARS: usize = 200;
const MAX_WORDS: usize = 12;

/// How far each kind of alternative is trusted, against the word as typed (1).
const NUMBER_CONFIDENCE: f32 = 0.9;
const ABBREVIATION_CONFIDENCE: f32 = 0.95;
const NEAR_SPELLING_CONFIDENCE: f32 = 0.7;
const REGIONAL_CONFIDENCE: f32 = 0.55;
/// Near spellings kept for an unknown word, the most widespread first.
const NEAR_SPELLINGS: usize = 6;
/// Completions of the word being typed; shorter than `MIN_COMPLETED` letters it only
/// leans towards them.
const COMPLETIONS: usize = 16;
const MIN_COMPLETED: usize = 2;
/// A hint's later suggestions count a little less than its first.
const HINT_DECAY: f32 = 0.85;
/// What a hint suggests weighs this much of a typed concept.
pub const HINT_WEIGHT: f32 = 0.8;
/// The reason's own words ("bị mất") are rarely in a procedure's name.
pub const REASON_WEIGHT: f32 = 0.5;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Alternative {
    pub term: TermId,
    pub confidence: f32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Phrasing {
    pub positions: Vec<Vec<Alternative>>,
    pub confidence: f32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Concept {
    pub phrasings: Vec<Phrasing>,
    /// Scales the concept's importance.
    pub weight: f32,
    /// A soft concept raises the score when found and is not missed when absent.
    pub soft: bool,
    /// Where it starts in the query (soft suggestions: after every typed word).
    pub start: usize,
    /// How to show it in "showing results for …".
    pub reading: String,
    /// What the resident typed for a suggestion (the reason "bị mất" behind "cấp lại"): the
    /// suggestion matters as much as those words are rare.
    pub said: Option<Phrasing>,
    /// The word still being typed: it counts, but does not pick candidates while other
    /// words can (its completions are everywhere).
    pub completing: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    pub concepts: Vec<Concept>,
    /// The query as the search read it (the portal's wording with diacritics where the
    /// lexicon has it), or empty when that is just what was typed.
    pub understood_as: String,
    /// The folded words as typed (after keystroke decoding).
    pub words: Vec<String>,
    /// The last word is still being typed (type-ahead).
    pub completing: bool,
}

impl Concept {
    /// A typed word the catalog has no trace of (no spelling of it, no near one). Numbers
    /// are details, not things asked for.
    pub fn unknown(&self) -> bool {
        self.phrasings.is_empty() && !self.soft && !self.reading.bytes().all(|b| b.is_ascii_digit())
    }
}

impl Query {
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    pub fn analyze(query: &str, prefix: bool, lexicon: &Lexicon, index: &SearchIndex) -> Self {
        let query: String = query.chars().take(MAX_QUERY_CHARS).collect();
        // Type-ahead completes the last word only while it is being typed.
        let completing = prefix && !query.ends_with(char::is_whitespace);
        let mut words: Vec<String> = Vec::new();
        // Each folded word with how it was typed, to show the query back as written.
        let mut as_typed: std::collections::HashMap<String, String> =
            std::collections::HashMap::new();
        for typed in fold_spans(&query).into_iter().take(MAX_WORDS) {
            let written = query[typed.span.clone()].to_lowercase();
            let word = decode_keystrokes(&typed.folded).unwrap_or(typed.folded);
            match lexicon.shorthand(&word) {
                Some(expansion) => words.extend(expansion.iter().cloned()),
                None => {
                    if !written.is_ascii() {
                        as_typed.entry(word.clone()).or_insert(written);
                    }
                    words.push(word);
                }
            }
        }
        let last_typed = words.last().cloned();
        let words = lexicon.remove_stop_phrases(&words);
        let completing = completing && words.last() == last_typed.as_ref();

        let mut concepts = Vec::new();
        let mut reason = vec![false; words.len()];
        let mut start = 0;
        while start < words.len() {
            match lexicon.hint_at(&words, start) {
                Some((len, suggests)) => {
                    reason[start..start + len]
                        .iter_mut()
                        .for_each(|r| *r = true);
                    let phrasings: Vec<Phrasing> = suggests
                        .iter()
                        .enumerate()
                        .filter_map(|(rank, phrase)| {
                            phrase_of(phrase, index, HINT_DECAY.powi(rank as i32))
                        })
                        .collect();
                    if !phrasings.is_empty() {
                        concepts.push(Concept {
                            reading: String::new(),
                            phrasings,
                            weight: HINT_WEIGHT,
                            soft: true,
                            start: usize::MAX,
                            said: phrase_of(&words[start..start + len], index, 1.0),
                            completing: false,
                        });
                    }
                    start += len;
                }
                None => start += 1,
            }
        }

        let mut covered = vec![false; words.len()];
        for start in 0..words.len() {
            let Some((len, readings)) = lexicon.synonym_at(&words, start) else {
                continue;
            };
            if covered[start..start + len].iter().all(|&c| c) {
                continue;
            }
            let typed = &words[start..start + len];
            let mut phrasings: Vec<Phrasing> = Vec::new();
            if typed.iter().any(|w| index.term(w).is_some()) {
                phrasings.extend(phrase_of(typed, index, 1.0));
            }
            phrasings.extend(readings.iter().filter_map(|r| phrase_of(r, index, 1.0)));
            if phrasings.is_empty() {
                continue;
            }
            covered[start..start + len]
                .iter_mut()
                .for_each(|c| *c = true);
            concepts.push(Concept {
                reading: readings
                    .first()
                    .map(|r| {
                        lexicon
                            .written(r)
                            .map_or_else(|| r.join(" "), str::to_owned)
                    })
                    .unwrap_or_default(),
                phrasings,
                weight: 1.0,
                soft: false,
                start,
                said: None,
                completing: false,
            });
        }
        for (at, word) in words.iter().enumerate() {
            if covered[at] {
                continue;
            }
            let completes = completing && at + 1 == words.len();
            let mut concept = word_concept(word, completes, index);
            if concept.reading == *word
                && let Some(written) = as_typed.get(word)
            {
                concept.reading = written.clone();
            }
            concept.start = at;
            if reason[at] {
                concept.weight = REASON_WEIGHT;
                concept.soft = true;
            }
            if completes && word.chars().count() < MIN_COMPLETED {
                // One letter says too little to be held against a name that lacks it.
                concept.soft = true;
            }
            concepts.push(concept);
        }
        concepts.sort_by_key(|c| c.start);
        prune_regional(&mut concepts, index);
        let understood_as = concepts
            .iter()
            .filter(|c| !c.reading.is_empty())
            .map(|c| c.reading.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        // Shown only when it says something the resident did not type.
        let understood_as = if fold(&understood_as) == words.join(" ") {
            String::new()
        } else {
            understood_as
        };
        Self {
            concepts,
            understood_as,
            words,
            completing,
        }
    }

    /// Every word any phrasing accepts: what a name is checked against for precision and
    /// highlights.
    pub fn all_terms(&self) -> Vec<TermId> {
        let mut terms: Vec<TermId> = self
            .concepts
            .iter()
            .flat_map(|c| &c.phrasings)
            .flat_map(|p| &p.positions)
            .flatten()
            .map(|a| a.term)
            .collect();
        terms.sort_unstable();
        terms.dedup();
        terms
    }
}

/// A regional spelling of a word the catalog knows as typed is kept only where it makes a
/// phrase the catalog's names contain with a neighbouring word ("thuong chu" → "thường
/// trú"); elsewhere "chu" is simply "chủ". Words the catalog lacks keep theirs.
fn prune_regional(concepts: &mut [Concept], index: &SearchIndex) {
    let typed: Vec<usize> = (0..concepts.len())
        .filter(|&i| concepts[i].start != usize::MAX)
        .collect();
    let edge = |concept: &Concept, last: bool| -> Vec<TermId> {
        let positions = concept.phrasings.first().map(|p| &p.positions);
        let position = positions.and_then(|p| if last { p.last() } else { p.first() });
        position.into_iter().flatten().map(|a| a.term).collect()
    };
    for (k, &i) in typed.iter().enumerate() {
        let before = k
            .checked_sub(1)
            .map(|j| edge(&concepts[typed[j]], true))
            .unwrap_or_default();
        let after = typed
            .get(k + 1)
            .map(|&j| edge(&concepts[j], false))
            .unwrap_or_default();
        let Some(first) = concepts[i].phrasings.first_mut() else {
            continue;
        };
        let [alternatives] = first.positions.as_mut_slice() else {
            continue;
        };
        if !alternatives.iter().any(|a| a.confidence >= 1.0) {
            continue;
        }
        alternatives.retain(|a| {
            a.confidence != REGIONAL_CONFIDENCE
                || before.iter().any(|&b| index.has_bigram(b, a.term))
                || after.iter().any(|&n| index.has_bigram(a.term, n))
        });
    }
}

/// A phrase of known words, each accepted as itself; `None` if the catalog lacks a word.
fn phrase_of(words: &[String], index: &SearchIndex, confidence: f32) -> Option<Phrasing> {
    let positions = words
        .iter()
        .map(|w| {
            index.term(w).map(|term| {
                vec![Alternative {
                    term,
                    confidence: 1.0,
                }]
            })
        })
        .collect::<Option<Vec<_>>>()?;
    Some(Phrasing {
        positions,
        confidence,
    })
}

/// One typed word and the other ways it may be written.
fn word_concept(word: &str, completes: bool, index: &SearchIndex) -> Concept {
    let mut alternatives: Vec<Alternative> = Vec::new();
    let add =
        |alternatives: &mut Vec<Alternative>, term: TermId, confidence: f32| match alternatives
            .iter_mut()
            .find(|a| a.term == term)
        {
            Some(existing) => existing.confidence = existing.confidence.max(confidence),
            None => alternatives.push(Alternative { term, confidence }),
        };
    let known = index.term(word);
    if let Some(term) = known {
        add(&mut alternatives, term, 1.0);
    }
    if completes {
        for term in index.prefix_terms(word, COMPLETIONS) {
            add(&mut alternatives, term, 1.0);
        }
    }
    if let Some(term) = number_alternative(word).and_then(|n| index.term(n)) {
        add(&mut alternatives, term, NUMBER_CONFIDENCE);
    }
    let mut phrasings = Vec::new();
    if !is_syllable(word) {
        for phrase in index.abbreviation(word) {
            phrasings.push(Phrasing {
                positions: phrase
                    .iter()
                    .map(|&term| {
                        vec![Alternative {
                            term,
                            confidence: 1.0,
                        }]
                    })
                    .collect(),
                confidence: ABBREVIATION_CONFIDENCE,
            });
        }
    }
    if known.is_some() || number_alternative(word).is_some() {
        for variant in regional_variants(word) {
            if let Some(term) = index.term(&variant) {
                add(&mut alternatives, term, REGIONAL_CONFIDENCE);
            }
        }
    } else if phrasings.is_empty() && !completes && word.chars().count() >= 3 {
        let mut near: Vec<TermId> = single_edits(word)
            .iter()
            .filter_map(|w| index.term(w))
            .collect();
        near.sort_by(|&a, &b| index.df(b).cmp(&index.df(a)).then(a.cmp(&b)));
        for term in near.into_iter().take(NEAR_SPELLINGS) {
            add(&mut alternatives, term, NEAR_SPELLING_CONFIDENCE);
        }
        if is_syllable(word) {
            for variant in regional_variants(word) {
                if let Some(term) = index.term(&variant) {
                    add(&mut alternatives, term, REGIONAL_CONFIDENCE);
                }
            }
        }
    }
    if !alternatives.is_empty() {
        phrasings.insert(
            0,
            Phrasing {
                positions: vec![alternatives],
                confidence: 1.0,
            },
        );
    }
    let reading = match phrasings.first() {
        // A word the catalog lacks reads as its best replacement.
        Some(first) if known.is_none() && !completes => first
            .positions
            .iter()
            .filter_map(|alternatives| alternatives.first())
            .map(|a| index.text(a.term))
            .collect::<Vec<_>>()
            .join(" "),
        _ => word.to_owned(),
    };
    Concept {
        phrasings,
        weight: 1.0,
        soft: false,
        start: 0,
        reading,
        said: None,
        completing: completes,
    }
}
