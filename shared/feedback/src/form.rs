//! A service's form (its GeoReport v2 attributes) and the answers to it: one set of rules
//! for the app (before a report is queued, from the form kept offline) and the gateway
//! (before a report is stored). Pure.

use civic_types::feedback::{Attribute, Datatype};

/// GeoReport v2's limit on a description, and on a `text` answer.
pub const MAX_TEXT_CHARS: usize = 4_000;
/// Limit on a `string` answer, an address, an account id.
pub const MAX_SHORT_TEXT_CHARS: usize = 500;

/// What is wrong with an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerProblem {
    /// An answer to a question the form does not ask.
    NotAsked,
    /// A required question without an answer.
    Missing,
    /// An answer that does not fit its question (not one of its choices, not a number…).
    Invalid,
}

/// The question an answer fails, and how. `description` is the question as the form words it
/// (empty for a question the form does not ask).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormProblem {
    pub code: String,
    pub description: String,
    pub problem: AnswerProblem,
}

/// Checks `answers` (`(code, value)`, a multi-value question once per value) against the
/// form's questions.
pub fn check_answers(form: &[Attribute], answers: &[(String, String)]) -> Result<(), FormProblem> {
    if let Some((code, _)) = answers
        .iter()
        .find(|(code, _)| !form.iter().any(|a| a.variable && &a.code == code))
    {
        return Err(FormProblem {
            code: code.clone(),
            description: String::new(),
            problem: AnswerProblem::NotAsked,
        });
    }
    for attribute in form.iter().filter(|a| a.variable) {
        let values: Vec<&str> = answers
            .iter()
            .filter(|(code, v)| code == &attribute.code && !v.is_empty())
            .map(|(_, v)| v.as_str())
            .collect();
        let fails = |problem| FormProblem {
            code: attribute.code.clone(),
            description: attribute.description.clone(),
            problem,
        };
        if values.is_empty() {
            if attribute.required {
                return Err(fails(AnswerProblem::Missing));
            }
            continue;
        }
        if !fits(attribute, &values) {
            return Err(fails(AnswerProblem::Invalid));
        }
    }
    Ok(())
}

fn fits(attribute: &Attribute, values: &[&str]) -> bool {
    let is_key = |v: &str| attribute.values.iter().any(|k| k.key == v);
    let one = values.len() == 1;
    match attribute.datatype {
        Datatype::Multivaluelist => {
            values.iter().all(|v| is_key(v))
                && values
                    .iter()
                    .enumerate()
                    .all(|(i, v)| !values[..i].contains(v))
        }
        Datatype::Singlevaluelist => one && is_key(values[0]),
        Datatype::Number => one && values[0].parse::<f64>().is_ok_and(f64::is_finite),
        Datatype::Datetime => {
            one && civic_time::parse_datetime(values[0], &civic_time::vietnam()).is_some()
        }
        Datatype::String => one && values[0].chars().count() <= MAX_SHORT_TEXT_CHARS,
        Datatype::Text | Datatype::Unknown => one && values[0].chars().count() <= MAX_TEXT_CHARS,
    }
}
