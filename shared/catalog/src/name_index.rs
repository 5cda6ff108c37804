//! In-memory index of folded procedure names: the first stage of search.
//!
//! Names decide the ranking, and type-ahead runs on every keystroke, so this stage avoids SQL:
//! each term maps to the procedures whose name holds it, each procedure to its name as term
//! ids. Matching is bitset intersection; scoring visits short names first and stops once no
//! longer name can beat the results it already has.

use std::collections::HashMap;

/// Index of a procedure in the name index (not its SQLite id).
pub type Doc = u32;

#[derive(Debug, Default)]
pub struct NameIndex {
    /// Sorted vocabulary; a term's id is its position.
    terms: Vec<String>,
    term_ids: HashMap<String, u32>,
    /// Term id → documents whose name holds it (ascending, unique).
    postings: Vec<Vec<Doc>>,
    /// Document → its name as term ids, without a leading "thủ tục".
    names: Vec<Box<[u32]>>,
    /// Document → SQLite `procedures.id`.
    row_ids: Vec<i64>,
}

/// One reading of the query, resolved against the vocabulary.
struct Reading {
    /// Per query word: which term ids it accepts (one, or all with the typed prefix).
    accepts: Vec<TermSet>,
    /// Bonus for the lexicon's rewrite of the query.
    bonus: f64,
}

enum TermSet {
    One(u32),
    Many(Vec<bool>),
    Nothing,
}

impl TermSet {
    fn contains(&self, term: u32) -> bool {
        match self {
            TermSet::One(t) => *t == term,
            TermSet::Many(set) => set.get(term as usize).copied().unwrap_or(false),
            TermSet::Nothing => false,
        }
    }
}

/// A scored document.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scored {
    pub row_id: i64,
    pub score: f64,
}

const LEADING_NOISE: [&str; 2] = ["thu", "tuc"];

impl NameIndex {
    /// Builds from (SQLite id, folded name) pairs.
    pub fn build(rows: impl IntoIterator<Item = (i64, String)>) -> Self {
        let mut rows: Vec<(i64, Vec<String>)> = rows
            .into_iter()
            .map(|(id, name)| {
                (
                    id,
                    name.split(' ')
                        .filter(|w| !w.is_empty())
                        .map(str::to_owned)
                        .collect(),
                )
            })
            .collect();
        // Sorted ids let `allowed` map SQLite ids to documents by binary search.
        rows.sort_by_key(|(id, _)| *id);
        let mut terms: Vec<String> = rows
            .iter()
            .flat_map(|(_, words)| words.iter().cloned())
            .collect();
        terms.sort_unstable();
        terms.dedup();
        let term_ids: HashMap<String, u32> = terms
            .iter()
            .enumerate()
            .map(|(i, t)| (t.clone(), i as u32))
            .collect();
        let mut postings = vec![Vec::new(); terms.len()];
        let mut names = Vec::with_capacity(rows.len());
        let mut row_ids = Vec::with_capacity(rows.len());
        for (doc, (row_id, mut words)) in rows.into_iter().enumerate() {
            if words.starts_with(&LEADING_NOISE.map(str::to_owned)) {
                words.drain(..2);
            }
            let ids: Box<[u32]> = words
                .iter()
                .filter_map(|w| term_ids.get(w).copied())
                .collect();
            for &term in ids.iter() {
                let list: &mut Vec<Doc> = &mut postings[term as usize];
                if list.last() != Some(&(doc as Doc)) {
                    list.push(doc as Doc);
                }
            }
            names.push(ids);
            row_ids.push(row_id);
        }
        Self {
            terms,
            term_ids,
            postings,
            names,
            row_ids,
        }
    }

    /// The documents for these SQLite ids, as a bitset (for filters).
    pub fn allowed(&self, row_ids: impl IntoIterator<Item = i64>) -> Vec<u64> {
        let mut bits = vec![0u64; self.names.len().div_ceil(64)];
        for row_id in row_ids {
            if let Ok(doc) = self.row_ids.binary_search(&row_id) {
                bits[doc / 64] |= 1 << (doc % 64);
            }
        }
        bits
    }

