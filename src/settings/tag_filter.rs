//! `--tag` specs and the config's `tag`: parsed once and checked strictly, here where every
//! setting becomes a typed value, so the flag and the file share one rule. (How they become
//! EC2's server-side filters is the listing's business: `fleet::filter`.)

use std::str::FromStr;

use serde::Deserialize;

use crate::error::{Error, Result};

/// One `--tag` spec: a tag key and the values it may have (none = the tag just has to exist).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct TagFilter {
    pub key: String,
    /// Alternatives; each may hold `*` and `?` globs. `None`: any value.
    pub values: Option<Vec<String>>,
}

/// All `--tag` specs of one command: ANDed. The config's `tag` list reads straight into one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(try_from = "Vec<TagFilter>")]
pub struct TagFilters(Vec<TagFilter>);

/// Refused with the bare reason: the config file says where, [`TagFilter::parse`] quotes the spec.
impl FromStr for TagFilter {
    type Err = String;

    fn from_str(spec: &str) -> std::result::Result<TagFilter, String> {
        let (key, values) = match spec.split_once('=') {
            Some((k, v)) => (k, Some(v)),
            None => (spec, None),
        };
        if key.trim().is_empty() {
            return Err("the tag key is empty".into());
        }
        if key.chars().count() > 128 {
            return Err("a tag key has at most 128 characters".into());
        }
        let values = match values {
            None => None,
            Some("") => Some(vec![String::new()]),
            Some(v) => {
                let alts: Vec<String> = v.split(',').map(str::to_owned).collect();
                if alts.iter().any(String::is_empty) {
                    return Err("one of the comma-separated values is empty".into());
                }
                if alts.iter().any(|a| a.chars().count() > 256) {
                    return Err("a tag value has at most 256 characters".into());
                }
                Some(alts)
            }
        };
        Ok(TagFilter {
            key: key.to_owned(),
            values,
        })
    }
}

impl TryFrom<String> for TagFilter {
    type Error = String;
    fn try_from(spec: String) -> std::result::Result<TagFilter, String> {
        spec.parse()
    }
}

impl TagFilter {
    /// Whether `tags` meet it, as EC2's `tag:KEY` filter decides on its side: the key exactly,
    /// a value matching one alternative (`*` any run, `?` one character). For what is filtered
    /// here, not by AWS: ECS tasks.
    pub fn matches(&self, tags: &[(String, String)]) -> bool {
        tags.iter().any(|(key, value)| {
            key == &self.key
                && self.values.as_ref().is_none_or(|alts| {
                    alts.iter()
                        .any(|alt| ssmgo_policy::wildcard_matches(alt, value))
                })
        })
    }

    /// Parses `KEY=VALUE[,VALUE…]` or `KEY`; a bad spec is a usage error quoting it.
    pub fn parse(spec: &str) -> Result<TagFilter> {
        spec.parse().map_err(|reason| Error::BadTagSpec {
            spec: spec.to_owned(),
            reason,
        })
    }

    /// The spec as the user would write it again.
    pub fn spec(&self) -> String {
        match &self.values {
            None => self.key.clone(),
            Some(v) => format!("{}={}", self.key, v.join(",")),
        }
    }
}

/// Refused with the bare reason, as [`TagFilter`]'s own parse is: the config file says where.
impl TryFrom<Vec<TagFilter>> for TagFilters {
    type Error = String;
    fn try_from(each: Vec<TagFilter>) -> std::result::Result<TagFilters, String> {
        let mut filters = TagFilters(Vec::with_capacity(each.len()));
        for filter in each {
            filters.push(filter)?;
        }
        Ok(filters)
    }
}

impl TagFilters {
    /// Parses every spec; the same key twice is refused rather than guessed at.
    pub fn parse<S: AsRef<str>>(specs: &[S]) -> Result<TagFilters> {
        let mut filters = TagFilters(Vec::with_capacity(specs.len()));
        for spec in specs {
            let spec = spec.as_ref();
            filters
                .push(TagFilter::parse(spec)?)
                .map_err(|reason| Error::BadTagSpec {
                    spec: spec.to_owned(),
                    reason,
                })?;
        }
        Ok(filters)
    }

