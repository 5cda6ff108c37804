//! Ranked search over the catalog, built for how residents type: without diacritics, with
//! unconverted Telex/VNI keystrokes, abbreviations, misspellings, regional spellings,
//! numerals, everyday words and a reason instead of the procedure.
//!
//! `query` reads the query into concepts with alternatives, `index` holds the catalog in
//! memory, `rank` scores it (BM25F fields, rarity-weighted coverage, phrases, precision),
//! `text` is what is folded when a procedure is written. Every result says which words of
//! its name matched; a query nothing answers well says so (`MatchQuality::Weak`) and offers
//! the fields its related results come from.

mod index;
mod query;
mod rank;
mod text;

use std::sync::LazyLock;

use civic_types::search::{
    FacetValue, Highlight, MatchQuality, SearchFilters, SearchHit, SearchRequest, SearchResults,
};
use regex::Regex;
use rusqlite::types::Value;

pub(crate) use index::{IndexRow, SearchIndex};
pub(crate) use text::SearchText;

use crate::CatalogError;
use crate::lexicon::Lexicon;
use crate::store::CatalogStore;
use civic_text::fold;
use query::Query;

/// The first result's name must hold this share of what was asked (by importance) for the
/// answer to count as good; below it, the results are offered as related only.
pub const GOOD_COVERAGE: f32 = 0.5;
/// How many related results the closest fields are gathered from.
const RELATED_FOR_FIELDS: usize = 20;
const CLOSEST_FIELDS: usize = 3;

static CODE_QUERY: LazyLock<Regex> = LazyLock::new(|| {
    #[allow(clippy::expect_used)] // constant pattern, exercised by tests
    Regex::new(r"^[0-9]\.[0-9][0-9.]*[A-Za-z0-9.]*$").expect("valid regex")
});

impl CatalogStore {
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults, CatalogError> {
        let limit = request.limit.clamp(1, 200);
        let text = request.query.trim();
        if CODE_QUERY.is_match(text) {
            return self.search_code(text, &request.filters, limit);
        }
        let query = Query::analyze(
            &request.query,
            request.prefix,
            Lexicon::bundled(),
            &self.index,
        );
        if query.is_empty() {
            return Ok(SearchResults {
                hits: self.browse(&request.filters, limit)?,
                ..SearchResults::default()
            });
        }
        let allowed = self.allowed(&request.filters)?;
        let allow = |doc: index::Doc| {
            allowed
                .as_ref()
                .is_none_or(|bits| bits.get(doc as usize).copied().unwrap_or(false))
        };
        let wanted = (limit as usize).max(RELATED_FOR_FIELDS);
        let ranked = self.index.rank(&query, Some(&allow), wanted);
        let quality = match ranked.first() {
            None => MatchQuality::None,
            Some(best) if best.coverage >= GOOD_COVERAGE => MatchQuality::Good,
            Some(_) => MatchQuality::Weak,
        };
        // One read for every result the page or the closest fields need.
        let ids: Vec<i64> = ranked
            .iter()
            .map(|r| self.index.docs[r.doc as usize].row_id)
            .collect();
        let mut found = self.hits(&ids)?;
        let closest_fields = if quality == MatchQuality::Weak {
            closest_fields(&found)
        } else {
            Vec::new()
        };
        found.truncate(limit as usize);
        let terms = query.all_terms();
        let exact_phrase = typed_with_diacritics(text).then(|| text.to_lowercase());
        let mut hits = found
            .into_iter()
            .zip(&ranked)
            .map(|(mut hit, ranked)| {
                hit.score = f64::from(ranked.score);
                hit.highlights = self
                    .index
                    .highlights(ranked.doc, &hit.name, &terms)
                    .into_iter()
                    .filter_map(|span| {
                        Some(Highlight {
                            start: u32::try_from(span.start).ok()?,
                            end: u32::try_from(span.end).ok()?,
                        })
                    })
                    .collect();
                if exact_phrase
                    .as_ref()
                    .is_some_and(|p| hit.name.to_lowercase().contains(p.as_str()))
                {
                    // Typed with diacritics and found as typed: a small lift among near equals.
                    hit.score += 0.5;
                }
                hit
            })
            .collect::<Vec<_>>();
        hits.sort_by(|a, b| b.score.total_cmp(&a.score));
        for hit in &mut hits {
            hit.score = (hit.score * 1000.0).round() / 1000.0;
        }
        Ok(SearchResults {
            hits,
            understood_as: query.understood_as,
            quality,
            closest_fields,
        })
    }

