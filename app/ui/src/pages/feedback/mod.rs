//! "Góp ý – Phản ánh": residents' reports. The list of the resident's reports (drafts,
//! waiting to send, to fix, sent with the agency's status), the report editor and one
//! report's page. Everything is read from this device; sending is the host's background
//! sync, so the pages only show where each report is.

mod calls;
mod editor;
mod place;
mod report;

use civic_types::feedback::{ReportState, ReportSummary, Status};
use dioxus::prelude::*;
use fluent_bundle::FluentValue;

use crate::hooks::{loaded, use_city_zone, use_each_round};
use crate::i18n::{t, t_args};
use crate::routes::Route;

pub use editor::ReportEditor;
pub use report::ReportPage;

fn when(unix: i64, zone: &str) -> String {
    crate::format::local_time(unix, crate::i18n::LANG.read().code(), zone)
}

pub fn status_label(status: Status) -> String {
    t(status.message_id())
}

/// Where a report is, in words: waiting (with the last attempt), to fix, or its status.
fn state_line(report: &ReportSummary, zone: &str) -> String {
    let id = report.state_message_id();
    match report.state {
        ReportState::Queued => t_args(
            id,
            &[(
                "time",
                FluentValue::from(
                    report
                        .last_attempt_at
                        .map(|at| when(at, zone))
                        .unwrap_or_default(),
                ),
            )],
        ),
        ReportState::Sent => t_args(
            id,
            &[
                (
                    "number",
                    FluentValue::from(report.service_request_id.clone().unwrap_or_default()),
                ),
                (
                    "status",
                    FluentValue::from(status_label(report.status.unwrap_or_default())),
                ),
            ],
        ),
        ReportState::Draft | ReportState::NeedsFix => t(id),
    }
}

/// The resident's reports on this device, by where they are.
#[component]
pub fn FeedbackHome() -> Element {
    let mut overview = use_each_round(calls::overview);
    let zone = use_city_zone();
    let mut retrying = use_signal(|| false);
    let mut retry_error = use_signal(|| None::<String>);
    let answer = overview.read().clone();
    rsx! {
        h1 { {t("feedback-heading")} }
        {loaded(answer, "feedback-loading", move |overview_now| {
                let groups = [
                    (ReportState::Queued, "feedback-group-queued"),
                    (ReportState::NeedsFix, "feedback-group-needs-fix"),
                    (ReportState::Draft, "feedback-group-drafts"),
                    (ReportState::Sent, "feedback-group-sent"),
                ];
                let waiting = overview_now.reports.iter().filter(|r| r.state == ReportState::Queued).count();
                rsx! {
                    p { class: "hint", id: "feedback-identity",
                        if overview_now.signed_in { {t("feedback-signed-in")} } else { {t("feedback-anonymous")} }
                    }
                    p { class: "hint", {t_args("feedback-due-rule", &[("days", FluentValue::from(overview_now.due_working_days))])} }
                    if !overview_now.accepting {
                        p { class: "notice", role: "status", {t("feedback-not-accepting")} }
                    }
                    button {
                        class: "primary-button",
                        id: "feedback-new",
                        onclick: move |_| { navigator().push(Route::FeedbackNew {}); },
                        {t("feedback-new")}
                    }
                    if overview_now.reports.is_empty() {
                        p { id: "feedback-empty", {t("feedback-none")} }
                    }
                    for (state, heading) in groups {
                        {
                            let reports: Vec<ReportSummary> = overview_now.reports.iter().filter(|r| r.state == state).cloned().collect();
                            let heading_id = format!("feedback-group-{}", heading.trim_start_matches("feedback-group-"));
                            rsx! {
                                if !reports.is_empty() {
                                    section { aria_labelledby: "{heading_id}",
                                        h2 { id: "{heading_id}", {t(heading)} }
                                        if state == ReportState::Queued && waiting > 0 {
                                            p { class: "hint", {t("feedback-queued-explained")} }
                                            button {
                                                class: "link-button",
                                                id: "feedback-retry",
                                                disabled: retrying(),
                                                onclick: move |_| async move {
                                                    retrying.set(true);
                                                    retry_error.set(crate::pages::feedback::calls::retry().await.err().map(|e| e.text()));
                                                    retrying.set(false);
                                                    overview.restart();
                                                },
                                                {t("feedback-retry")}
                                            }
                                            if let Some(error) = retry_error() {
                                                p { class: "error", role: "alert", {error} }
                                            }
                                        }
                                        ul { class: "results",
                                            for report in reports {
                                                ReportItem { key: "{report.id}", report, zone: zone.clone() }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
        })}
    }
}

#[component]
fn ReportItem(report: ReportSummary, zone: String) -> Element {
    let id = report.id;
    let editable = matches!(report.state, ReportState::Draft | ReportState::NeedsFix);
    let created = when(report.created_at, &zone);
    rsx! {
        li {
            button {
                class: "result report-item",
                "data-report": "{id}",
                "data-state": match report.state { ReportState::Draft => "draft", ReportState::Queued => "queued", ReportState::Sent => "sent", ReportState::NeedsFix => "needs_fix" },
                onclick: move |_| {
                    if editable {
                        navigator().push(Route::FeedbackEdit { id });
                    } else {
                        navigator().push(Route::FeedbackReport { id });
                    }
                },
                span { class: "result-name", {report.service_name.clone()} }
                span { class: "report-state", {state_line(&report, &zone)} }
                if let Some(description) = &report.description {
                    span { class: "result-meta", {description.chars().take(120).collect::<String>()} }
                }
                span { class: "result-meta",
                    {t_args("feedback-created", &[("time", FluentValue::from(created))])}
                    if let Some(due) = report.due_at {
                        " · "
                        {t_args("feedback-due", &[("time", FluentValue::from(when(due, &zone)))])}
                    }
                }
                if report.overdue {
                    span { class: "badge badge-overdue", {t("feedback-overdue")} }
                }
                if report.status_changed {
                    span { class: "badge badge-new", {t("feedback-status-new")} }
                }
            }
        }
    }
}

/// On every page: reports whose status changed since the resident last looked, checked
/// after each sync round (the scheduler polls statuses while online).
#[component]
pub fn StatusNotice() -> Element {
    let overview = use_each_round(calls::overview);
    let changed: Vec<ReportSummary> = match &*overview.read() {
        Some(Ok(o)) => o
            .reports
            .iter()
            .filter(|r| r.status_changed)
            .cloned()
            .collect(),
        _ => Vec::new(),
    };
    rsx! {
        div { role: "status", aria_live: "polite",
            if let Some(first) = changed.first().cloned() {
                div { class: "notice", id: "feedback-status-notice",
                    {t_args("feedback-status-changed", &[("count", FluentValue::from(changed.len())), ("name", FluentValue::from(first.service_name.clone())), ("status", FluentValue::from(status_label(first.status.unwrap_or_default())))])}
                    " "
                    button {
                        class: "link-button",
                        onclick: move |_| {
                            if changed.len() == 1 {
                                navigator().push(Route::FeedbackReport { id: first.id });
                            } else {
                                navigator().push(Route::Feedback {});
                            }
                        },
                        {t("feedback-status-see")}
                    }
                }
            }
        }
    }
}
