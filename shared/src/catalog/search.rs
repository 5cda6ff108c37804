//! Ranked search over the catalog, tuned to how Vietnamese people type: no diacritics,
//! unconverted Telex/VNI, kí/ký, everyday words and abbreviations (see [`Lexicon`]).
//!
//! Two stages: SQLite FTS5 finds candidates (bm25, name weighted over body); then each
//! candidate's name is scored against every reading of the query (coverage, phrase, brevity).

use std::sync::LazyLock;

use civic_types::{SearchFilters, SearchHit, SearchRequest, SearchResults};
use regex::Regex;
use rusqlite::types::Value;

use super::lexicon::Lexicon;
use super::store::{CatalogError, CatalogStore};
use crate::text::{decode_keystrokes, fold, fold_tokens};

/// How many candidates FTS hands to the re-ranker.
const CANDIDATES: u32 = 200;
/// The longest query we read; anything after is ignored rather than slowing every keystroke.
const MAX_QUERY_CHARS: usize = 200;
const MAX_WORDS: usize = 12;

/// A query as understood: one or more readings, each a list of folded words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryPlan {
    pub readings: Vec<Vec<String>>,
    /// The last word may be unfinished (type-ahead).
    pub prefix: bool,
}

impl QueryPlan {
    pub fn new(query: &str, prefix: bool, lexicon: &Lexicon) -> Self {
        let query: String = query.chars().take(MAX_QUERY_CHARS).collect();
        let words: Vec<String> = fold_tokens(&query)
            .into_iter()
            .take(MAX_WORDS)
            .map(|word| decode_keystrokes(&word).unwrap_or(word))
            .collect();
        let mut readings = vec![lexicon.remove_stop_phrases(&words)];
        let portal_wording = lexicon.remove_stop_phrases(&lexicon.apply_synonyms(&words));
        if !readings.contains(&portal_wording) {
            readings.push(portal_wording);
        }
        readings.retain(|r| !r.is_empty());
        Self { readings, prefix }
    }

    pub fn is_empty(&self) -> bool {
        self.readings.is_empty()
    }

    /// For "showing results for …": the last reading is the one the lexicon rewrote.
    pub fn understood_as(&self) -> String {
        self.readings.last().map(|r| r.join(" ")).unwrap_or_default()
    }

    /// FTS5 expression: each reading's words all required (AND), readings alternatives (OR).
    fn fts_all_words(&self) -> String {
        let readings: Vec<String> =
            self.readings.iter().map(|words| format!("({})", self.fts_words(words).join(" AND "))).collect();
        readings.join(" OR ")
    }

    /// Fallback when nothing contains every word: any word will do.
    fn fts_any_word(&self) -> String {
        let mut words: Vec<String> = self.readings.iter().flat_map(|r| self.fts_words(r)).collect();
        words.sort();
        words.dedup();
        words.join(" OR ")
    }

    fn fts_words(&self, words: &[String]) -> Vec<String> {
        // Folded words are only [a-z0-9], so quoting is all the escaping FTS5 needs.
        words
            .iter()
            .enumerate()
            .map(|(i, w)| if self.prefix && i + 1 == words.len() { format!("\"{w}\"*") } else { format!("\"{w}\"") })
            .collect()
    }

    /// How well a folded procedure name answers the best reading of the query.
    fn name_score(&self, name_folded: &str) -> f64 {
        let mut name: Vec<&str> = name_folded.split(' ').collect();
        // "Thủ tục …" opens many names and says nothing about which procedure it is.
        if name.starts_with(&["thu", "tuc"]) {
            name.drain(..2);
        }
        self.readings
            .iter()
            .enumerate()
            .map(|(reading, words)| {
                let matches = |i: usize, token: &str| {
                    if self.prefix && i + 1 == words.len() { token.starts_with(&words[i]) } else { token == words[i] }
                };
                let found = (0..words.len()).filter(|&i| name.iter().any(|t| matches(i, t))).count();
                let mut longest_run = 0;
                for start in 0..name.len() {
                    for first in 0..words.len() {
                        let run = (0..).take_while(|k| {
                            first + k < words.len() && start + k < name.len() && matches(first + k, name[start + k])
                        });
                        longest_run = longest_run.max(run.count());
                    }
                }
                let len = words.len() as f64;
                let extra = name.len().saturating_sub(found).min(40) as f64;
                // The lexicon's rewrite states the intent ("làm hộ chiếu" is "cấp hộ chiếu"):
                // on a tie it should win over the bare words.
                let rewritten = if reading > 0 { 0.25 } else { 0.0 };
                4.0 * found as f64 / len + 2.0 * longest_run as f64 / len - 0.02 * extra + rewritten
            })
            .fold(f64::MIN, f64::max)
    }
}

