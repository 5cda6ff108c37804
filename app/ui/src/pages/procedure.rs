use civic_types::catalog::{Procedure, RequiredDocument};
use civic_types::qr::SignatureCheck;
use dioxus::prelude::*;
use fluent_bundle::FluentValue;

use crate::format;
use crate::i18n::{t, t_args};

#[component]
pub fn ProcedurePage(code: String, scanned: Option<civic_types::qr::ScannedCode>) -> Element {
    let lookup = code.clone();
    let procedure = use_resource(move || crate::ipc::procedure(lookup.clone()));
    rsx! {
        nav {
            button { class: "back", onclick: move |_| crate::routes::go_back(), "← " {t("nav-back")} }
        }
        if let Some(scanned) = scanned {
            ScanVerdict { scanned }
        }
        match &*procedure.read() {
            None => rsx! { p { {t("loading")} } },
            Some(Err(error)) => rsx! { p { class: "error", role: "alert", {t_args("error-generic", &[("message", FluentValue::from(error.text()))])} } },
            Some(Ok(None)) => rsx! { p { role: "alert", {t_args("procedure-not-found", &[("code", FluentValue::from(code.clone()))])} } },
            Some(Ok(Some(p))) => rsx! { ProcedureDetail { procedure: p.clone() } },
        }
    }
}

