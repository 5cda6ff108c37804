//! What search keeps of a procedure besides its name, folded once when it is written.

use civic_text::{fold, fold_tokens, is_syllable};
use civic_types::catalog::Procedure;

/// The folded fields search weighs (see `index.rs`), as stored in `procedure_text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchText {
    pub results: String,
    pub documents: String,
    pub agencies: String,
    /// "abbreviation word word…", one per line: the name's abbreviations spelled out.
    pub abbreviations: String,
    /// Citizens are among whom the procedure serves (the app's users are residents).
    pub for_citizens: bool,
}

/// How the portal names the group of ordinary residents, folded.
const CITIZENS: &str = "cong dan viet nam";

impl SearchText {
    pub fn of(procedure: &Procedure) -> Self {
        let documents: Vec<&str> = procedure
            .document_groups
            .iter()
            .flat_map(|g| g.documents.iter().map(|d| d.name.as_str()))
            .collect();
        // The procedure's own words, where an abbreviation in its name is spelled out.
        let own_words = fold_tokens(
            &[
                procedure.steps.join(" \n "),
                procedure.results.join(" \n "),
                documents.join(" \n "),
                procedure.conditions.clone().unwrap_or_default(),
            ]
            .join(" \n "),
        );
        let abbreviations = spelled_out(&fold_tokens(&procedure.name), &own_words)
            .into_iter()
            .map(|(short, words)| format!("{short} {}", words.join(" ")))
            .collect::<Vec<_>>()
            .join("\n");
        Self {
            results: fold(&procedure.results.join(" ")),
            documents: fold(&documents.join(" ")),
            agencies: fold(&procedure.agencies.all().join(" ")),
            abbreviations,
            for_citizens: procedure.target_groups.iter().any(|g| fold(g) == CITIZENS),
        }
    }
}

/// Whether a folded word looks like an abbreviation: letters that cannot be one syllable.
pub fn is_abbreviation(word: &str) -> bool {
    word.len() >= 2 && !is_syllable(word) && word.bytes().all(|b| b.is_ascii_lowercase())
}

/// Abbreviations among `name_words` that `text` spells out: the first run of words in the
/// text whose initials are the abbreviation ("tnld" → "tai nan lao dong").
pub fn spelled_out(name_words: &[String], text: &[String]) -> Vec<(String, Vec<String>)> {
    let mut found: Vec<(String, Vec<String>)> = Vec::new();
    for word in name_words.iter().filter(|w| is_abbreviation(w)) {
        if found.iter().any(|(short, _)| short == word) {
            continue;
        }
        let letters: Vec<u8> = word.bytes().collect();
        let spelled = text.windows(letters.len()).find(|run| {
            run.iter()
                .zip(&letters)
                .all(|(w, &letter)| w.as_bytes().first() == Some(&letter) && is_syllable(w))
        });
        if let Some(run) = spelled {
            found.push((word.clone(), run.to_vec()));
        }
    }
    found
}

/// Reads back [`SearchText::abbreviations`].
pub fn parse_abbreviations(stored: &str) -> Vec<(String, Vec<String>)> {
    stored
        .lines()
        .filter_map(|line| {
            let mut words = line.split(' ').filter(|w| !w.is_empty()).map(str::to_owned);
            let short = words.next()?;
            let spelled: Vec<String> = words.collect();
            (!spelled.is_empty()).then_some((short, spelled))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abbreviations_are_spelled_out_from_the_procedures_own_words() {
        let name = fold_tokens("Giải quyết hưởng chế độ TNLĐ, BNN đối với trường hợp bị TNLĐ");
        let text = fold_tokens(
            "Người bị tai nạn lao động nộp hồ sơ; bệnh nghề nghiệp theo quy định; 2 bản",
        );
        let found = spelled_out(&name, &text);
        assert_eq!(
            found,
            vec![
                ("tnld".to_owned(), fold_tokens("tai nạn lao động")),
                ("bnn".to_owned(), fold_tokens("bệnh nghề nghiệp")),
            ]
        );
        let stored = found
            .iter()
            .map(|(s, w)| format!("{s} {}", w.join(" ")))
            .collect::<Vec<_>>()
            .join("\n");
        assert_eq!(parse_abbreviations(&stored), found);
    }

    #[test]
    fn syllables_numbers_and_unexplained_letters_are_left_alone() {
        assert!(is_abbreviation("gplx"));
        assert!(!is_abbreviation("dang"));
        assert!(!is_abbreviation("01"));
        assert!(!is_abbreviation("a"));
        let name = fold_tokens("Cấp giấy phép XYZ");
        assert!(spelled_out(&name, &fold_tokens("không có gì")).is_empty());
    }
}
