//! The CLI says things in the app's own words: each error code's Fluent message
//! (`assets/locales/<lang>/errors.ftl`), and a feature's states as its pages name them
//! (`parking.ftl`), in Vietnamese unless the locale asks for English.

use civic_types::error::ErrorCode;
use fluent_bundle::{FluentArgs, FluentBundle, FluentResource, FluentValue};
use unic_langid::{LanguageIdentifier, langid};

const VI: &str = include_str!("../../../assets/locales/vi/errors.ftl");
const EN: &str = include_str!("../../../assets/locales/en/errors.ftl");
const PARKING_VI: &str = include_str!("../../../assets/locales/vi/parking.ftl");
const PARKING_EN: &str = include_str!("../../../assets/locales/en/parking.ftl");

/// `LC_ALL`, then `LC_MESSAGES`, then `LANG`, as POSIX orders them: English for `en*`,
/// Vietnamese for anything else (including `C`).
pub fn english_requested(get: impl Fn(&str) -> Option<String>) -> bool {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .find_map(|name| get(name).filter(|v| !v.is_empty()))
        .is_some_and(|locale| locale.starts_with("en"))
}

/// The message for `code` in the user's language.
pub fn error_message(code: ErrorCode) -> String {
    in_user_language((VI, EN), code.message_id(), &[])
}

/// A parking message (`parking.ftl`) with its arguments, in the user's language.
pub fn parking_text(id: &str, args: &[(&str, String)]) -> String {
    in_user_language((PARKING_VI, PARKING_EN), id, args)
}

fn in_user_language(sources: (&str, &str), id: &str, args: &[(&str, String)]) -> String {
    let english = english_requested(|name| std::env::var(name).ok());
    let (source, lang): (&str, LanguageIdentifier) = if english {
        (sources.1, langid!("en"))
    } else {
        (sources.0, langid!("vi"))
    };
    let mut fluent_args = FluentArgs::new();
    for (name, value) in args {
        fluent_args.set(*name, FluentValue::from(value.as_str()));
    }
    message_with(source, lang, id, Some(&fluent_args)).unwrap_or_else(|| id.to_owned())
}

#[cfg(test)]
fn message(source: &str, lang: LanguageIdentifier, id: &str) -> Option<String> {
    message_with(source, lang, id, None)
}

fn message_with(
    source: &str,
    lang: LanguageIdentifier,
    id: &str,
    args: Option<&FluentArgs>,
) -> Option<String> {
    let resource = FluentResource::try_new(source.to_owned()).ok()?;
    let mut bundle = FluentBundle::new(vec![lang]);
    // No bidi isolation marks: this text goes to a terminal.
    bundle.set_use_isolating(false);
    bundle.add_resource(resource).ok()?;
    let pattern = bundle.get_message(id)?.value()?;
    let mut errors = Vec::new();
    Some(
        bundle
            .format_pattern(pattern, args, &mut errors)
            .into_owned(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_a_message_in_both_languages() {
        for code in ErrorCode::ALL {
            for (source, lang) in [(VI, langid!("vi")), (EN, langid!("en"))] {
                let text = message(source, lang, code.message_id());
                assert!(
                    text.as_deref().is_some_and(|t| !t.is_empty()),
                    "{code:?} in {source:.20}"
                );
            }
        }
    }

    #[test]
    fn the_locale_picks_the_language() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| (*v).to_owned())
            }
        };
        assert!(english_requested(env(&[("LANG", "en_US.UTF-8")])));
        assert!(!english_requested(env(&[("LANG", "vi_VN.UTF-8")])));
        assert!(!english_requested(env(&[("LANG", "C.UTF-8")])));
        assert!(!english_requested(env(&[])));
        // LC_ALL wins over LANG; an empty one does not count.
        assert!(!english_requested(env(&[
            ("LC_ALL", "vi_VN"),
            ("LANG", "en_GB")
        ])));
        assert!(english_requested(env(&[("LC_ALL", ""), ("LANG", "en_GB")])));
    }
}