    fn resolve(&self, words: &[String], prefix: bool, bonus: f64) -> Reading {
        let accepts = words
            .iter()
            .enumerate()
            .map(|(i, word)| {
                if prefix && i + 1 == words.len() {
                    let start = self.terms.partition_point(|t| t.as_str() < word.as_str());
                    let end = start
                        + self.terms[start..].partition_point(|t| t.starts_with(word.as_str()));
                    if start == end {
                        return TermSet::Nothing;
                    }
                    let mut set = vec![false; self.terms.len()];
                    set[start..end].iter_mut().for_each(|b| *b = true);
                    TermSet::Many(set)
                } else {
                    self.term_ids
                        .get(word)
                        .map_or(TermSet::Nothing, |&t| TermSet::One(t))
                }
            })
            .collect();
        Reading { accepts, bonus }
    }

    /// Documents holding the word, as a bitset over documents.
    fn word_docs(&self, accepts: &TermSet) -> Vec<u64> {
        let mut bits = vec![0u64; self.names.len().div_ceil(64)];
        let mut add = |list: &[Doc]| {
            for &doc in list {
                bits[doc as usize / 64] |= 1 << (doc % 64);
            }
        };
        match accepts {
            TermSet::One(term) => add(&self.postings[*term as usize]),
            TermSet::Many(set) => {
                for (term, _) in set.iter().enumerate().filter(|(_, on)| **on) {
                    add(&self.postings[term]);
                }
            }
            TermSet::Nothing => {}
        }
        bits
    }

    /// The best `limit` documents for any of `readings` (each a list of folded words), among
    /// those `allowed` (all when `None`). With `require_all`, a name must hold every word of a
    /// reading; otherwise any word will do and coverage counts in the score.
    pub fn search(
        &self,
        readings: &[Vec<String>],
        prefix: bool,
        allowed: Option<&[u64]>,
        require_all: bool,
        limit: usize,
    ) -> Vec<Scored> {
        let mut best: HashMap<Doc, f64> = HashMap::new();
        for (index, words) in readings.iter().enumerate() {
            if words.is_empty() {
                continue;
            }
            // The lexicon's rewrite states the intent ("làm hộ chiếu" is "cấp hộ chiếu"):
            // on a tie it should win over the bare words.
            let reading = self.resolve(words, prefix, if index > 0 { 0.25 } else { 0.0 });
            let sets: Vec<Vec<u64>> = reading.accepts.iter().map(|a| self.word_docs(a)).collect();
            // How many of the reading's words each candidate's name holds.
            let mut matched = vec![0u8; self.names.len()];
            for (block, allowed_bits) in
                (0..self.names.len().div_ceil(64)).map(|b| (b, allowed.map_or(u64::MAX, |a| a[b])))
            {
                let mut all = u64::MAX;
                for set in &sets {
                    all &= set[block];
                }
                let mut count = |bits: u64, by: u8| {
                    let mut bits = bits & allowed_bits;
                    while bits != 0 {
                        let doc = block * 64 + bits.trailing_zeros() as usize;
                        bits &= bits - 1;
                        matched[doc] = matched[doc].saturating_add(by);
                    }
                };
                if require_all {
                    count(all, u8::try_from(sets.len()).unwrap_or(u8::MAX));
                } else {
                    for set in &sets {
                        count(set[block], 1);
                    }
                }
            }
            for (doc, score) in self.score_best_first(&reading, &matched, limit) {
                let entry = best.entry(doc).or_insert(f64::MIN);
                *entry = entry.max(score);
            }
        }
        let mut scored: Vec<(Doc, f64)> = best.into_iter().collect();
        scored.sort_by(|a, b| {
            b.1.total_cmp(&a.1)
                .then_with(|| {
                    self.names[a.0 as usize]
                        .len()
                        .cmp(&self.names[b.0 as usize].len())
                })
                .then(a.0.cmp(&b.0))
        });
        scored.truncate(limit);
        scored
            .into_iter()
            .map(|(doc, score)| Scored {
                row_id: self.row_ids[doc as usize],
                score,
            })
            .collect()
    }

