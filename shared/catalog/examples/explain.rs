//! `cargo run -p civic-catalog --example explain -- "mat cccd"`: how search reads a query
//! over the bundled catalog and why its best results rank where they do.
#![allow(clippy::print_stdout, clippy::expect_used)]

fn main() {
    let store = civic_catalog::CatalogStore::in_memory(
        &civic_catalog::Snapshot::bundled().expect("bundled snapshot"),
    )
    .expect("store");
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--coverage") {
        // The first result's coverage for every query of a TSV, to see where "weak" begins.
        for path in &args[1..] {
            let text = std::fs::read_to_string(path).expect("queries");
            for query in text
                .lines()
                .filter(|l| !l.starts_with('#'))
                .filter_map(|l| l.split('\t').next())
            {
                let first = store.explain_search(query, 1);
                let coverage = first
                    .lines()
                    .last()
                    .and_then(|l| l.split("cov=").nth(1))
                    .map(|c| &c[..4]);
                println!(
                    "{}\t{}\t{query}",
                    path.rsplit('/').next().unwrap_or(path),
                    coverage.unwrap_or("-")
                );
            }
        }
        return;
    }
    for query in args {
        println!("== {query}\n{}", store.explain_search(&query, 6));
    }
}
