//! One report: where it is on its way, what the resident wrote, and the agency's timeline.

use civic_types::feedback::{ReportState, ReportView, ServiceDefinition};
use dioxus::prelude::*;
use fluent_bundle::FluentValue;

use super::{calls, state_line, status_label, when};
use crate::hooks::{use_city_zone, use_each_round};
use crate::i18n::{t, t_args};
use crate::routes::Route;

#[component]
pub fn ReportPage(id: i64) -> Element {
    // Read again after each sync round: it may have been sent, or its status changed.
    let view = use_each_round(move || calls::report(id));
    let zone = use_city_zone();
    let mut retry_said = use_signal(|| None::<String>);
    let loaded = view.read().clone();
    rsx! {
        button { class: "back", onclick: move |_| { navigator().push(Route::Feedback {}); }, {t("report-back")} }
        match loaded {
            None => rsx! { p { {t("feedback-loading")} } },
            Some(Err(error)) => rsx! { h1 { {t("report-heading")} } p { class: "error", role: "alert", {error.text()} } },
            Some(Ok(ReportView { detail, photos, update_photos })) => {
                let summary = detail.summary.clone();
                rsx! {
                    h1 { {summary.service_name.clone()} }
                    p {
                        id: "report-state",
                        class: if summary.overdue { "warning" } else if summary.state == ReportState::Sent { "verified" } else { "notice" },
                        role: "status",
                        {state_line(&summary, &zone)}
                    }
                    if summary.state == ReportState::Queued {
                        p { class: "hint", {t("feedback-queued-explained")} }
                        if let Some(next) = summary.next_attempt_at {
                            p { class: "hint", id: "report-next-attempt", {t_args("report-next-attempt", &[("time", FluentValue::from(when(next, &zone)))])} }
                        }
                        button {
                            class: "link-button",
                            id: "report-retry",
                            onclick: move |_| async move {
                                retry_said.set(Some(match calls::retry().await {
                                    Ok(_) => t("report-retrying"),
                                    Err(error) => error.text(),
                                }));
                            },
                            {t("feedback-retry")}
                        }
                        if let Some(said) = retry_said() { p { role: "status", {said} } }
                    }
                    if summary.state == ReportState::NeedsFix {
                        div { class: "warning", role: "alert",
                            p { {t("report-refused")} }
                            for refusal in summary.refusal.iter() { p { {refusal.description.clone()} } }
                        }
                        button { class: "primary-button", onclick: move |_| { navigator().push(Route::FeedbackEdit { id }); }, {t("report-fix")} }
                    }
                    dl { class: "facts",
                        div { class: "fact",
                            dt { {t("report-filed-as")} }
                            dd { id: "report-filed-as", if summary.signed_in { {t("report-filed-signed-in")} } else { {t("report-filed-anonymous")} } }
                        }
                        div { class: "fact",
                            dt { {t("report-created")} }
                            dd { {when(summary.created_at, &zone)} }
                        }
                        if let Some(sent) = summary.sent_at {
                            div { class: "fact",
                                dt { {t("report-sent-at")} }
                                dd { {when(sent, &zone)} }
                            }
                        }
                        if let Some(due) = summary.due_at {
                            div { class: "fact",
                                dt { {t("report-due")} }
                                dd { id: "report-due",
                                    {when(due, &zone)}
                                    if summary.overdue { " · " strong { {t("feedback-overdue")} } }
                                }
                            }
                        }
                        if let Some(description) = &summary.description {
                            div { class: "fact",
                                dt { {t("report-description")} }
                                dd { class: "prose", {description.clone()} }
                            }
                        }
                        div { class: "fact",
                            dt { {t("report-place")} }
                            dd {
                                {[summary.place.address.clone(), summary.place.lat.zip(summary.place.lon).map(|(a, b)| format!("{a:.5}, {b:.5}"))].into_iter().flatten().collect::<Vec<_>>().join(" · ")}
                            }
                        }
                        Answers { service_code: summary.service_code.clone(), answers: detail.attributes.clone() }
                    }
                    if !photos.is_empty() {
                        h2 { {t("report-photos")} }
                        ul { class: "photo-grid",
                            for (i, photo) in photos.iter().enumerate() {
                                li { img { src: "{photo}", alt: t_args("report-photo-alt", &[("number", FluentValue::from(i + 1))]) } }
                            }
                        }
                    }
                    if summary.state == ReportState::Sent {
                        h2 { id: "report-timeline-heading", {t("report-timeline")} }
                        if detail.timeline.is_empty() {
                            p { class: "hint", {t("report-timeline-empty")} }
                        }
                        ol { class: "timeline", id: "report-timeline", aria_labelledby: "report-timeline-heading",
                            for update in detail.timeline.iter() {
                                li { class: "timeline-entry",
                                    p { class: "result-name", {status_label(update.status)} }
                                    if let Some(at) = &update.updated_datetime {
                                        p { class: "result-meta", {crate::format::iso_time(at, crate::i18n::LANG.read().code(), &zone)} }
                                    }
                                    if let Some(note) = &update.description { p { class: "prose", {note.clone()} } }
                                    if let Some((_, photo)) = update_photos.iter().find(|(u, _)| *u == update.update_id) {
                                        img { class: "similar-photo", src: "{photo}", alt: t("report-update-photo") }
                                    } else if update.media_url.is_some() {
                                        p { class: "hint", {t("report-update-photo-later")} }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The answers as the form asked: each question's words and each choice's name (from the
/// form kept offline; the codes themselves when it is not there).
#[component]
fn Answers(service_code: String, answers: Vec<(String, String)>) -> Element {
    let form = use_resource(move || {
        let code = service_code.clone();
        async move { calls::form(&code).await.ok().flatten() }
    });
    let form: Option<ServiceDefinition> = form.read().clone().flatten();
    let mut shown: Vec<(String, Vec<String>)> = Vec::new();
    for (code, value) in &answers {
        let question = form
            .as_ref()
            .and_then(|f| f.attributes.iter().find(|a| &a.code == code));
        let asked = question.map_or_else(|| code.clone(), |q| q.description.clone());
        let said = question
            .and_then(|q| q.values.iter().find(|v| &v.key == value))
            .map_or_else(|| value.clone(), |v| v.name.clone());
        match shown.iter_mut().find(|(a, _)| *a == asked) {
            Some((_, values)) => values.push(said),
            None => shown.push((asked, vec![said])),
        }
    }
    rsx! {
        for (asked, said) in shown {
            div { class: "fact",
                dt { {asked} }
                dd { {said.join(", ")} }
            }
        }
    }
}