    /// Scores candidates in order of the most they could score (most words matched, then
    /// shortest name), stopping when no remaining group can enter the top `limit`.
    fn score_best_first(&self, reading: &Reading, matched: &[u8], limit: usize) -> Vec<(Doc, f64)> {
        let words = reading.accepts.len();
        let mut groups: HashMap<(usize, usize), Vec<Doc>> = HashMap::new();
        for (doc, &found) in matched.iter().enumerate() {
            if found > 0 {
                let found = usize::from(found).min(words);
                groups
                    .entry((found, self.names[doc].len()))
                    .or_default()
                    .push(doc as Doc);
            }
        }
        let mut order: Vec<((usize, usize), Vec<Doc>)> = groups.into_iter().collect();
        order.sort_by(|a, b| {
            upper_bound(b.0, words)
                .total_cmp(&upper_bound(a.0, words))
                .then(a.0.cmp(&b.0))
        });
        let mut top: Vec<(Doc, f64)> = Vec::new();
        let mut floor = f64::MIN;
        for (key, docs) in order {
            if top.len() >= limit && upper_bound(key, words) + reading.bonus < floor {
                break;
            }
            for doc in docs {
                let score = name_score(&self.names[doc as usize], &reading.accepts) + reading.bonus;
                if top.len() < limit || score > floor {
                    top.push((doc, score));
                    if top.len() > limit * 2 {
                        top.sort_by(|a, b| b.1.total_cmp(&a.1));
                        top.truncate(limit);
                    }
                    if top.len() >= limit {
                        floor = top.iter().map(|t| t.1).fold(f64::MAX, f64::min);
                    }
                }
            }
        }
        top
    }
}

/// The most a name of `len` terms holding `found` of the `words` query words can score.
fn upper_bound((found, len): (usize, usize), words: usize) -> f64 {
    let share = found as f64 / words as f64;
    6.0 * share - EXTRA_PENALTY * len.saturating_sub(found).min(40) as f64
}

const EXTRA_PENALTY: f64 = 0.02;

/// How well a name answers one reading: coverage of the words (4), the longest run of them in
/// order (2), minus a little for every other word in the name (shorter names are more specific).
fn name_score(name: &[u32], accepts: &[TermSet]) -> f64 {
    let words = accepts.len();
    let found = accepts
        .iter()
        .filter(|a| name.iter().any(|&t| a.contains(t)))
        .count();
    let mut longest_run = 0;
    for start in 0..name.len() {
        for first in 0..words {
            let mut run = 0;
            while first + run < words
                && start + run < name.len()
                && accepts[first + run].contains(name[start + run])
            {
                run += 1;
            }
            longest_run = longest_run.max(run);
        }
    }
    let len = words as f64;
    let extra = name.len().saturating_sub(found).min(40) as f64;
    4.0 * found as f64 / len + 2.0 * longest_run as f64 / len - EXTRA_PENALTY * extra
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> NameIndex {
        NameIndex::build([
            (10, "thu tuc dang ki khai sinh".to_owned()),
            (
                11,
                "thu tuc dang ki khai sinh co yeu to nuoc ngoai".to_owned(),
            ),
            (12, "dang ki lai khai sinh".to_owned()),
            (13, "cap ban sao trich luc ho tich".to_owned()),
        ])
    }

    fn words(text: &str) -> Vec<String> {
        text.split(' ').map(str::to_owned).collect()
    }

    #[test]
    fn whole_phrase_in_a_short_name_ranks_first() {
        let hits = index().search(&[words("dang ki khai sinh")], false, None, true, 10);
        let order: Vec<i64> = hits.iter().map(|h| h.row_id).collect();
        assert_eq!(order, vec![10, 11, 12]);
    }

    #[test]
    fn the_last_word_may_be_a_prefix() {
        let hits = index().search(&[words("khai si")], true, None, true, 10);
        assert_eq!(hits.len(), 3);
        assert!(
            index()
                .search(&[words("khai si")], false, None, true, 10)
                .is_empty()
        );
    }

    #[test]
    fn any_word_mode_and_allowed_set() {
        let index = index();
        let any = index.search(&[words("trich luc khai sinh")], false, None, false, 10);
        assert_eq!(any.len(), 4);
        let mut allowed = vec![0u64; 1];
        allowed[0] |= 1 << 3;
        let only = index.search(
            &[words("trich luc khai sinh")],
            false,
            Some(&allowed),
            false,
            10,
        );
        assert_eq!(only.iter().map(|h| h.row_id).collect::<Vec<_>>(), vec![13]);
    }

    #[test]
    fn early_stop_returns_the_same_top_as_scoring_everything() {
        let rows: Vec<(i64, String)> = (0..500)
            .map(|i| {
                (
                    i,
                    format!("dang ki {} khai sinh {}", "x ".repeat((i % 37) as usize), i),
                )
            })
            .collect();
        let index = NameIndex::build(rows);
        let top = index.search(&[words("dang ki khai sinh")], false, None, true, 5);
        let all = index.search(&[words("dang ki khai sinh")], false, None, true, 500);
        assert_eq!(top, all[..5].to_vec());
    }
}
