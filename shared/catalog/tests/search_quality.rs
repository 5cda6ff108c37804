//! Search quality over the catalog snapshot the app ships, on queries written as residents
//! type them:
//! - `queries_dev.tsv` (in `../shared/data`): every query ranks an accepted code in the top 3;
//! - `tests/data/search/tune.tsv`: the split ranking changes were checked against;
//! - `tests/data/search/held_out.tsv`: never tuned on; its top-3 rate has a floor;
//! - `tests/data/search/no_answer.tsv`: nothing in the catalog answers these; search must say
//!   the match is weak rather than offer a confident first result.
//!
//! Each set's rate is printed beside plain SQLite FTS5 (unicode61 remove_diacritics 2, the
//! query's words OR-ed, bm25) on the same catalog, the baseline search has to beat.
#![allow(clippy::expect_used, clippy::print_stdout)]

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use civic_catalog::{CatalogStore, Snapshot};
use civic_types::search::{MatchQuality, SearchFilters, SearchRequest, SearchResults};

/// One store for the whole file (building it is the slow part); SQLite wants it behind a lock.
static STORE: LazyLock<std::sync::Mutex<CatalogStore>> = LazyLock::new(|| {
    std::sync::Mutex::new(
        CatalogStore::in_memory(&Snapshot::bundled().expect("bundled snapshot")).expect("store"),
    )
});

fn store() -> std::sync::MutexGuard<'static, CatalogStore> {
    STORE
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn own_data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/search")
        .join(name)
}

/// (query, accepted codes) rows of a TSV whose first column is the query.
fn queries(path: &Path) -> Vec<(String, Vec<String>)> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|line| {
            let mut columns = line.split('\t');
            let query = columns.next().expect("query column").to_owned();
            let accepted = columns
                .next()
                .expect("second column")
                .split(',')
                .map(|c| c.trim().to_owned())
                .collect();
            (query, accepted)
        })
        .collect()
}

fn search(query: &str, limit: u32) -> SearchResults {
    let request = SearchRequest {
        query: query.into(),
        prefix: false,
        filters: SearchFilters::default(),
        limit,
    };
    store().search(&request).expect("search")
}

/// Queries whose top 3 holds no accepted code, described.
fn misses(rows: &[(String, Vec<String>)], top3: impl Fn(&str) -> Vec<String>) -> Vec<String> {
    rows.iter()
        .filter_map(|(query, accepted)| {
            let top = top3(query);
            (!top.iter().any(|code| accepted.contains(code)))
                .then(|| format!("{query:?}: wanted one of {accepted:?}, got {top:?}"))
        })
        .collect()
}

fn ours(query: &str) -> Vec<String> {
    search(query, 3).hits.into_iter().map(|h| h.code).collect()
}

/// Plain SQLite FTS5 over the same procedures: names and bodies, the query's words OR-ed.
mod baseline {
    use super::*;
    use rusqlite::Connection;

    pub static FTS: LazyLock<std::sync::Mutex<Connection>> = LazyLock::new(|| {
        let conn = Connection::open_in_memory().expect("sqlite");
        conn.execute_batch(
            "CREATE VIRTUAL TABLE t USING fts5(code UNINDEXED, name, body, \
             tokenize = 'unicode61 remove_diacritics 2')",
        )
        .expect("fts5");
        let snapshot = Snapshot::bundled().expect("bundled");
        let mut insert = conn
            .prepare("INSERT INTO t (code, name, body) VALUES (?1, ?2, ?3)")
            .expect("insert");
        for p in &snapshot.procedures {
            let documents: Vec<&str> = p
                .document_groups
                .iter()
                .flat_map(|g| g.documents.iter().map(|d| d.name.as_str()))
                .collect();
            let body = [
                p.results.join(" "),
                p.agencies.all().join(" "),
                documents.join(" "),
            ]
            .join(" ");
            insert
                .execute(rusqlite::params![p.code, p.name, body])
                .expect("row");
        }
        drop(insert);
        std::sync::Mutex::new(conn)
    });

    pub fn top3(query: &str) -> Vec<String> {
        let words: Vec<String> = query
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(|w| format!("\"{w}\""))
            .collect();
        if words.is_empty() {
            return Vec::new();
        }
        let conn = FTS.lock().expect("lock");
        let mut stmt = conn
            .prepare_cached("SELECT code FROM t WHERE t MATCH ?1 ORDER BY bm25(t) LIMIT 3")
            .expect("query");
        stmt.query_map([words.join(" OR ")], |r| r.get(0))
            .expect("rows")
            .collect::<Result<_, _>>()
            .expect("codes")
    }
}

