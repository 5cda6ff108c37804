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

/// The locale's Fluent files, one per feature.
fn ftl_files(locale: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("assets/locales").join(locale))
        .expect("locale folder")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "ftl"))
        .collect();
    files.sort();
    files
}

fn message_ids(locale: &str) -> Vec<String> {
    let mut ids = Vec::new();
    for file in ftl_files(locale) {
        let source = std::fs::read_to_string(&file).expect("ftl");
        let resource =
            fluent_syntax::parser::parse(source.as_str()).unwrap_or_else(|(_, errors)| {
                panic!("{} has syntax errors: {errors:?}", file.display())
            });
        for entry in &resource.body {
            if let fluent_syntax::ast::Entry::Message(m) = entry {
                assert!(
                    !ids.contains(&m.id.name.to_owned()),
                    "{locale}: {} is defined twice",
                    m.id.name
                );
                ids.push(m.id.name.to_owned());
            }
        }
    }
    ids.sort();
    ids
}

/// Every error code a host can send has its message, in every locale.
#[test]
fn every_error_code_has_a_message() {
    for locale in ["vi", "en"] {
        let defined = message_ids(locale);
        let missing: Vec<_> = civic_types::error::ErrorCode::ALL
            .iter()
            .map(|code| code.message_id())
            .filter(|id| !defined.iter().any(|d| d == id))
            .collect();
        assert!(missing.is_empty(), "{locale}: no message for {missing:?}");
    }
}

