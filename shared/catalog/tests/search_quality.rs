//! Every query in `queries_dev.tsv` (as people really type) ranks an accepted code in the top 3,
//! over the catalog snapshot the app ships.
#![allow(clippy::expect_used, clippy::print_stdout)]

use civic_catalog::{CatalogStore, Snapshot};
use civic_types::search::{SearchFilters, SearchRequest};

#[test]
fn dev_queries_rank_an_accepted_code_in_the_top_three() {
    let store =
        CatalogStore::in_memory(&Snapshot::bundled().expect("bundled snapshot")).expect("store");
    let tsv =
        std::fs::read_to_string(civic_test_support::shared_data().join("search/queries_dev.tsv"))
            .expect("queries");
    let mut failures = Vec::new();
    let mut total = 0;
    for line in tsv
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let mut columns = line.split('\t');
        let query = columns.next().expect("query column");
        let accepted: Vec<&str> = columns
            .next()
            .expect("codes column")
            .split(',')
            .map(str::trim)
            .collect();
        total += 1;
        let request = SearchRequest {
            query: query.into(),
            prefix: false,
            filters: SearchFilters::default(),
            limit: 3,
        };
        let top: Vec<String> = store
            .search(&request)
            .expect("search")
            .hits
            .into_iter()
            .map(|h| h.code)
            .collect();
        if !top.iter().any(|code| accepted.contains(&code.as_str())) {
            failures.push(format!(
                "{query:?}: wanted one of {accepted:?}, got {top:?}"
            ));
        }
    }
    println!(
        "search quality: {}/{total} queries rank an accepted code in the top 3",
        total - failures.len()
    );
    assert!(total >= 20, "the query file shrank to {total}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn type_ahead_finds_procedures_from_a_partial_last_word() {
    let store =
        CatalogStore::in_memory(&Snapshot::bundled().expect("bundled snapshot")).expect("store");
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
    ] {
        let hits = store.search(&request(typed)).expect("search").hits;
        assert!(
            hits.iter().any(|h| h.code == code),
            "{typed:?} → {:?}",
            hits.iter().map(|h| &h.code).collect::<Vec<_>>()
        );
    }
}

#[test]
fn filters_narrow_results_to_the_chosen_field_level_and_agency() {
    let store =
        CatalogStore::in_memory(&Snapshot::bundled().expect("bundled snapshot")).expect("store");
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
    use std::sync::LazyLock;

    static STORE: LazyLock<std::sync::Mutex<CatalogStore>> = LazyLock::new(|| {
        std::sync::Mutex::new(
            CatalogStore::in_memory(&Snapshot::bundled().expect("bundled")).expect("store"),
        )
    });

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// Whatever is typed (quotes, FTS operators, emoji, other scripts), search answers.
        #[test]
        fn search_answers_any_query(query in "(\\PC|\"|\\*|\\(|\\)|AND|OR|NOT|NEAR|:|\\^|-|1\\.00|dd|aw){0,30}", prefix: bool) {
            let store = STORE.lock().expect("lock");
            let request = SearchRequest { query, prefix, filters: SearchFilters::default(), limit: 10 };
            prop_assert!(store.search(&request).is_ok());
        }
    }
}

/// When no name holds every word, documents, results and agencies are searched; when nothing
/// holds every word, names holding some of them are offered.
#[test]
fn later_tiers_answer_only_when_earlier_ones_find_nothing() {
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
        vec!["9.000002"],
        "a name match hides weaker body matches"
    );
    assert_eq!(
        codes("mau zeta"),
        vec!["9.000001"],
        "found through its documents"
    );
    assert_eq!(
        codes("giay phep omega"),
        vec!["9.000001"],
        "some words of a name"
    );
    assert!(codes("omega").is_empty());
}