/// Runs a set, prints its rate beside the baseline's, returns (hits, total, misses).
fn evaluate(name: &str, rows: &[(String, Vec<String>)]) -> (usize, usize, Vec<String>) {
    let missed = misses(rows, ours);
    let baseline = rows.len() - misses(rows, baseline::top3).len();
    let found = rows.len() - missed.len();
    println!(
        "search quality [{name}]: {found}/{} in the top 3 ({:.1}%); plain FTS5 bm25: {baseline}/{} ({:.1}%)",
        rows.len(),
        100.0 * found as f64 / rows.len() as f64,
        rows.len(),
        100.0 * baseline as f64 / rows.len() as f64,
    );
    (found, rows.len(), missed)
}

#[test]
fn dev_queries_rank_an_accepted_code_in_the_top_three() {
    let rows = queries(&civic_test_support::shared_data().join("search/queries_dev.tsv"));
    assert!(rows.len() >= 20, "the query file shrank to {}", rows.len());
    let (_, _, missed) = evaluate("dev", &rows);
    assert!(missed.is_empty(), "{}", missed.join("\n"));
}

#[test]
fn tuning_split_mostly_ranks_an_accepted_code_in_the_top_three() {
    let rows = queries(&own_data("tune.tsv"));
    assert!(
        rows.len() >= 100,
        "the tuning split shrank to {}",
        rows.len()
    );
    let (found, total, missed) = evaluate("tune", &rows);
    for miss in &missed {
        println!("  tune miss: {miss}");
    }
    assert!(
        found * 100 >= total * 85,
        "{found}/{total}:\n{}",
        missed.join("\n")
    );
}

/// The held-back split is never looked at while tuning; only its rate is read.
#[test]
fn held_out_split_ranks_an_accepted_code_in_the_top_three() {
    let rows = queries(&own_data("held_out.tsv"));
    assert!(
        rows.len() >= 60,
        "the held-out split shrank to {}",
        rows.len()
    );
    let (found, total, _) = evaluate("held out", &rows);
    assert!(found * 100 >= total * HELD_OUT_FLOOR, "{found}/{total}");
}

/// The floor on the held-out split, in percent.
const HELD_OUT_FLOOR: usize = 80;

#[test]
fn queries_nothing_answers_are_called_weak_and_answered_ones_good() {
    let unanswerable = queries(&own_data("no_answer.tsv"));
    let weak: Vec<&str> = unanswerable
        .iter()
        .filter(|(q, _)| search(q, 10).quality != MatchQuality::Good)
        .map(|(q, _)| q.as_str())
        .collect();
    // The threshold was chosen on the tuning split; the held-out split is not read here.
    let answerable = queries(&own_data("tune.tsv"));
    let good = answerable
        .iter()
        .filter(|(q, _)| search(q, 10).quality == MatchQuality::Good)
        .count();
    println!(
        "match quality: {}/{} unanswerable queries called weak; {good}/{} answerable called good",
        weak.len(),
        unanswerable.len(),
        answerable.len()
    );
    assert!(weak.len() * 100 >= unanswerable.len() * 35, "{weak:?}");
    assert!(
        good * 100 >= answerable.len() * 85,
        "{good}/{}",
        answerable.len()
    );
    // A weak answer offers the fields its related results come from.
    let (query, _) = &unanswerable[0];
    let results = search(query, 10);
    if results.quality == MatchQuality::Weak {
        assert!(!results.closest_fields.is_empty(), "{query}");
    }
}

/// The examples the issue reported as harmful answers.
#[test]
fn reported_harmful_answers_are_gone() {
    let cases = [
        (
            "lam lai giay khai sinh bi mat",
            &["1.004884", "2.000635"][..],
        ),
        ("mat bang lai xe", &["3.000348"][..]),
        ("dang ky ket hon lan 2", &["1.000894"][..]),
        ("bi mat so ho khau", &["1.010041", "1.010039"][..]),
    ];
    for (query, accepted) in cases {
        let top = ours(query);
        assert!(
            accepted.contains(&top[0].as_str()),
            "{query}: first result {top:?}"
        );
    }
}

#[test]
fn every_result_shows_why_it_matched() {
    for query in ["dang ky khai sinh", "GPLX bị mất", "so do"] {
        let results = search(query, 5);
        assert!(!results.hits.is_empty(), "{query}");
        for hit in &results.hits {
            assert!(!hit.highlights.is_empty(), "{query}: {}", hit.name);
            for h in &hit.highlights {
                let marked = hit
                    .name
                    .get(h.start as usize..h.end as usize)
                    .expect("on character boundaries");
                assert!(!marked.trim().is_empty());
            }
        }
    }
    let birth = search("dang ky khai sinh", 1).hits.remove(0);
    let marked: Vec<&str> = birth
        .highlights
        .iter()
        .map(|h| &birth.name[h.start as usize..h.end as usize])
        .collect();
    assert_eq!(marked, vec!["đăng", "ký", "khai", "sinh"], "{}", birth.name);
}