#[component]
fn ProcedureDetail(procedure: Procedure) -> Element {
    let p = procedure;
    rsx! {
        article { class: "procedure", aria_labelledby: "procedure-name",
            h1 { id: "procedure-name", "{p.name}" }
            dl { class: "facts",
                Fact { label: t("procedure-code"), value: p.code.clone(), id: "procedure-code" }
                Fact { label: t("procedure-field"), value: p.field.clone() }
                Fact { label: t("procedure-levels"), value: p.levels.join(", ") }
                if !p.agencies.implementing.is_empty() {
                    Fact { label: t("procedure-agency"), value: p.agencies.implementing.join("; ") }
                }
                if !p.agencies.competent.is_empty() {
                    Fact { label: t("procedure-competent"), value: p.agencies.competent.join("; ") }
                }
                if let Some(address) = p.agencies.receiving_address.clone() {
                    Fact { label: t("procedure-address"), value: address }
                }
                if !p.target_groups.is_empty() {
                    Fact { label: t("procedure-target"), value: p.target_groups.join("; ") }
                }
                if let Some(kind) = p.procedure_type.clone() {
                    Fact { label: t("procedure-type"), value: kind }
                }
                if let Some(decision) = p.decision_number.clone() {
                    Fact { label: t("procedure-decision"), value: decision }
                }
            }

            if !p.channels.is_empty() {
                section { aria_labelledby: "channels-heading",
                    h2 { id: "channels-heading", {t("procedure-channels")} }
                    div { class: "table-scroll",
                        table { class: "channels",
                            caption { class: "visually-hidden", {t("procedure-channels")} }
                            thead {
                                tr {
                                    th { scope: "col", {t("channel-kind")} }
                                    th { scope: "col", {t("channel-time")} }
                                    th { scope: "col", {t("channel-fee")} }
                                }
                            }
                            tbody {
                                for channel in p.channels.clone() {
                                    tr {
                                        th { scope: "row", {format::channel(channel.kind)} }
                                        td { {format::time(&channel.processing_time)} }
                                        td { {channel.fees.iter().map(format::fee).collect::<Vec<_>>().join("; ")} }
                                    }
                                    if let Some(description) = channel.description.clone() {
                                        tr { class: "channel-note",
                                            td { colspan: "3", "{description}" }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }

            if !p.document_groups.is_empty() {
                section { aria_labelledby: "documents-heading",
                    h2 { id: "documents-heading", {t("procedure-documents")} }
                    for (g, group) in p.document_groups.clone().into_iter().enumerate() {
                        fieldset { class: "checklist",
                            legend { {group.title.clone().unwrap_or_else(|| t("documents-default-group"))} }
                            for (d, document) in group.documents.into_iter().enumerate() {
                                DocumentItem { id: format!("doc-{g}-{d}"), document }
                            }
                        }
                    }
                }
            }

            if !p.steps.is_empty() {
                section { aria_labelledby: "steps-heading",
                    h2 { id: "steps-heading", {t("procedure-steps")} }
                    ol { class: "steps",
                        for step in p.steps.clone() { li { class: "prose", "{step}" } }
                    }
                }
            }
            if let Some(conditions) = p.conditions.clone() {
                section { aria_labelledby: "conditions-heading",
                    h2 { id: "conditions-heading", {t("procedure-conditions")} }
                    p { class: "prose", "{conditions}" }
                }
            }
            if !p.results.is_empty() {
                section { aria_labelledby: "results-heading",
                    h2 { id: "results-heading", {t("procedure-results")} }
                    ul { for result in p.results.clone() { li { "{result}" } } }
                }
            }
            if !p.legal_basis.is_empty() {
                section { aria_labelledby: "legal-heading",
                    h2 { id: "legal-heading", {t("procedure-legal")} }
                    ul { class: "legal",
                        for law in p.legal_basis.clone() {
                            li {
                                "{law.title}"
                                if let Some(number) = law.number.clone() { " — " span { class: "code", "{number}" } }
                            }
                        }
                    }
                }
            }
            if !p.unparsed.is_empty() {
                section { aria_labelledby: "other-heading",
                    h2 { id: "other-heading", {t("procedure-other")} }
                    for field in p.unparsed.clone() { p { class: "prose", "{field.text}" } }
                }
            }
            if let Some(url) = p.portal_url.clone() {
                p { class: "portal",
                    {t("procedure-portal")} ": "
                    span { class: "code", "{url}" }
                }
            }
        }
    }
}

#[component]
fn Fact(label: String, value: String, id: Option<String>) -> Element {
    rsx! {
        div { class: "fact",
            dt { "{label}" }
            dd { id: id.unwrap_or_default(), "{value}" }
        }
    }
}

/// A document as a checkbox the resident ticks while gathering papers.
#[component]
fn DocumentItem(id: String, document: RequiredDocument) -> Element {
    let mut counts = Vec::new();
    if let Some(n) = document.originals.filter(|n| *n > 0) {
        counts.push(t_args(
            "document-originals",
            &[("count", FluentValue::from(n))],
        ));
    }
    if let Some(n) = document.copies.filter(|n| *n > 0) {
        counts.push(t_args(
            "document-copies",
            &[("count", FluentValue::from(n))],
        ));
    }
    rsx! {
        div { class: "check",
            input { r#type: "checkbox", id: "{id}" }
            label { r#for: "{id}",
                span { "{document.name}" }
                if !counts.is_empty() { span { class: "count", " ({counts.join(\", \")})" } }
                if let Some(form) = document.form.clone() {
                    span { class: "form", {t_args("document-form", &[("form", FluentValue::from(form))])} }
                }
            }
        }
    }
}

/// What the QR code that led here proves: a verified board code names who issued it.
#[component]
fn ScanVerdict(scanned: civic_types::qr::ScannedCode) -> Element {
    let lang = crate::i18n::LANG.read().code();
    match (&scanned.signed_by, scanned.signature) {
        (Some(by), _) if scanned.verified => rsx! {
            p { class: "verified", id: "scan-verified", role: "status",
                {t_args("scan-verified", &[
                    ("office", FluentValue::from(by.office.clone())),
                    ("issuer", FluentValue::from(by.issuer.get(lang).to_owned())),
                    ("date", FluentValue::from(crate::format::date(&by.issued))),
                ])}
            }
        },
        // A signature that does not match its link: someone copied or edited the code.
        (_, Some(SignatureCheck::Tampered)) => rsx! {
            p { class: "warning", id: "scan-tampered", role: "alert", {t("scan-tampered")} }
        },
        (_, Some(_)) => {
            rsx! { p { class: "notice", id: "scan-unverified", role: "status", {t("scan-unverified")} } }
        }
        _ => rsx! {},
    }
}

/// The page's markup, rendered without a browser (dioxus-ssr) from the real bundled catalog;
/// WebDriver keeps what needs the webview (focus, keyboard, axe-core, layout).
#[cfg(test)]
#[allow(clippy::expect_used)]
mod tests {
    use std::io::Read;

    use super::*;

    fn bundled(code: &str) -> Procedure {
        #[derive(serde::Deserialize)]
        struct Snapshot {
            procedures: Vec<Procedure>,
        }
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../assets/catalog/procedures.json.gz");
        let file = std::fs::File::open(&path).expect("the bundled catalog");
        let mut json = Vec::new();
        flate2::read::GzDecoder::new(file)
            .read_to_end(&mut json)
            .expect("gzip");
        let snapshot: Snapshot = serde_json::from_slice(&json).expect("snapshot");
        snapshot
            .procedures
            .into_iter()
            .find(|p| p.code == code)
            .expect("in the catalog")
    }

    fn render(procedure: Procedure) -> String {
        let mut dom =
            VirtualDom::new_with_props(ProcedureDetail, ProcedureDetailProps { procedure });
        dom.rebuild_in_place();
        dioxus_ssr::render(&dom)
    }

    /// Every `<input … id="x">` has a `<label for="x">`.
    fn unlabelled_checkboxes(html: &str) -> Vec<String> {
        html.match_indices("type=\"checkbox\"")
            .filter_map(|(at, _)| {
                let rest = &html[at..];
                let id = rest.split("id=\"").nth(1)?.split('"').next()?;
                (!html.contains(&format!("for=\"{id}\""))).then(|| id.to_owned())
            })
            .collect()
    }

    #[test]
    fn birth_registration_reads_as_facts_a_table_and_a_labelled_checklist() {
        let procedure = bundled("1.001193");
        let documents: usize = procedure
            .document_groups
            .iter()
            .map(|g| g.documents.len())
            .sum();
        let html = render(procedure.clone());

        assert!(
            html.contains(&format!(
                "<h1 id=\"procedure-name\">{}</h1>",
                procedure.name
            )),
            "{html:.300}"
        );
        assert!(html.contains("<dd id=\"procedure-code\">1.001193</dd>"));
        // One header per column and one per channel row, so a screen reader names each cell.
        assert_eq!(html.matches("scope=\"col\"").count(), 3);
        assert_eq!(
            html.matches("scope=\"row\"").count(),
            procedure.channels.len()
        );
        assert!(documents > 0, "the real record lists documents");
        assert_eq!(html.matches("type=\"checkbox\"").count(), documents);
        assert_eq!(unlabelled_checkboxes(&html), Vec::<String>::new());
        // Each section is named by its heading.
        for heading in ["channels-heading", "documents-heading"] {
            assert!(
                html.contains(&format!("aria-labelledby=\"{heading}\"")),
                "{heading}"
            );
            assert!(html.contains(&format!("id=\"{heading}\"")), "{heading}");
        }
    }

    fn verdict(signature: SignatureCheck, verified: bool) -> String {
        let scanned = civic_types::qr::ScannedCode {
            text: "https://dichvucong.gov.vn/?ma_thu_tuc=1.001193#civic2.x.y".into(),
            kind: civic_types::qr::ScanKind::Signed,
            procedure: Some("1.001193".into()),
            procedure_name: None,
            unknown_code: None,
            variant: None,
            verified,
            signature: Some(signature),
            signed_by: verified.then(|| civic_types::qr::SignedBy {
                office: "UBND xã Xuân Hồng".into(),
                issuer: civic_types::city::LocalizedText {
                    vi: "UBND tỉnh Ninh Bình".into(),
                    en: "Ninh Binh".into(),
                },
                issued: "2026-11-23".into(),
            }),
            host: None,
            warnings: vec![],
        };
        let mut dom = VirtualDom::new_with_props(ScanVerdict, ScanVerdictProps { scanned });
        dom.rebuild_in_place();
        dioxus_ssr::render(&dom)
    }

    #[test]
    fn a_tampered_code_is_an_alert_and_an_old_signature_only_unverified() {
        let tampered = verdict(SignatureCheck::Tampered, false);
        assert!(tampered.contains("id=\"scan-tampered\""), "{tampered}");
        assert!(tampered.contains("role=\"alert\""), "{tampered}");
        for quiet in [
            SignatureCheck::Unverifiable,
            SignatureCheck::UnknownKey,
            SignatureCheck::Malformed,
        ] {
            let html = verdict(quiet, false);
            assert!(html.contains("id=\"scan-unverified\""), "{quiet:?}: {html}");
        }
        let verified = verdict(SignatureCheck::Verified, true);
        assert!(verified.contains("UBND xã Xuân Hồng"), "{verified}");
    }

    #[test]
    fn the_checklist_check_catches_a_missing_label() {
        let html = r#"<input type="checkbox" id="doc-0-0"/><label for="doc-0-1">x</label>"#;
        assert_eq!(unlabelled_checkboxes(html), vec!["doc-0-0".to_owned()]);
    }
}