    /// Which documents the filters let through, or `None` without filters.
    fn allowed(&self, filters: &SearchFilters) -> Result<Option<Vec<bool>>, CatalogError> {
        if filters == &SearchFilters::default() {
            return Ok(None);
        }
        let (filter_sql, values) = filter_clause(filters, 0);
        let conn = self.db.conn();
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT p.id FROM procedures p WHERE 1 = 1 {filter_sql}"
        ))?;
        let ids = stmt.query_map(rusqlite::params_from_iter(values), |r| r.get::<_, i64>(0))?;
        let mut allowed = vec![false; self.index.len()];
        for id in ids {
            if let Some(doc) = self.index.doc_of(id?) {
                allowed[doc as usize] = true;
            }
        }
        Ok(Some(allowed))
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
        let rows: Vec<(i64, bool)> = {
            let conn = self.db.conn();
            let mut stmt = conn.prepare_cached(&sql)?;
            let rows = stmt.query_map(rusqlite::params_from_iter(values), |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, bool>(1)?))
            })?;
            rows.collect::<Result<_, _>>()?
        };
        let ids: Vec<i64> = rows.iter().map(|(id, _)| *id).collect();
        let mut hits = self.hits(&ids)?;
        for (hit, (_, exact)) in hits.iter_mut().zip(&rows) {
            hit.score = if *exact { 10.0 } else { 5.0 };
        }
        Ok(SearchResults {
            quality: if hits.is_empty() {
                MatchQuality::None
            } else {
                MatchQuality::Good
            },
            hits,
            understood_as: base,
            closest_fields: Vec::new(),
        })
    }

    /// No words, maybe filters: everything that passes them, by name.
    fn browse(&self, filters: &SearchFilters, limit: u32) -> Result<Vec<SearchHit>, CatalogError> {
        let (filter_sql, values) = filter_clause(filters, 0);
        let sql = format!(
            "SELECT p.id FROM procedures p WHERE 1 = 1 {filter_sql} ORDER BY p.name_folded LIMIT {limit}"
        );
        let ids: Vec<i64> = {
            let conn = self.db.conn();
            let mut stmt = conn.prepare_cached(&sql)?;
            let ids = stmt.query_map(rusqlite::params_from_iter(values), |r| r.get::<_, i64>(0))?;
            ids.collect::<Result<_, _>>()?
        };
        self.hits(&ids)
    }

    /// The procedures with these ids, in this order, read in one statement.
    fn hits(&self, ids: &[i64]) -> Result<Vec<SearchHit>, CatalogError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let wanted = serde_json::to_string(ids)?;
        let conn = self.db.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT p.id, p.code, p.name, p.field, \
               (SELECT group_concat(l.level, char(31)) FROM procedure_levels l WHERE l.procedure_id = p.id) \
             FROM procedures p WHERE p.id IN (SELECT value FROM json_each(?1))",
        )?;
        let mut by_id: std::collections::HashMap<i64, SearchHit> = stmt
            .query_map([wanted], |r| {
                let levels: Option<String> = r.get(4)?;
                let mut levels: Vec<String> = levels
                    .unwrap_or_default()
                    .split('\u{1f}')
                    .filter(|l| !l.is_empty())
                    .map(str::to_owned)
                    .collect();
                levels.sort();
                Ok((
                    r.get::<_, i64>(0)?,
                    SearchHit {
                        code: r.get(1)?,
                        name: r.get(2)?,
                        field: r.get(3)?,
                        levels,
                        score: 0.0,
                        highlights: Vec::new(),
                    },
                ))
            })?
            .collect::<Result<_, _>>()?;
        Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
    }
}

/// The fields the first related results come from, the most represented first (equal
/// counts keep the order of each field's best result).
fn closest_fields(related: &[SearchHit]) -> Vec<FacetValue> {
    let mut counts: Vec<FacetValue> = Vec::new();
    for hit in related.iter().take(RELATED_FOR_FIELDS) {
        match counts.iter_mut().find(|f| f.value == hit.field) {
            Some(facet) => facet.count += 1,
            None => counts.push(FacetValue {
                value: hit.field.clone(),
                count: 1,
            }),
        }
    }
    counts.sort_by_key(|f| std::cmp::Reverse(f.count));
    counts.truncate(CLOSEST_FIELDS);
    counts
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

/// Whether the user typed Vietnamese diacritics (then an exact match deserves a lift).
fn typed_with_diacritics(query: &str) -> bool {
    fold(query)
        != query
            .to_lowercase()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
}

impl CatalogStore {
    /// How a query was read and how its best results scored, for people tuning search and
    /// for helpers asking why something came first. Not a stable format.
    pub fn explain_search(&self, text: &str, limit: usize) -> String {
        use std::fmt::Write;
        let query = Query::analyze(text, false, Lexicon::bundled(), &self.index);
        let mut out = String::new();
        for concept in &query.concepts {
            let phrasings: Vec<String> = concept
                .phrasings
                .iter()
                .map(|p| {
                    let words: Vec<String> = p
                        .positions
                        .iter()
                        .map(|alternatives| {
                            alternatives
                                .iter()
                                .map(|a| format!("{}:{:.2}", self.index.text(a.term), a.confidence))
                                .collect::<Vec<_>>()
                                .join("|")
                        })
                        .collect();
                    format!("{:.2}[{}]", p.confidence, words.join(" "))
                })
                .collect();
            let _ = writeln!(
                out,
                "concept start={} weight={:.2} soft={} importance={:.2}: {}",
                concept.start,
                concept.weight,
                concept.soft,
                self.index.importance(concept),
                phrasings.join(" / ")
            );
        }
        for ranked in self.index.rank(&query, None, limit) {
            let row_id = self.index.docs[ranked.doc as usize].row_id;
            let name: String = self
                .db
                .conn()
                .query_row(
                    "SELECT code || ' ' || name FROM procedures WHERE id = ?1",
                    [row_id],
                    |r| r.get(0),
                )
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "{:7.3} cov={:.2} {name}",
                ranked.score, ranked.coverage
            );
        }
        out
    }
}