#[test]
fn type_ahead_finds_procedures_from_a_partial_last_word() {
    let request = |query: &str| SearchRequest {
        query: query.into(),
        prefix: true,
        filters: SearchFilters::default(),
        limit: 5,
    };
    for (typed, code) in [
        ("dang ky khai si", "1.001193"),
        ("đăng ký kết h", "1.000894"),
        ("1.00119", "1.001193"),
        ("cap lai giay phep lai x", "3.000348"),
    ] {
        let hits = store().search(&request(typed)).expect("search").hits;
        assert!(
            hits.iter().any(|h| h.code == code),
            "{typed:?} → {:?}",
            hits.iter().map(|h| &h.code).collect::<Vec<_>>()
        );
    }
}

#[test]
fn filters_narrow_results_to_the_chosen_field_level_and_agency() {
    let store = store();
    let facets = store.facets().expect("facets");
    assert!(facets.fields.iter().any(|f| f.value == "Hộ tịch"));
    assert!(facets.levels.iter().any(|f| f.value == "Cấp xã"));
    let filtered = SearchRequest {
        query: "dang ky".into(),
        prefix: false,
        filters: SearchFilters {
            field: Some("Hộ tịch".into()),
            level: Some("Cấp xã".into()),
            agency: None,
        },
        limit: 50,
    };
    let hits = store.search(&filtered).expect("search").hits;
    assert!(!hits.is_empty());
    assert!(
        hits.iter()
            .all(|h| h.field == "Hộ tịch" && h.levels.iter().any(|l| l == "Cấp xã"))
    );

    let agency = facets.agencies.first().expect("an agency").value.clone();
    let by_agency = SearchRequest {
        query: String::new(),
        prefix: false,
        filters: SearchFilters {
            agency: Some(agency.clone()),
            ..Default::default()
        },
        limit: 20,
    };
    for hit in store.search(&by_agency).expect("browse").hits {
        let p = store.get(&hit.code).expect("get").expect("exists");
        assert!(
            p.agencies.all().contains(&agency.as_str()),
            "{} lacks {agency}",
            hit.code
        );
    }
}

mod arbitrary_input {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// Whatever is typed (quotes, FTS operators, emoji, other scripts), search answers,
        /// and every highlight lies on character boundaries of the name it marks.
        #[test]
        fn search_answers_any_query(query in "(\\PC|\"|\\*|\\(|\\)|AND|OR|NOT|NEAR|:|\\^|-|1\\.00|dd|aw|gcn|so do|bi mat){0,30}", prefix: bool) {
            let request = SearchRequest { query, prefix, filters: SearchFilters::default(), limit: 10 };
            let results = store().search(&request);
            prop_assert!(results.is_ok());
            for hit in results.expect("ok").hits {
                for h in hit.highlights {
                    prop_assert!(hit.name.get(h.start as usize..h.end as usize).is_some());
                }
            }
        }
    }
}

/// Fields weigh as BM25F: a word in a name outranks the same word in documents, a procedure
/// is still found through its documents, results or agencies, and a query with a word
/// nothing holds still finds what holds the others.
#[test]
fn names_outrank_bodies_and_bodies_still_answer() {
    let bundled = Snapshot::bundled().expect("bundled");
    let mut only_in_documents = bundled.procedures[0].clone();
    only_in_documents.code = "9.000001".into();
    only_in_documents.name = "Cấp giấy phép hoạt động".into();
    only_in_documents.document_groups[0].documents[0].name = "Tờ khai theo mẫu Zeta".into();
    let mut named = bundled.procedures[1].clone();
    named.code = "9.000002".into();
    named.name = "Đăng ký hoạt động Zeta".into();
    let snapshot = Snapshot {
        procedures: vec![only_in_documents, named],
        ..bundled
    };
    let store = CatalogStore::in_memory(&snapshot).expect("store");
    let codes = |query: &str| -> Vec<String> {
        let request = SearchRequest {
            query: query.into(),
            prefix: false,
            filters: SearchFilters::default(),
            limit: 10,
        };
        store
            .search(&request)
            .expect("search")
            .hits
            .into_iter()
            .map(|h| h.code)
            .collect()
    };
    assert_eq!(
        codes("zeta"),
        vec!["9.000002", "9.000001"],
        "the name first, documents still found"
    );
    assert!(
        codes("mau zeta").contains(&"9.000001".to_owned()),
        "found through its documents"
    );
    assert_eq!(
        codes("giay phep omega")[0],
        "9.000001",
        "some words of a name"
    );
    assert!(codes("omega").is_empty());
}
