//! The kinds of report a city takes: the bundled `assets/feedback/services.toml`, or the
//! operator's own file in the same shape. Checked when loaded, so a gateway never serves a
//! form no one can fill.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use civic_types::feedback::{Attribute, Datatype, Service, ServiceDefinition};
use serde::Deserialize;

const BUNDLED: &str = include_str!("../../../assets/feedback/services.toml");

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CatalogueError {
    #[error("cannot read the feedback services file {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("the feedback services file is not valid: {0}")]
    Toml(#[from] toml::de::Error),
    #[error("feedback service `{service}`: {problem}")]
    Invalid { service: String, problem: String },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    due_working_days: u32,
    service: Vec<Entry>,
}

#[derive(Debug, Deserialize)]
struct Entry {
    code: String,
    name: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    group: Option<String>,
    #[serde(default)]
    keywords: Vec<String>,
    #[serde(rename = "type", default)]
    service_type: civic_types::feedback::ServiceType,
    #[serde(default)]
    attribute: Vec<Attribute>,
}

/// The services and their forms, by code.
#[derive(Debug, Clone)]
pub struct Catalogue {
    services: Vec<Service>,
    definitions: BTreeMap<String, ServiceDefinition>,
    due_working_days: u32,
}

impl Catalogue {
    pub fn bundled() -> Result<Self, CatalogueError> {
        Self::parse(BUNDLED)
    }

    pub fn load(path: &Path) -> Result<Self, CatalogueError> {
        let text = std::fs::read_to_string(path).map_err(|source| CatalogueError::Read {
            path: path.display().to_string(),
            source,
        })?;
        Self::parse(&text)
    }

    pub fn parse(text: &str) -> Result<Self, CatalogueError> {
        let file: File = toml::from_str(text)?;
        let mut services = Vec::new();
        let mut definitions = BTreeMap::new();
        for entry in file.service {
            check(&entry)?;
            if definitions.contains_key(&entry.code) {
                return Err(invalid(&entry.code, "listed twice"));
            }
            services.push(Service {
                service_code: entry.code.clone(),
                service_name: entry.name,
                description: entry.description,
                metadata: !entry.attribute.is_empty(),
                service_type: entry.service_type,
                keywords: entry.keywords,
                group: entry.group,
            });
            definitions.insert(
                entry.code.clone(),
                ServiceDefinition {
                    service_code: entry.code,
                    attributes: entry.attribute,
                },
            );
        }
        Ok(Self {
            services,
            definitions,
            due_working_days: file.due_working_days,
        })
    }

    pub fn services(&self) -> &[Service] {
        &self.services
    }

    pub fn service(&self, code: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.service_code == code)
    }

    pub fn definition(&self, code: &str) -> Option<&ServiceDefinition> {
        self.definitions.get(code)
    }

    /// The handling rule: a report is due this many working days after it arrives.
    pub fn due_working_days(&self) -> u32 {
        self.due_working_days
    }
}

fn invalid(service: &str, problem: impl Into<String>) -> CatalogueError {
    CatalogueError::Invalid {
        service: service.into(),
        problem: problem.into(),
    }
}

fn is_code(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 64
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

fn check(entry: &Entry) -> Result<(), CatalogueError> {
    if !is_code(&entry.code) {
        return Err(invalid(
            &entry.code,
            "a code is 1–64 letters, digits, `-`, `_` or `.`",
        ));
    }
    if entry.name.trim().is_empty() {
        return Err(invalid(&entry.code, "has no name"));
    }
    let mut codes = HashSet::new();
    for attribute in &entry.attribute {
        if !is_code(&attribute.code) || !codes.insert(attribute.code.as_str()) {
            return Err(invalid(
                &entry.code,
                format!("attribute `{}` is not a unique code", attribute.code),
            ));
        }
        let is_list = matches!(
            attribute.datatype,
            Datatype::Singlevaluelist | Datatype::Multivaluelist
        );
        if is_list == attribute.values.is_empty() || attribute.datatype == Datatype::Unknown {
            return Err(invalid(
                &entry.code,
                format!(
                    "attribute `{}`: lists need values and only lists have them",
                    attribute.code
                ),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_services_load() {
        let catalogue = Catalogue::bundled().expect("bundled services");
        assert!(catalogue.services().len() >= 5);
        assert_eq!(catalogue.due_working_days(), 3);
        let light = catalogue.definition("chieu-sang").expect("streetlights");
        assert!(light.attributes.iter().any(|a| a.required));
        assert!(catalogue.service("chieu-sang").is_some_and(|s| s.metadata));
    }

    #[test]
    fn broken_files_are_refused() {
        let base = "due_working_days = 3\n[[service]]\ncode = \"a\"\nname = \"A\"\n";
        assert!(Catalogue::parse(base).is_ok());
        for broken in [
            base.replace("code = \"a\"", "code = \"a b\""),
            format!("{base}[[service]]\ncode = \"a\"\nname = \"Again\"\n"),
            format!(
                "{base}[[service.attribute]]\ncode = \"x\"\ndatatype = \"singlevaluelist\"\ndescription = \"?\"\n"
            ),
            base.replace("due_working_days = 3", ""),
        ] {
            assert!(Catalogue::parse(&broken).is_err(), "{broken}");
        }
    }
}
