//! Writing a report: what it is about (the city's kinds of report and each kind's own
//! questions, kept offline), a description, photos, the place; saved as a draft at every
//! step that matters, so nothing typed is lost. Sending checks "similar reports nearby"
//! first (when online), then queues it: the host sends it when the network allows.

use civic_types::feedback::{
    Attribute, Datatype, FeedbackOverview, ReportDraft, ReportPlace, ServiceDefinition,
    SimilarReport,
};
use dioxus::prelude::*;
use fluent_bundle::FluentValue;

use super::calls;
use super::place::PlacePicker;
use crate::i18n::{t, t_args};
use crate::routes::Route;

/// What the resident is told after an action: good news or a problem.
#[derive(Debug, Clone, PartialEq)]
enum Said {
    Done(String),
    Problem(String),
}

#[component]
pub fn ReportEditor(id: Option<i64>) -> Element {
    let overview = use_resource(calls::overview);
    let mut draft_id = use_signal(|| id);
    let mut service_code = use_signal(String::new);
    let mut description = use_signal(String::new);
    let answers = use_signal(Vec::<(String, String)>::new);
    let mut place = use_signal(ReportPlace::default);
    let mut photos = use_signal(Vec::<String>::new);
    let mut anonymous = use_signal(|| false);
    let photo_place = use_signal(|| false);
    let mut said = use_signal(|| None::<Said>);
    let mut similar = use_signal(|| None::<Vec<SimilarReport>>);
    let mut busy = use_signal(|| false);
    let mut refusal = use_signal(Vec::<String>::new);

    // An existing draft: its fields, once.
    let _loaded = use_resource(move || async move {
        let Some(id) = id else { return };
        match calls::report(id).await {
            Ok(view) => {
                let summary = &view.detail.summary;
                service_code.set(summary.service_code.clone());
                description.set(summary.description.clone().unwrap_or_default());
                let mut answers = answers;
                answers.set(view.detail.attributes.clone());
                place.set(summary.place.clone());
                anonymous.set(!summary.signed_in);
                refusal.set(
                    summary
                        .refusal
                        .iter()
                        .map(|e| e.description.clone())
                        .collect(),
                );
                photos.set(view.photos);
            }
            Err(error) => said.set(Some(Said::Problem(error.text()))),
        }
    });
    let form = use_resource(move || {
        let code = service_code.read().clone();
        async move {
            if code.is_empty() {
                return None;
            }
            calls::form(&code).await.ok().flatten()
        }
    });

    let overview_now: Option<FeedbackOverview> = overview.read().clone().and_then(Result::ok);
    let services = overview_now
        .as_ref()
        .map(|o| o.services.clone())
        .unwrap_or_default();
    let signed_in = overview_now.as_ref().is_some_and(|o| o.signed_in);
    let map = overview_now.as_ref().and_then(|o| o.map.clone());
    let current_draft = move || {
        let code = service_code.read().clone();
        let name = services_name(&overview, &code);
        ReportDraft {
            service_name: name,
            service_code: code,
            description: Some(description.read().trim().to_owned()).filter(|d| !d.is_empty()),
            place: place.read().clone(),
            attributes: answers
                .read()
                .iter()
                .filter(|(_, v)| !v.is_empty())
                .cloned()
                .collect(),
        }
    };
    // Writes the draft (a new one the first time); its number.
    let persist = move || async move {
        let number = calls::save(*draft_id.peek(), &current_draft(), *anonymous.peek()).await?;
        draft_id.set(Some(number));
        Ok::<i64, crate::ipc::IpcError>(number)
    };
    let send = move |checked_similar: bool| async move {
        busy.set(true);
        said.set(None);
        let outcome = async {
            let number = persist().await?;
            let point = {
                let p = place.peek();
                p.lat.zip(p.lon)
            };
            if !checked_similar && let Some((lat, lon)) = point {
                // Offline, the check is skipped: the report is not held back for it.
                if let Ok(found) = calls::similar(&service_code.peek(), lat, lon).await
                    && !found.is_empty()
                {
                    similar.set(Some(found));
                    return Ok(None);
                }
            }
            calls::queue(number).await?;
            Ok::<Option<i64>, crate::ipc::IpcError>(Some(number))
        }
        .await;
        busy.set(false);
        match outcome {
            Ok(Some(number)) => {
                navigator().replace(Route::FeedbackReport { id: number });
            }
            Ok(None) => {}
            // Kept as a draft: the resident fixes what is said and sends again.
            Err(error) => said.set(Some(Said::Problem(t_args(
                "report-kept-as-draft",
                &[("reason", FluentValue::from(error.text()))],
            )))),
        }
    };

    rsx! {
        h1 { if id.is_some() { {t("report-edit-heading")} } else { {t("report-new-heading")} } }
        if !refusal.read().is_empty() {
            div { class: "warning", role: "alert", id: "report-refusal",
                p { {t("report-refused")} }
                for reason in refusal.read().iter() { p { {reason.clone()} } }
            }
        }
        form {
            class: "report-form",
            onsubmit: move |event| {
                event.prevent_default();
                spawn(send(false));
            },
            fieldset { class: "checklist",
                legend { {t("report-what")} }
                if services.is_empty() {
                    p { class: "notice", id: "report-no-services", {t("report-no-services")} }
                }
                label { r#for: "report-service", {t("report-service")} }
                select {
                    id: "report-service",
                    required: true,
                    value: "{service_code}",
                    onchange: move |event| {
                        service_code.set(event.value());
                        similar.set(None);
                    },
                    option { value: "", {t("report-service-choose")} }
                    for service in services.iter() {
                        option {
                            value: "{service.service_code}",
                            selected: *service_code.read() == service.service_code,
                            {service.service_name.clone()}
                        }
                    }
                }
                if let Some(Some(definition)) = &*form.read() {
                    Questions { definition: definition.clone(), answers }
                }
                label { r#for: "report-description", {t("report-description")} }
                textarea {
                    id: "report-description",
                    rows: "4",
                    maxlength: "4000",
                    value: "{description}",
                    oninput: move |event| description.set(event.value()),
                }
            }
            fieldset { class: "checklist",
                legend { {t("report-photos")} }
                p { class: "hint", {t("report-photos-hint")} }
                Checkbox { id: "report-photo-place", label: t("report-photo-place"), checked: photo_place }
                input {
                    id: "report-photo-file",
                    class: "visually-hidden",
                    r#type: "file",
                    accept: "image/jpeg,image/png",
                    multiple: true,
                    onchange: move |_| async move {
                        let files = crate::files::chosen("report-photo-file");
                        if files.is_empty() {
                            return;
                        }
                        busy.set(true);
                        said.set(None);
                        let result = async {
                            let number = persist().await?;
                            for file in files {
                                let bytes = crate::files::read(file).await.map_err(|e| crate::ipc::IpcError(civic_types::error::Failure::new(civic_types::error::ErrorCode::PhotoUnreadable, e)))?;
                                let attached = calls::attach_photo(number, &bytes, *photo_place.peek()).await?;
                                if attached.placed && let Some((lat, lon)) = attached.position {
                                    place.with_mut(|p| { p.lat = Some(lat); p.lon = Some(lon); });
                                    said.set(Some(Said::Done(t("report-photo-placed"))));
                                }
                            }
                            photos.set(calls::report(number).await?.photos);
                            Ok::<(), crate::ipc::IpcError>(())
                        }.await;
                        if let Err(error) = result {
                            said.set(Some(Said::Problem(error.text())));
                        }
                        busy.set(false);
                    },
                }
                label { class: "file-button", r#for: "report-photo-file", {t("report-photo-add")} }
                ul { class: "photo-grid", id: "report-photos",
                    for (position, photo) in photos.read().iter().cloned().enumerate() {
                        li { key: "{position}",
                            img { src: "{photo}", alt: t_args("report-photo-alt", &[("number", FluentValue::from(position + 1))]) }
                            button {
                                r#type: "button",
                                class: "link-button",
                                aria_label: t_args("report-photo-remove-named", &[("number", FluentValue::from(position + 1))]),
                                onclick: move |_| async move {
                                    let Some(number) = *draft_id.peek() else { return };
                                    let position = u32::try_from(position).unwrap_or(u32::MAX);
                                    match calls::remove_photo(number, position).await {
                                        Ok(_) => if let Ok(view) = calls::report(number).await { photos.set(view.photos) },
                                        Err(error) => said.set(Some(Said::Problem(error.text()))),
                                    }
                                },
                                {t("report-photo-remove")}
                            }
                        }
                    }
                }
            }
            PlacePicker { place, map }
            if id.is_none() {
                fieldset { class: "checklist",
                    legend { {t("report-identity")} }
                    if signed_in {
                        Checkbox { id: "report-anonymous", label: t("report-anonymous"), checked: anonymous }
                        p { class: "hint", id: "report-identity-said",
                            if anonymous() { {t("report-identity-anonymous")} } else { {t("report-identity-signed-in")} }
                        }
                    } else {
                        p { class: "hint", id: "report-identity-said", {t("report-identity-signed-out")} }
                    }
                }
            }
            if let Some(found) = similar() {
                SimilarNearby { found, draft: draft_id(), on_send_anyway: move |_| { spawn(send(true)); } }
            }
            div { role: "status", aria_live: "polite",
                match said() {
                    Some(Said::Done(text)) => rsx! { p { id: "report-said", {text} } },
                    Some(Said::Problem(text)) => rsx! { p { class: "error", role: "alert", id: "report-said", {text} } },
                    None => rsx! {},
                }
            }
            div { class: "actions",
                button { r#type: "submit", class: "primary-button", id: "report-send", disabled: busy(), {t("report-send")} }
                button {
                    r#type: "button",
                    class: "link-button",
                    id: "report-save",
                    disabled: busy(),
                    onclick: move |_| async move {
                        match persist().await {
                            Ok(_) => { navigator().replace(Route::Feedback {}); }
                            Err(error) => said.set(Some(Said::Problem(error.text()))),
                        }
                    },
                    {t("report-save-draft")}
                }
                if let Some(number) = draft_id() {
                    button {
                        r#type: "button",
                        class: "link-button",
                        id: "report-discard",
                        disabled: busy(),
                        onclick: move |_| async move {
                            match calls::discard(number).await {
                                Ok(()) => { navigator().replace(Route::Feedback {}); }
                                Err(error) => said.set(Some(Said::Problem(error.text()))),
                            }
                        },
                        {t("report-discard")}
                    }
                }
            }
        }
    }
}

/// A yes/no the resident ticks, labelled.
#[component]
fn Checkbox(id: &'static str, label: String, checked: Signal<bool>) -> Element {
    rsx! {
        div { class: "check",
            input {
                r#type: "checkbox",
                id,
                checked: checked(),
                onchange: move |event| checked.set(event.checked()),
            }
            label { r#for: id, {label} }
        }
    }
}

/// The kind's name as the city calls it, kept with the draft to show offline.
fn services_name(
    overview: &Resource<Result<FeedbackOverview, crate::ipc::IpcError>>,
    code: &str,
) -> String {
    match &*overview.peek() {
        Some(Ok(o)) => o
            .services
            .iter()
            .find(|s| s.service_code == code)
            .map_or_else(|| code.to_owned(), |s| s.service_name.clone()),
        _ => code.to_owned(),
    }
}

/// A kind's own questions, in its order, each as the field its datatype asks for.
#[component]
fn Questions(definition: ServiceDefinition, answers: Signal<Vec<(String, String)>>) -> Element {
    let questions: Vec<Attribute> = definition.questions().into_iter().cloned().collect();
    let notes: Vec<String> = definition
        .attributes
        .iter()
        .filter(|a| !a.variable)
        .map(|a| a.description.clone())
        .collect();
    rsx! {
        for note in notes { p { class: "hint", {note} } }
        for question in questions {
            Question { key: "{question.code}", question, answers }
        }
    }
}

#[component]
fn Question(question: Attribute, answers: Signal<Vec<(String, String)>>) -> Element {
    let code = question.code.clone();
    let id = format!("answer-{}", sanitize(&code));
    let value = answers
        .read()
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let mut set_one = {
        let code = code.clone();
        move |value: String| {
            answers.with_mut(|all| {
                all.retain(|(c, _)| *c != code);
                if !value.is_empty() {
                    all.push((code.clone(), value));
                }
            });
        }
    };
    let label = if question.required {
        t_args(
            "report-question-required",
            &[("question", FluentValue::from(question.description.clone()))],
        )
    } else {
        question.description.clone()
    };
    let hint = question.datatype_description.clone();
    let hint_id = format!("{id}-hint");
    let described = hint.as_ref().map(|_| hint_id.clone());
    match question.datatype {
        Datatype::Multivaluelist => {
            let chosen: Vec<String> = answers
                .read()
                .iter()
                .filter(|(c, _)| *c == code)
                .map(|(_, v)| v.clone())
                .collect();
            rsx! {
                fieldset { class: "checklist", id: "{id}",
                    legend { {label} }
                    for choice in question.values.clone() {
                        {
                            let box_id = format!("{id}-{}", sanitize(&choice.key));
                            let checked = chosen.contains(&choice.key);
                            let code = code.clone();
                            rsx! {
                                div { class: "check", key: "{box_id}",
                                    input {
                                        r#type: "checkbox",
                                        id: "{box_id}",
                                        checked,
                                        onchange: move |event| {
                                            let key = choice.key.clone();
                                            let code = code.clone();
                                            answers.with_mut(|all| {
                                                all.retain(|(c, v)| !(*c == code && *v == key));
                                                if event.checked() {
                                                    all.push((code, key));
                                                }
                                            });
                                        },
                                    }
                                    label { r#for: "{box_id}", {choice.name.clone()} }
                                }
                            }
                        }
                    }
                }
            }
        }
        Datatype::Singlevaluelist => rsx! {
            label { r#for: "{id}", {label} }
            select {
                id: "{id}",
                required: question.required,
                aria_describedby: described,
                onchange: move |event| set_one(event.value()),
                option { value: "", {t("report-choose")} }
                for choice in question.values.clone() {
                    option { value: "{choice.key}", selected: value == choice.key, {choice.name.clone()} }
                }
            }
            if let Some(hint) = hint { p { class: "hint", id: "{hint_id}", {hint} } }
        },
        Datatype::Text => rsx! {
            label { r#for: "{id}", {label} }
            textarea {
                id: "{id}",
                rows: "3",
                required: question.required,
                aria_describedby: described,
                value: "{value}",
                oninput: move |event| set_one(event.value()),
            }
            if let Some(hint) = hint { p { class: "hint", id: "{hint_id}", {hint} } }
        },
        datatype => rsx! {
            label { r#for: "{id}", {label} }
            input {
                id: "{id}",
                r#type: match datatype { Datatype::Number => "number", Datatype::Datetime => "datetime-local", _ => "text" },
                step: if datatype == Datatype::Number { "any" } else { "" },
                required: question.required,
                aria_describedby: described,
                value: "{value}",
                oninput: move |event| set_one(event.value()),
            }
            if let Some(hint) = hint { p { class: "hint", id: "{hint_id}", {hint} } }
        },
    }
}

/// A code as an HTML id part: codes come from the back office.
fn sanitize(code: &str) -> String {
    code.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}

/// Open reports of the same kind within 50 m: follow one, or send anyway.
#[component]
fn SimilarNearby(
    found: Vec<SimilarReport>,
    draft: Option<i64>,
    on_send_anyway: EventHandler<()>,
) -> Element {
    let mut problem = use_signal(|| None::<String>);
    rsx! {
        section {
            class: "notice",
            id: "report-similar",
            aria_labelledby: "report-similar-heading",
            tabindex: "-1",
            // The choice appears below the form: brought into view, and read out first.
            onmounted: move |e| async move {
                let _ = e.scroll_to(ScrollBehavior::Smooth).await;
                let _ = e.set_focus(true).await;
            },
            h2 { id: "report-similar-heading", {t_args("report-similar-heading", &[("count", FluentValue::from(found.len()))])} }
            p { {t("report-similar-hint")} }
            ul { class: "results",
                for similar in found {
                    {
                        let request = similar.request.clone();
                        rsx! {
                            li { class: "similar", key: "{request.service_request_id}",
                                if let Some(photo) = &similar.photo {
                                    img { class: "similar-photo", src: "{photo}", alt: t("report-similar-photo") }
                                }
                                p { class: "result-name", {request.description.clone().unwrap_or_else(|| request.service_name.clone().unwrap_or_default())} }
                                p { class: "result-meta",
                                    {super::status_label(request.status)}
                                    if let Some(distance) = similar.distance_m {
                                        " · "
                                        {t_args("report-similar-distance", &[("metres", FluentValue::from(distance.round()))])}
                                    }
                                    if let Some(address) = &request.address { " · " {address.clone()} }
                                }
                                button {
                                    r#type: "button",
                                    class: "primary-button",
                                    onclick: move |_| {
                                        let request = request.clone();
                                        async move {
                                            match calls::follow(&request, draft).await {
                                                Ok(id) => { navigator().replace(Route::FeedbackReport { id }); }
                                                Err(error) => problem.set(Some(error.text())),
                                            }
                                        }
                                    },
                                    {t("report-similar-follow")}
                                }
                            }
                        }
                    }
                }
            }
            if let Some(problem) = problem() { p { class: "error", role: "alert", {problem} } }
            button { r#type: "button", class: "link-button", id: "report-send-anyway", onclick: move |_| on_send_anyway.call(()), {t("report-similar-send-anyway")} }
        }
    }
}