    /// Adds `filter`, refusing a key already filtered (with the bare reason).
    fn push(&mut self, filter: TagFilter) -> std::result::Result<(), String> {
        if self.0.iter().any(|f| f.key == filter.key) {
            return Err(format!(
                "the tag {:?} is filtered twice; put the alternatives in one spec, e.g. -t {}=a,b",
                filter.key, filter.key
            ));
        }
        self.0.push(filter);
        Ok(())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &TagFilter> {
        self.0.iter()
    }

    /// The tag keys the user filtered on: shown as columns.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|f| f.key.as_str())
    }

    /// Each spec as the user wrote it (`config show`, and whoever still takes specs).
    pub fn specs(&self) -> Vec<String> {
        self.0.iter().map(TagFilter::spec).collect()
    }

    /// "Env=prod and Team" — for messages.
    pub fn describe(&self) -> String {
        if self.0.is_empty() {
            return "(no --tag filter)".into();
        }
        self.specs().join(" and ")
    }

    /// " -t 'Env=prod'" — to suggest a follow-up command.
    pub fn as_args(&self) -> String {
        self.0
            .iter()
            .map(|f| format!(" -t '{}'", f.spec().replace('\'', "'\\''")))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_matched_here_as_ec2_matches_them() {
        let tags = vec![("Env".to_owned(), "prod-eu".to_owned())];
        let filter = |spec: &str| TagFilter::parse(spec).unwrap().matches(&tags);
        assert!(filter("Env"));
        assert!(filter("Env=prod-*"));
        assert!(filter("Env=dev,prod-e?"));
        assert!(!filter("Env=prod"));
        assert!(!filter("env=prod-eu"), "keys are case-sensitive");
        assert!(!filter("Team"));
    }

    fn f(spec: &str) -> TagFilter {
        TagFilter::parse(spec).unwrap()
    }

    #[test]
    fn key_equals_value_filters_on_that_value() {
        assert_eq!(
            f("Env=prod"),
            TagFilter {
                key: "Env".into(),
                values: Some(vec!["prod".into()])
            }
        );
    }

    #[test]
    fn commas_separate_alternatives_and_globs_are_kept() {
        assert_eq!(f("Name=web-*,db-?").values.unwrap(), ["web-*", "db-?"]);
    }

    #[test]
    fn a_key_alone_means_the_tag_is_present() {
        assert_eq!(f("Team").values, None);
    }

    #[test]
    fn only_the_first_equals_sign_splits_key_from_value() {
        assert_eq!(f("expr=a=b").values.unwrap(), ["a=b"]);
    }

    #[test]
    fn an_empty_value_is_a_filter_for_the_empty_tag_value() {
        assert_eq!(f("Env=").values.unwrap(), [""]);
    }

    #[test]
    fn malformed_specs_are_usage_errors() {
        for bad in ["", "=prod", " =x", "Env=a,,b", "Env=a,"] {
            let err = TagFilter::parse(bad).unwrap_err();
            assert_eq!(err.exit_code(), 2, "{bad:?}");
        }
        assert!("=x".parse::<TagFilter>().unwrap_err().contains("empty"));
        let long = "k".repeat(129);
        assert!(TagFilter::parse(&long).is_err());
    }

    #[test]
    fn the_same_key_twice_is_refused_with_a_hint() {
        let err = TagFilters::parse(&["Env=dev", "Env=prod"]).unwrap_err();
        assert!(err.to_string().contains("-t Env=a,b"), "{err}");
    }

    #[test]
    fn filters_describe_themselves_for_messages_and_follow_up_commands() {
        let fs = TagFilters::parse(&["Env=prod", "Team", "Owner=o'neil"]).unwrap();
        assert_eq!(fs.describe(), "Env=prod and Team and Owner=o'neil");
        assert_eq!(
            fs.as_args(),
            " -t 'Env=prod' -t 'Team' -t 'Owner=o'\\''neil'"
        );
    }
}
