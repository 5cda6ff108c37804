//! Fluent lookups. The `.ftl` files are compiled in; the language is a global signal so
//! every component re-renders when it changes.

use std::cell::RefCell;
use std::collections::HashMap;

use dioxus::prelude::*;
use fluent_bundle::{FluentArgs, FluentBundle, FluentResource, FluentValue};
use unic_langid::{LanguageIdentifier, langid};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    Vi,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Vi, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    /// The language's own name, shown in the switcher whatever the current language is.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::Vi => "Tiếng Việt",
            Lang::En => "English",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.code() == code)
    }

    fn id(self) -> LanguageIdentifier {
        match self {
            Lang::Vi => langid!("vi"),
            Lang::En => langid!("en"),
        }
    }

    /// The language's messages: every Fluent file of its folder, one per feature
    /// (`civic-locales`).
    fn sources(self) -> &'static [&'static str] {
        match self {
            Lang::Vi => civic_locales::VI,
            Lang::En => civic_locales::EN,
        }
    }
}

pub static LANG: GlobalSignal<Lang> = Signal::global(|| Lang::Vi);

thread_local! {
    static BUNDLES: RefCell<HashMap<Lang, FluentBundle<FluentResource>>> = RefCell::new(HashMap::new());
}

fn with_bundle<R>(lang: Lang, f: impl FnOnce(&FluentBundle<FluentResource>) -> R) -> R {
    BUNDLES.with(|bundles| {
        let mut bundles = bundles.borrow_mut();
        let bundle = bundles.entry(lang).or_insert_with(|| {
            let mut bundle = FluentBundle::new(vec![lang.id()]);
            // Isolation marks confuse screen readers and copy-paste; our strings are one direction.
            bundle.set_use_isolating(false);
            for source in lang.sources() {
                // A syntax error drops only the broken message; the tidy test keeps the files
                // clean, and that every id is defined once.
                let resource = FluentResource::try_new((*source).to_owned())
                    .unwrap_or_else(|(partial, _)| partial);
                let _ = bundle.add_resource(resource);
            }
            bundle
        });
        f(bundle)
    })
}

/// The message `id` in the current language (or the id itself, visibly, if missing).
pub fn t(id: &str) -> String {
    t_args(id, &[])
}

pub fn t_args(id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
    let lang = *LANG.read();
    with_bundle(lang, |bundle| {
        let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
            return id.to_owned();
        };
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            fluent_args.set(*name, value.clone());
        }
        let mut errors = Vec::new();
        bundle
            .format_pattern(pattern, Some(&fluent_args), &mut errors)
            .into_owned()
    })
}
