//! Ranked search over the catalog, tuned to how Vietnamese people type: no diacritics,
//! unconverted Telex/VNI, kí/ký, everyday words and abbreviations (see [`Lexicon`]).
//!
//! Results come in tiers: names holding every word of a reading (scored in memory by the
//! [`NameIndex`](crate::name_index::NameIndex): coverage, phrase, brevity); then procedures
//! whose documents, results or agencies hold every word (SQLite FTS5, bm25); then names
//! holding some of the words.

use std::sync::LazyLock;

use civic_types::search::{SearchFilters, SearchHit, SearchRequest, SearchResults};
use regex::Regex;
use rusqlite::types::Value;

use crate::lexicon::Lexicon;
use crate::store::{CatalogError, CatalogStore};
use civic_text::{decode_keystrokes, fold, fold_tokens};

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
        self.readings
            .last()
            .map(|r| r.join(" "))
            .unwrap_or_default()
    }

    /// FTS5 expression: each reading's words all required (AND), readings alternatives (OR).
    fn fts_all_words(&self) -> String {
        let readings: Vec<String> = self
            .readings
            .iter()
            .map(|words| format!("({})", self.fts_words(words).join(" AND ")))
            .collect();
        readings.join(" OR ")
    }

    fn fts_words(&self, words: &[String]) -> Vec<String> {
        // Folding turns every non-alphanumeric character (quotes included) into a space, so
        // quoting is all the escaping FTS5 needs.
        words
            .iter()
            .enumerate()
            .map(|(i, w)| {
                if self.prefix && i + 1 == words.len() {
                    format!("\"{w}\"*")
                } else {
                    format!("\"{w}\"")
                }
            })
            .collect()
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
            return Ok(SearchResults {
                hits: self.browse(&request.filters, limit)?,
                understood_as: String::new(),
            });
        }
        let allowed = self.allowed(&request.filters)?;
        let limit = limit as usize;
        // Tiers, each consulted only when the ones before found nothing: names holding every
        // word; procedures whose documents, results or agencies hold every word; names holding
        // some of the words. A precise short list beats one padded with weaker matches.
        let by_name = |require_all| {
            self.names
                .search(
                    &plan.readings,
                    plan.prefix,
                    allowed.as_deref(),
                    require_all,
                    limit,
                )
                .into_iter()
                .map(|s| (s.row_id, s.score))
                .collect::<Vec<_>>()
        };
        let mut ranked = by_name(true);
        if ranked.is_empty() {
            let fts = format!("body : ({})", plan.fts_all_words());
            ranked = self
                .candidates(&fts, &request.filters, limit)?
                .into_iter()
                // bm25 is negative, lower is better; squash it into (0, 1).
                .map(|c| (c.id, -c.bm25 / (1.0 - c.bm25)))
                .collect();
        }
        if ranked.is_empty() {
            ranked = by_name(false);
        }
        ranked.truncate(limit);
        let exact_phrase = typed_with_diacritics(query).then(|| query.to_lowercase());
        let mut hits = ranked
            .into_iter()
            .map(|(id, score)| {
                let mut hit = self.hit(id, score)?;
                if exact_phrase
                    .as_ref()
                    .is_some_and(|p| hit.name.to_lowercase().contains(p.as_str()))
                {
                    // Typed with diacritics and found as typed: a small, within-tier lift.
                    hit.score += 0.5;
                }
                Ok(hit)
            })
            .collect::<Result<Vec<_>, CatalogError>>()?;
        hits.sort_by(|a, b| b.score.total_cmp(&a.score));
        for hit in &mut hits {
            hit.score = (hit.score * 1000.0).round() / 1000.0;
        }
        Ok(SearchResults {
            hits,
            understood_as: plan.understood_as(),
        })
    }

    /// The documents the filters let through, or `None` without filters.
    fn allowed(&self, filters: &SearchFilters) -> Result<Option<Vec<u64>>, CatalogError> {
        if filters == &SearchFilters::default() {
            return Ok(None);
        }
        let (filter_sql, values) = filter_clause(filters, 0);
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT p.id FROM procedures p WHERE 1 = 1 {filter_sql}"
        ))?;
        let ids = stmt.query_map(rusqlite::params_from_iter(values), |r| r.get::<_, i64>(0))?;
        let ids: Vec<i64> = ids.collect::<Result<_, _>>()?;
        Ok(Some(self.names.allowed(ids)))
    }

    /// Procedures matching an FTS5 expression, best rank first (bm25, name weighted over body).
    fn candidates(
        &self,
        fts: &str,
        filters: &SearchFilters,
        limit: usize,
    ) -> Result<Vec<Candidate>, CatalogError> {
        let read = |r: &rusqlite::Row<'_>| {
            Ok(Candidate {
                id: r.get(0)?,
                bm25: r.get(1)?,
            })
        };
        if filters == &SearchFilters::default() {
            // Straight on the FTS table, FTS5 ranks without a join.
            let mut stmt = self.conn.prepare_cached(
                "SELECT rowid, rank FROM procedure_search WHERE procedure_search MATCH ?1 ORDER BY rank LIMIT ?2",
            )?;
            let rows = stmt.query_map(rusqlite::params![fts, limit as i64], read)?;
            return Ok(rows.collect::<Result<_, _>>()?);
        }
        let (filter_sql, mut values) = filter_clause(filters, 1);
        values.insert(0, Value::Text(fts.to_owned()));
        let sql = format!(
            "SELECT p.id, procedure_search.rank FROM procedure_search JOIN procedures p ON p.id = procedure_search.rowid \
             WHERE procedure_search MATCH ?1 {filter_sql} ORDER BY procedure_search.rank LIMIT {limit}"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(values), read)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// A code or the start of one ("1.0011", or a local variant "1.000110.000.00.00.H01").
    fn search_code(
        &self,
        query: &str,
        filters: &SearchFilters,
        limit: u32,
    ) -> Result<SearchResults, CatalogError> {
        let base: String = query.split('.').take(2).collect::<Vec<_>>().join(".");
        let (filter_sql, mut values) = filter_clause(filters, 1);
        values.insert(0, Value::Text(format!("{}%", base.replace(['%', '_'], ""))));
        let sql = format!(
            "SELECT p.id, p.code = ?2 FROM procedures p \
             WHERE p.code LIKE ?1 {filter_sql} ORDER BY length(p.code), p.code LIMIT {limit}"
        );
        let sql = sql.replacen("?2", &format!("?{}", values.len() + 1), 1);
        values.push(Value::Text(base.clone()));
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(values), |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, bool>(1)?))
        })?;
        let rows: Vec<(i64, bool)> = rows.collect::<Result<_, _>>()?;
        let hits = rows
            .into_iter()
            .map(|(id, exact)| self.hit(id, if exact { 10.0 } else { 5.0 }))
            .collect::<Result<_, _>>()?;
        Ok(SearchResults {
            hits,
            understood_as: base,
        })
    }

    /// No words, maybe filters: everything that passes them, by name.
    fn browse(&self, filters: &SearchFilters, limit: u32) -> Result<Vec<SearchHit>, CatalogError> {
        let (filter_sql, values) = filter_clause(filters, 0);
        let sql = format!(
            "SELECT p.id FROM procedures p WHERE 1 = 1 {filter_sql} ORDER BY p.name_folded LIMIT {limit}"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let ids = stmt.query_map(rusqlite::params_from_iter(values), |r| r.get::<_, i64>(0))?;
        let ids: Vec<i64> = ids.collect::<Result<_, _>>()?;
        ids.into_iter().map(|id| self.hit(id, 0.0)).collect()
    }

    fn hit(&self, id: i64, score: f64) -> Result<SearchHit, CatalogError> {
        let (code, name, field) = self
            .conn
            .prepare_cached("SELECT code, name, field FROM procedures WHERE id = ?1")?
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        let mut stmt = self
            .conn
            .prepare_cached("SELECT level FROM procedure_levels WHERE procedure_id = ?1")?;
        let levels = stmt
            .query_map([id], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        Ok(SearchHit {
            code,
            name,
            field,
            levels,
            score,
        })
    }
}

#[derive(Debug)]
struct Candidate {
    id: i64,
    bm25: f64,
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
    fold(query)
        != query
            .to_lowercase()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(query: &str) -> QueryPlan {
        QueryPlan::new(query, false, Lexicon::bundled())
    }

    #[test]
    fn understands_telex_synonyms_and_stop_words() {
        assert_eq!(
            plan("ddawng kys thuwowngf tru").readings,
            vec![fold_tokens("dang ky thuong tru")]
        );
        assert_eq!(
            plan("đổi bằng lái xe").understood_as(),
            "doi giay phep lai xe"
        );
        assert_eq!(
            plan("làm giấy khai sinh cho con").understood_as(),
            "dang ki khai sinh"
        );
        assert!(plan("  ?? ").is_empty());
    }

    #[test]
    fn fts_expressions_quote_words_and_mark_the_prefix() {
        let typed = QueryPlan::new("khai si", true, Lexicon::bundled());
        assert_eq!(typed.fts_all_words(), "(\"khai\" AND \"si\"*)");
    }
}