static CODE_QUERY: LazyLock<Regex> = LazyLock::new(|| {
    #[allow(clippy::expect_used)] // constant pattern, exercised by tests
    Regex::new(r"^[0-9]\.[0-9][0-9.]*[A-Za-z0-9.]*$").expect("valid regex")
});

impl CatalogStore {
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults, CatalogError> {
        let limit = request.limit.clamp(1, 200);
        let query = request.query.trim();
        if CODE_QUERY.is_match(query) {
            return self.search_code(query, &request.filters, limit);
        }
        let plan = QueryPlan::new(query, request.prefix, Lexicon::bundled());
        if plan.is_empty() {
            return Ok(SearchResults { hits: self.browse(&request.filters, limit)?, understood_as: String::new() });
        }
        // Names decide the ranking, so names that match come first: a word common in
        // document lists ("hộ chiếu") must not crowd them out of the candidate list.
        let all_words = plan.fts_all_words();
        let mut candidates = self.candidates(&format!("name : ({all_words})"), &request.filters)?;
        add_new(&mut candidates, self.candidates(&all_words, &request.filters)?);
        if candidates.len() < limit as usize {
            add_new(&mut candidates, self.candidates(&plan.fts_any_word(), &request.filters)?);
        }
        let exact_phrase = typed_with_diacritics(query).then(|| query.to_lowercase());
        let mut scored: Vec<(f64, Candidate)> = candidates
            .into_iter()
            .map(|c| {
                // bm25 is negative, lower is better; squash it into a small tie-breaker.
                let relevance = -c.bm25 / (1.0 - c.bm25);
                let exact = exact_phrase.as_ref().is_some_and(|p| c.name.to_lowercase().contains(p.as_str()));
                let score = plan.name_score(&c.name_folded) + 0.5 * relevance + if exact { 0.5 } else { 0.0 };
                (score, c)
            })
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.code.cmp(&b.1.code)));
        scored.truncate(limit as usize);
        let hits = scored
            .into_iter()
            .map(|(score, c)| self.hit(c, score))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(SearchResults { hits, understood_as: plan.understood_as() })
    }

    fn candidates(&self, fts: &str, filters: &SearchFilters) -> Result<Vec<Candidate>, CatalogError> {
        let (filter_sql, mut values) = filter_clause(filters, 1);
        values.insert(0, Value::Text(fts.to_owned()));
        let sql = format!(
            "SELECT p.id, p.code, p.name, p.name_folded, p.field, bm25(procedure_search, 10.0, 1.0) AS r \
             FROM procedure_search JOIN procedures p ON p.id = procedure_search.rowid \
             WHERE procedure_search MATCH ?1 {filter_sql} ORDER BY r LIMIT {CANDIDATES}"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(values), |r| {
            Ok(Candidate {
                id: r.get(0)?,
                code: r.get(1)?,
                name: r.get(2)?,
                name_folded: r.get(3)?,
                field: r.get(4)?,
                bm25: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// A code or the start of one ("1.0011", or a local variant "1.000110.000.00.00.H01").
    fn search_code(&self, query: &str, filters: &SearchFilters, limit: u32) -> Result<SearchResults, CatalogError> {
        let base: String = query.split('.').take(2).collect::<Vec<_>>().join(".");
        let (filter_sql, mut values) = filter_clause(filters, 1);
        values.insert(0, Value::Text(format!("{}%", base.replace(['%', '_'], ""))));
        let sql = format!(
            "SELECT p.id, p.code, p.name, p.name_folded, p.field, 0.0 FROM procedures p \
             WHERE p.code LIKE ?1 {filter_sql} ORDER BY length(p.code), p.code LIMIT {limit}"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(values), |r| {
            Ok(Candidate {
                id: r.get(0)?,
                code: r.get(1)?,
                name: r.get(2)?,
                name_folded: r.get(3)?,
                field: r.get(4)?,
                bm25: r.get(5)?,
            })
        })?;
        let candidates: Vec<Candidate> = rows.collect::<Result<_, _>>()?;
        let hits = candidates
            .into_iter()
            .map(|c| {
                let score = if c.code == base { 10.0 } else { 5.0 };
                self.hit(c, score)
            })
            .collect::<Result<_, _>>()?;
        Ok(SearchResults { hits, understood_as: base })
    }

    /// No words, maybe filters: everything that passes them, by name.
    fn browse(&self, filters: &SearchFilters, limit: u32) -> Result<Vec<SearchHit>, CatalogError> {
        let (filter_sql, values) = filter_clause(filters, 0);
        let sql = format!(
            "SELECT p.id, p.code, p.name, p.name_folded, p.field, 0.0 FROM procedures p \
             WHERE 1 = 1 {filter_sql} ORDER BY p.name_folded LIMIT {limit}"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(values), |r| {
            Ok(Candidate {
                id: r.get(0)?,
                code: r.get(1)?,
                name: r.get(2)?,
                name_folded: r.get(3)?,
                field: r.get(4)?,
                bm25: r.get(5)?,
            })
        })?;
        let candidates: Vec<Candidate> = rows.collect::<Result<_, _>>()?;
        candidates.into_iter().map(|c| self.hit(c, 0.0)).collect()
    }

    fn hit(&self, c: Candidate, score: f64) -> Result<SearchHit, CatalogError> {
        let mut stmt = self.conn.prepare_cached("SELECT level FROM procedure_levels WHERE procedure_id = ?1")?;
        let levels = stmt.query_map([c.id], |r| r.get(0))?.collect::<Result<_, _>>()?;
        Ok(SearchHit { code: c.code, name: c.name, field: c.field, levels, score: (score * 1000.0).round() / 1000.0 })
    }
}

#[derive(Debug)]
struct Candidate {
    id: i64,
    code: String,
    name: String,
    name_folded: String,
    field: String,
    bm25: f64,
}

fn add_new(candidates: &mut Vec<Candidate>, more: Vec<Candidate>) {
    for m in more {
        if !candidates.iter().any(|c| c.id == m.id) {
            candidates.push(m);
        }
    }
}

/// SQL for the filters (`AND …`) and their values, bound after the query's own.
/// `bound_before` is how many parameters the query binds ahead of the filters.
fn filter_clause(filters: &SearchFilters, bound_before: usize) -> (String, Vec<Value>) {
    let mut sql = String::new();
    let mut values = Vec::new();
    let mut next = |clause: &str, value: &str, values: &mut Vec<Value>| {
        values.push(Value::Text(value.to_owned()));
        sql.push_str(&clause.replace('?', &format!("?{}", bound_before + values.len())));
    };
    if let Some(field) = &filters.field {
        next(" AND p.field = ?", field, &mut values);
    }
    if let Some(level) = &filters.level {
        next(
            " AND EXISTS (SELECT 1 FROM procedure_levels l WHERE l.procedure_id = p.id AND l.level = ?)",
            level,
            &mut values,
        );
    }
    if let Some(agency) = &filters.agency {
        next(
            " AND EXISTS (SELECT 1 FROM procedure_agencies a WHERE a.procedure_id = p.id AND a.agency = ?)",
            agency,
            &mut values,
        );
    }
    (sql, values)
}

/// Whether the user typed Vietnamese diacritics (then an exact match deserves a bonus).
fn typed_with_diacritics(query: &str) -> bool {
    fold(query) != query.to_lowercase().split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(query: &str) -> QueryPlan {
        QueryPlan::new(query, false, Lexicon::bundled())
    }

    #[test]
    fn understands_telex_synonyms_and_stop_words() {
        assert_eq!(plan("ddawng kys thuwowngf tru").readings, vec![fold_tokens("dang ky thuong tru")]);
        assert_eq!(plan("đổi bằng lái xe").understood_as(), "doi giay phep lai xe");
        assert_eq!(plan("làm giấy khai sinh cho con").understood_as(), "dang ki khai sinh");
        assert!(plan("  ?? ").is_empty());
    }

    #[test]
    fn fts_expressions_quote_words_and_mark_the_prefix() {
        let typed = QueryPlan::new("khai si", true, Lexicon::bundled());
        assert_eq!(typed.fts_all_words(), "(\"khai\" AND \"si\"*)");
        assert_eq!(typed.fts_any_word(), "\"khai\" OR \"si\"*");
    }

    #[test]
    fn name_score_prefers_the_whole_phrase_in_a_short_name() {
        let p = plan("dang ky khai sinh");
        let exact = p.name_score("thu tuc dang ki khai sinh");
        let longer = p.name_score("thu tuc dang ki khai sinh co yeu to nuoc ngoai");
        let scattered = p.name_score("dang ki lai khai sinh");
        assert!(exact > longer && longer > scattered, "{exact} {longer} {scattered}");
    }
}
