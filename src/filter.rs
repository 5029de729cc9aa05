//! `--where KEY=VALUE` filters on document attributes.
//!
//! A filter names an attribute from the front matter (or `doc` for the
//! document id) and one or more values separated by commas; a document passes
//! when any of its values for that key equals any of the filter's values,
//! ignoring case. Several filters must all pass.

use std::str::FromStr;

use crate::corpus::DocSummary;
use crate::error::Error;

/// One `KEY=VALUE[,VALUE…]` filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    /// The attribute name, lower-cased; `doc` means the document id.
    pub key: String,
    /// Accepted values (any of them).
    pub values: Vec<String>,
}

impl FromStr for Filter {
    type Err = Error;

    fn from_str(s: &str) -> Result<Filter, Error> {
        let bad = || Error::BadFilter {
            given: s.to_string(),
        };
        let (key, value) = s.split_once('=').ok_or_else(bad)?;
        let key = key.trim().to_lowercase();
        let values: Vec<String> = value
            .split(',')
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .collect();
        if key.is_empty() || values.is_empty() {
            return Err(bad());
        }
        Ok(Filter { key, values })
    }
}

impl Filter {
    /// Returns true when the document passes this filter.
    pub fn matches(&self, doc: &DocSummary) -> bool {
        if self.key == "doc" {
            return self.values.iter().any(|v| v == &doc.id);
        }
        doc.attributes
            .iter()
            .filter(|(k, _)| k.to_lowercase() == self.key)
            .any(|(_, value)| self.values.iter().any(|v| value.matches(v)))
    }

    /// Checks that the key is one the corpus knows; suggests near keys if not.
    pub fn check_key<'a>(&self, known: impl IntoIterator<Item = &'a str>) -> Result<(), Error> {
        if self.key == "doc" {
            return Ok(());
        }
        let known: Vec<&str> = known.into_iter().collect();
        if known.iter().any(|k| k.to_lowercase() == self.key) {
            return Ok(());
        }
        Err(Error::UnknownAttribute {
            key: self.key.clone(),
            suggestions: crate::suggest::nearest(&self.key, known.iter().copied()),
            known: known.iter().map(|k| k.to_string()).collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::AttrValue;

    fn doc() -> DocSummary {
        DocSummary {
            id: "fg-1".into(),
            path: "corpus/fg-1.md".into(),
            turns: 3,
            words: 10,
            attributes: [
                ("Site".to_string(), AttrValue::Text("Northbrook".into())),
                (
                    "roles".to_string(),
                    AttrValue::List(vec!["parent".into(), "social worker".into()]),
                ),
            ]
            .into_iter()
            .collect(),
        }
    }

    #[test]
    fn matches_any_value_ignoring_case() {
        let f: Filter = "site=northbrook".parse().unwrap();
        assert!(f.matches(&doc()));
        let f: Filter = "roles=Social Worker".parse().unwrap();
        assert!(f.matches(&doc()));
        let f: Filter = "site=Ashcombe,Northbrook".parse().unwrap();
        assert!(f.matches(&doc()));
        let f: Filter = "site=Ashcombe".parse().unwrap();
        assert!(!f.matches(&doc()));
        let f: Filter = "doc=fg-1".parse().unwrap();
        assert!(f.matches(&doc()));
    }

    #[test]
    fn malformed_filters_say_how_to_write_them() {
        for s in ["site", "=x", "site=", "site= , "] {
            let e = s.parse::<Filter>().unwrap_err().to_string();
            assert!(e.contains("is not KEY=VALUE"), "{e}");
        }
        let f: Filter = "sit=x".parse().unwrap();
        assert!(
            f.check_key(["site", "strand"])
                .unwrap_err()
                .to_string()
                .contains("site, strand")
        );
    }
}
