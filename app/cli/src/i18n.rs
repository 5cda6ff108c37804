//! The CLI says things in the app's own words: every Fluent file of the user's language
//! (`civic-locales`: error codes' messages, each feature's states and statuses), in
//! Vietnamese unless the locale asks for English.

use civic_types::error::ErrorCode;
use fluent_bundle::{FluentArgs, FluentBundle, FluentResource, FluentValue};
use unic_langid::{LanguageIdentifier, langid};

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
    text(code.message_id(), &[])
}

/// The app's message `id` with its arguments, in the user's language; the id itself when
/// no file has it (so a missing message shows, rather than nothing).
pub fn text(id: &str, args: &[(&str, String)]) -> String {
    let mut fluent_args = FluentArgs::new();
    for (name, value) in args {
        fluent_args.set(*name, FluentValue::from(value.as_str()));
    }
    USER_BUNDLE
        .with(|bundle| message(bundle.as_ref()?, id, Some(&fluent_args)))
        .unwrap_or_else(|| id.to_owned())
}

thread_local! {
    /// The user's language's files, parsed once per run rather than once per message (a
    /// listing says dozens). `None` if one does not parse; the tidy tests keep them parsing.
    static USER_BUNDLE: Option<FluentBundle<FluentResource>> = {
        if english_requested(|name| std::env::var(name).ok()) {
            bundle(civic_locales::EN, langid!("en"))
        } else {
            bundle(civic_locales::VI, langid!("vi"))
        }
    };
}

fn bundle(sources: &[&str], lang: LanguageIdentifier) -> Option<FluentBundle<FluentResource>> {
    let mut bundle = FluentBundle::new(vec![lang]);
    // No bidi isolation marks: this text goes to a terminal.
    bundle.set_use_isolating(false);
    for source in sources {
        let resource = FluentResource::try_new((*source).to_owned()).ok()?;
        bundle.add_resource(resource).ok()?;
    }
    Some(bundle)
}

fn message(
    bundle: &FluentBundle<FluentResource>,
    id: &str,
    args: Option<&FluentArgs>,
) -> Option<String> {
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
            for (sources, lang) in [
                (civic_locales::VI, langid!("vi")),
                (civic_locales::EN, langid!("en")),
            ] {
                let bundle = bundle(sources, lang.clone()).expect("the files parse");
                let text = message(&bundle, code.message_id(), None);
                assert!(
                    text.as_deref().is_some_and(|t| !t.is_empty()),
                    "{code:?} in {lang}"
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
