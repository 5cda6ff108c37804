//! Tidy checks, run as ordinary tests: they keep conventions from eroding.
#![allow(clippy::expect_used)]

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files
}

fn message_ids(locale: &str) -> Vec<String> {
    let source = std::fs::read_to_string(root().join(format!("assets/locales/{locale}/main.ftl")))
        .expect("ftl");
    let resource = fluent_syntax::parser::parse(source.as_str())
        .unwrap_or_else(|(_, errors)| panic!("{locale}/main.ftl has syntax errors: {errors:?}"));
    let mut ids: Vec<String> = resource
        .body
        .iter()
        .filter_map(|entry| match entry {
            fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_owned()),
            _ => None,
        })
        .collect();
    ids.sort();
    ids
}

#[test]
fn every_locale_has_the_same_messages() {
    let vi = message_ids("vi");
    let en = message_ids("en");
    assert!(!vi.is_empty());
    let only_vi: Vec<_> = vi.iter().filter(|id| !en.contains(id)).collect();
    let only_en: Vec<_> = en.iter().filter(|id| !vi.contains(id)).collect();
    assert!(
        only_vi.is_empty() && only_en.is_empty(),
        "only in vi: {only_vi:?}; only in en: {only_en:?}"
    );
}

/// Every `t("id")` / `t_args("id", …)` in the UI names a message that exists, and no
/// message is left unused.
#[test]
fn ui_uses_exactly_the_defined_messages() {
    let defined = message_ids("vi");
    let mut used = Vec::new();
    for file in rust_files(&root().join("app/ui/src")) {
        let source = std::fs::read_to_string(&file).expect("read");
        let mut rest = source.as_str();
        while let Some(at) = rest.find('"') {
            rest = &rest[at + 1..];
            let Some(end) = rest.find('"') else { break };
            let literal = &rest[..end];
            if defined.iter().any(|id| id == literal) {
                used.push(literal.to_owned());
            }
            rest = &rest[end + 1..];
        }
        for call in ["t(\"", "t_args(\""] {
            for (at, _) in source.match_indices(call) {
                // `create_element("canvas")` ends in `t("` too: only whole-word calls count.
                let whole_word = source[..at]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !c.is_alphanumeric() && c != '_');
                if !whole_word {
                    continue;
                }
                let id: String = source[at + call.len()..]
                    .chars()
                    .take_while(|c| *c != '"')
                    .collect();
                assert!(
                    defined.contains(&id),
                    "{}: unknown message {id:?}",
                    file.display()
                );
            }
        }
    }
    let unused: Vec<_> = defined.iter().filter(|id| !used.contains(id)).collect();
    assert!(
        unused.is_empty(),
        "messages defined but never used: {unused:?}"
    );
}

/// UI text lives in Fluent files: a string literal with letters as an rsx text node is a
/// hard-coded label. Data shown as-is is interpolated (`"{name}"`) and passes.
#[test]
fn components_hold_no_hard_coded_text() {
    let mut offenders = Vec::new();
    for file in rust_files(&root().join("app/ui/src")) {
        let source = std::fs::read_to_string(&file).expect("read");
        for (number, line) in source.lines().enumerate() {
            let trimmed = line.trim();
            let is_text_node =
                trimmed.starts_with('"') && (trimmed.ends_with('"') || trimmed.ends_with("\" }"));
            if !is_text_node {
                continue;
            }
            let literal = trimmed.trim_end_matches(" }").trim_matches('"');
            let outside_braces: String = {
                let mut depth = 0;
                literal
                    .chars()
                    .filter(|c| {
                        match c {
                            '{' => depth += 1,
                            '}' => depth -= 1,
                            _ => {}
                        }
                        depth == 0 && *c != '}'
                    })
                    .collect()
            };
            if outside_braces.chars().any(char::is_alphabetic) {
                offenders.push(format!("{}:{}: {trimmed}", file.display(), number + 1));
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "hard-coded UI text (move it to assets/locales):\n{}",
        offenders.join("\n")
    );
}
