//! Language and text size: remembered on the device, applied to the document root.

use dioxus::prelude::*;

use crate::i18n::{LANG, Lang, t};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextSize {
    Normal,
    Large,
    Largest,
}

impl TextSize {
    const ALL: [TextSize; 3] = [TextSize::Normal, TextSize::Large, TextSize::Largest];

    /// Root font size; every length in the stylesheet is in rem, so the layout scales.
    fn percent(self) -> u32 {
        match self {
            TextSize::Normal => 100,
            TextSize::Large => 150,
            TextSize::Largest => 200,
        }
    }

    fn label_id(self) -> &'static str {
        match self {
            TextSize::Normal => "text-size-normal",
            TextSize::Large => "text-size-large",
            TextSize::Largest => "text-size-largest",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    pub text_size: TextSize,
}

const LANG_KEY: &str = "civic.lang";
const TEXT_SIZE_KEY: &str = "civic.text-size";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

impl Settings {
    pub fn load() -> Self {
        let stored = |key| storage().and_then(|s| s.get_item(key).ok().flatten());
        if let Some(lang) = stored(LANG_KEY).as_deref().and_then(Lang::from_code) {
            *LANG.write() = lang;
        }
        let text_size = stored(TEXT_SIZE_KEY)
            .and_then(|p| {
                TextSize::ALL
                    .into_iter()
                    .find(|s| s.percent().to_string() == p)
            })
            .unwrap_or(TextSize::Normal);
        Settings { text_size }
    }

    pub fn apply(&self) {
        let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        else {
            return;
        };
        let _ = root.set_attribute("lang", LANG.read().code());
        let _ = root.set_attribute(
            "style",
            &format!("font-size: {}%", self.text_size.percent()),
        );
    }
}

fn remember(key: &str, value: &str) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(key, value);
    }
}

#[component]
pub fn SettingsBar() -> Element {
    let mut settings = use_context::<Signal<Settings>>();
    let current = *LANG.read();
    let size = settings.read().text_size;
    rsx! {
        div { class: "settings",
            div { role: "group", aria_label: t("settings-language"), class: "segmented",
                for lang in Lang::ALL {
                    button {
                        lang: lang.code(),
                        aria_pressed: if lang == current { "true" } else { "false" },
                        onclick: move |_| {
                            *LANG.write() = lang;
                            remember(LANG_KEY, lang.code());
                            settings.read().apply();
                        },
                        {lang.native_name()}
                    }
                }
            }
            div { role: "group", aria_label: t("settings-text-size"), class: "segmented",
                for option in TextSize::ALL {
                    button {
                        aria_pressed: if option == size { "true" } else { "false" },
                        onclick: move |_| {
                            settings.write().text_size = option;
                            remember(TEXT_SIZE_KEY, &option.percent().to_string());
                        },
                        {t(option.label_id())}
                    }
                }
            }
        }
    }
}