/// Each feature's messages are one file per locale, every locale has the same files, and
/// the UI compiles in every file of the folder.
#[test]
fn every_fluent_file_is_in_every_locale_and_in_the_ui() {
    let names = |locale: &str| -> Vec<String> {
        ftl_files(locale)
            .iter()
            .filter_map(|p| p.file_name()?.to_str().map(str::to_owned))
            .collect()
    };
    assert_eq!(names("vi"), names("en"));
    // `civic-locales` compiles in whatever each folder holds (its `build.rs`): nothing to
    // list; the UI and the CLI both say things through it.
    let build = std::fs::read_to_string(root().join("shared/locales/build.rs")).expect("build.rs");
    assert!(build.contains("assets/locales") && build.contains("\"ftl\""));
    for front_end in ["app/ui", "app/cli"] {
        let manifest =
            std::fs::read_to_string(root().join(front_end).join("Cargo.toml")).expect("manifest");
        assert!(manifest.contains("civic-locales"), "{front_end}");
    }
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
/// message is left unused (the host's system notifications use a few, and the shared types
/// name the message for each of their states, for the pages and the CLI alike).
#[test]
fn front_ends_use_exactly_the_defined_messages() {
    let defined = message_ids("vi");
    let mut used = Vec::new();
    // Both front ends say things from the same files (`civic-locales`).
    let files = rust_files(&root().join("app/ui/src"))
        .into_iter()
        .chain(rust_files(&root().join("app/desktop/src")))
        .chain(rust_files(&root().join("app/cli/src")))
        .chain(rust_files(&root().join("shared/types/src")));
    for file in files {
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
    // Error codes cross from the core; the UI shows each one's message.
    used.extend(
        civic_types::error::ErrorCode::ALL
            .iter()
            .map(|code| code.message_id().to_owned()),
    );
    let unused: Vec<_> = defined.iter().filter(|id| !used.contains(id)).collect();
    assert!(
        unused.is_empty(),
        "messages defined but never used: {unused:?}"
    );
}

/// UI text lives in Fluent files: a string literal with letters as an rsx text node is a
/// hard-coded label, whether alone on its line or inline (`p { "…" }`, `button { class: "x",
/// "…" }`). Data shown as-is is interpolated (`"{name}"`) and passes.
#[test]
fn components_hold_no_hard_coded_text() {
    let mut offenders = Vec::new();
    for file in rust_files(&root().join("app/ui/src")) {
        let source = std::fs::read_to_string(&file).expect("read");
        for (number, line) in source.lines().enumerate() {
            if text_nodes(line).iter().any(|literal| has_words(literal)) {
                offenders.push(format!(
                    "{}:{}: {}",
                    file.display(),
                    number + 1,
                    line.trim()
                ));
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "hard-coded UI text (move it to assets/locales):\n{}",
        offenders.join("\n")
    );
}

/// Letters outside `{…}` interpolations.
fn has_words(literal: &str) -> bool {
    let mut depth = 0;
    literal.chars().any(|c| {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            _ => {}
        }
        depth == 0 && c.is_alphabetic()
    })
}

/// The string literals on `line` that sit where rsx puts a text node: alone on the line, or
/// right after an element's `{` (`p { "…" }`) or an attribute's `,`; not inside a call's
/// `(…)` or `[…]`, not an attribute value (`class: "…"`), not a branch of an `if`/`match`.
fn text_nodes(line: &str) -> Vec<&str> {
    let mut nodes = Vec::new();
    let mut depth = 0i32;
    // The last character outside literals that is not whitespace, and where it is.
    let mut previous: Option<(usize, char)> = None;
    let mut chars = line.char_indices();
    while let Some((at, c)) = chars.next() {
        if c == '/' && line[at..].starts_with("//") {
            break;
        }
        if c.is_whitespace() {
            continue;
        }
        if c != '"' {
            match c {
                '(' | '[' => depth += 1,
                ')' | ']' => depth -= 1,
                _ => {}
            }
            previous = Some((at, c));
            continue;
        }
        let start = at + 1;
        let mut end = line.len();
        let mut escaped = false;
        for (i, ch) in chars.by_ref() {
            if escaped {
                escaped = false;
            } else if ch == '\\' {
                escaped = true;
            } else if ch == '"' {
                end = i;
                break;
            }
        }
        let after = line.get(end + 1..).unwrap_or("").trim_start();
        let placed = match previous {
            // Alone on its line (a child of the element opened above), not an argument of a
            // call that spans lines.
            None => after.is_empty() || after.starts_with('}'),
            Some((_, ',')) => true,
            Some((brace, '{')) => opens_element(&line[..brace]),
            _ => false,
        };
        // `"name": value` is an attribute spelled as a string, `"…" =>` a match arm.
        if depth == 0 && placed && !after.starts_with("=>") && !after.starts_with(':') {
            nodes.push(&line[start..end]);
        }
        previous = Some((end, '"'));
    }
    nodes
}

/// Whether `before` (a line up to a `{`) ends in an element name: an identifier that is not a
/// keyword and stands where an element may (line start, or after `{`, `}` or `,`).
fn opens_element(before: &str) -> bool {
    let before = before.trim_end();
    let name_start = before
        .rfind(|c: char| !(c.is_alphanumeric() || c == '_'))
        .map_or(0, |i| i + 1);
    let name = &before[name_start..];
    let keyword = [
        "if", "else", "match", "loop", "move", "in", "unsafe", "async",
    ]
    .contains(&name);
    let context = before[..name_start].trim_end().chars().next_back();
    !name.is_empty() && !keyword && matches!(context, None | Some('{' | '}' | ','))
}

#[test]
fn the_text_node_check_sees_inline_nodes() {
    assert_eq!(text_nodes(r#"p { "Xin chào" }"#), ["Xin chào"]);
    assert_eq!(text_nodes(r#"button { class: "primary", "Gửi" }"#), ["Gửi"]);
    assert_eq!(text_nodes(r#""Một dòng""#), ["Một dòng"]);
    assert!(text_nodes(r#"h1 { class: "title", {t("home-title")} }"#).is_empty());
    assert!(text_nodes(r#"match lang { "en" => 1, "vi" => 2 }"#).is_empty());
    assert!(text_nodes(r#"let x = format!("{a} b", a = 1);"#).is_empty());
    assert!(text_nodes(r#"if lang == "en" { 1 }"#).is_empty());
    assert!(text_nodes(r#"aria_pressed: if on { "true" } else { "false" },"#).is_empty());
    assert!(text_nodes(r#"let l = if en { "en-GB" } else { "vi-VN" };"#).is_empty());
    assert_eq!(text_nodes(r#"div { span { "Một" } }"#), ["Một"]);
    assert!(text_nodes(r#"video { id: "v", "playsinline": "true" }"#).is_empty());
    assert!(!has_words("{name} · {code}"));
    assert!(has_words("Tên: {name}"));
}

/// A tier's features: each a folder or a `.rs` file under `dir`, except the modules that
/// assemble them (`shell`).
fn features(dir: &Path, shell: &[&str]) -> Vec<(String, Vec<PathBuf>)> {
    let mut found: Vec<(String, Vec<PathBuf>)> = std::fs::read_dir(dir)
        .expect("tier folder")
        .flatten()
        .filter_map(|entry| {
            let path = entry.path();
            let name = path.file_stem()?.to_str()?.to_owned();
            if shell.contains(&name.as_str()) || name == "mod" {
                return None;
            }
            let files = if path.is_dir() {
                rust_files(&path)
            } else if path.extension().is_some_and(|e| e == "rs") {
                vec![path.clone()]
            } else {
                return None;
            };
            Some((name, files))
        })
        .collect();
    // A feature with both `x.rs` and `x/` is one feature.
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found.dedup_by(|later, earlier| {
        let same = later.0 == earlier.0;
        if same {
            earlier.1.append(&mut later.1);
        }
        same
    });
    found
}

/// Where a file of feature `own` names a sibling feature's module through one of `roots`
/// (`crate::pages`, `super`, …): `file:line: sibling`.
fn sibling_references(features: &[(String, Vec<PathBuf>)], roots: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for (own, files) in features {
        for file in files {
            let text = std::fs::read_to_string(file).expect("source");
            for (number, line) in text.lines().enumerate() {
                let code = line.split("//").next().unwrap_or("");
                for (sibling, _) in features.iter().filter(|(name, _)| name != own) {
                    let named = roots.iter().any(|root| {
                        code.match_indices(&format!("{root}::{sibling}"))
                            .any(|(at, matched)| {
                                let after = code[at + matched.len()..].chars().next();
                                let before = code[..at].chars().next_back();
                                !after.is_some_and(|c| c.is_alphanumeric() || c == '_')
                                    && !before.is_some_and(|c| c.is_alphanumeric() || c == '_')
                            })
                    });
                    if named {
                        let relative = file.strip_prefix(root()).unwrap_or(file);
                        found.push(format!(
                            "{}:{}: {own} → {sibling}",
                            relative.display(),
                            number + 1
                        ));
                    }
                }
            }
        }
    }
    found
}

/// Features stand on their tier's platform, never on each other: a UI page, a CLI command,
/// a host command module or a gateway feature that names a sibling feature fails here, so
/// what two features share moves to the platform (`hooks.rs`, `args.rs`,
/// `commands/mod.rs`, `server/src/platform/`). The shells that assemble features (the
/// home page, the router, `http.rs`) may name them all.
#[test]
fn features_never_import_their_siblings() {
    let root = root();
    let tiers: [(&str, &[&str], &[&str]); 4] = [
        (
            "app/ui/src/pages",
            &["home"],
            &["crate::pages", "pages", "super"],
        ),
        ("app/cli/src/cmd", &[], &["crate::cmd", "cmd", "super"]),
        (
            "app/desktop/src/commands",
            &[],
            &["crate::commands", "commands", "super"],
        ),
        (
            "server/src",
            &["lib", "main", "http", "serve", "platform"],
            &["crate", "civic_gateway"],
        ),
    ];
    let mut crossings = Vec::new();
    for (dir, shell, roots) in tiers {
        crossings.extend(sibling_references(&features(&root.join(dir), shell), roots));
    }
    assert!(
        crossings.is_empty(),
        "features import their siblings (move what they share to the platform):\n{}",
        crossings.join("\n")
    );
}

/// The gateway's platform knows no feature: it is what features stand on.
#[test]
fn the_gateway_platform_imports_no_feature() {
    let root = root();
    let features: Vec<String> = features(
        &root.join("server/src"),
        &["lib", "main", "http", "serve", "platform"],
    )
    .into_iter()
    .map(|(name, _)| name)
    .collect();
    let mut found = Vec::new();
    for file in rust_files(&root.join("server/src/platform")) {
        let text = std::fs::read_to_string(&file).expect("source");
        for (number, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for feature in &features {
                if code.contains(&format!("crate::{feature}::")) || code.contains("crate::http::") {
                    found.push(format!("{}:{}: {feature}", file.display(), number + 1));
                }
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

/// Component crates depend on support crates and the platform, never on another component
/// (what two of them need goes to a support crate), and support crates depend on no
/// component. Checked on each crate's manifest, so the dependency graph itself shows the
/// layering.
#[test]
fn components_never_depend_on_each_other() {
    const COMPONENTS: &[&str] = &["catalog", "qr", "auth", "feedback", "bus", "parking"];
    const SUPPORT: &[&str] = &[
        "types", "db", "text", "time", "net", "sync", "city", "payment",
    ];
    let mut crossings = Vec::new();
    for crate_dir in COMPONENTS.iter().chain(SUPPORT) {
        let manifest =
            std::fs::read_to_string(root().join("shared").join(crate_dir).join("Cargo.toml"))
                .expect("manifest");
        let manifest: toml::Table = manifest.parse().expect("manifest TOML");
        for table in ["dependencies", "build-dependencies"] {
            let Some(dependencies) = manifest.get(table).and_then(toml::Value::as_table) else {
                continue;
            };
            for other in COMPONENTS.iter().filter(|other| *other != crate_dir) {
                if dependencies.contains_key(&format!("civic-{other}")) {
                    crossings.push(format!("civic-{crate_dir} -> civic-{other}"));
                }
            }
        }
    }
    assert!(
        crossings.is_empty(),
        "crates depend on components: {crossings:?}"
    );
}
