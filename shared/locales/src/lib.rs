//! `civic-locales`: the app's words, every `assets/locales/<lang>/*.ftl` compiled in, one
//! file per feature, so the UI and the CLI say things alike and a feature's file is found
//! without being listed. Platform: owned by no feature; builds for wasm32.

mod generated {
    include!(concat!(env!("OUT_DIR"), "/locales.rs"));
}

/// The Fluent sources of Vietnamese, the app's first language.
pub const VI: &[&str] = generated::VI;
/// The Fluent sources of English.
pub const EN: &[&str] = generated::EN;

#[cfg(test)]
mod tests {
    #[test]
    fn both_languages_have_every_feature_s_file() {
        assert!(super::VI.len() >= 5, "{}", super::VI.len());
        assert_eq!(super::VI.len(), super::EN.len());
        assert!(super::VI.iter().any(|s| s.contains("report-status-fixed")));
        assert!(super::EN.iter().any(|s| s.contains("parking-paid")));
    }
}
