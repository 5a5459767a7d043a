//! The request context: condition keys and their values, keys compared case-insensitively.

use std::collections::HashMap;

/// Condition keys → values. A key inserted twice is multi-valued.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Context {
    values: HashMap<String, Vec<String>>,
    /// The keys as first written, for messages.
    names: HashMap<String, String>,
}

impl Context {
    pub fn new() -> Context {
        Context::default()
    }

    /// Adds `value` to `key` (a second value makes the key multi-valued).
    pub fn insert(&mut self, key: &str, value: impl Into<String>) {
        let lower = key.to_ascii_lowercase();
        self.names
            .entry(lower.clone())
            .or_insert_with(|| key.to_owned());
        self.values.entry(lower).or_default().push(value.into());
    }

    /// The values of `key`, whatever its case.
    pub fn get(&self, key: &str) -> Option<&[String]> {
        self.get_lower(&key.to_ascii_lowercase())
    }

    pub(crate) fn get_lower(&self, key_lower: &str) -> Option<&[String]> {
        self.values.get(key_lower).map(Vec::as_slice)
    }

    /// Keys as written, sorted.
    pub fn keys(&self) -> Vec<&str> {
        let mut keys: Vec<&str> = self.names.values().map(String::as_str).collect();
        keys.sort_unstable();
        keys
    }

    /// Sets the keys IAM derives from a principal ARN: aws:PrincipalArn, aws:PrincipalAccount,
    /// aws:username (IAM users) and aws:PrincipalType.
    pub fn add_principal(&mut self, arn: &str) {
        self.insert("aws:PrincipalArn", arn);
        let parts: Vec<&str> = arn.splitn(6, ':').collect();
        if parts.len() == 6 {
            if !parts[4].is_empty() {
                self.insert("aws:PrincipalAccount", parts[4]);
            }
            let resource = parts[5];
            if let Some(path_and_name) = resource.strip_prefix("user/") {
                let name = path_and_name.rsplit('/').next().unwrap_or(path_and_name);
                self.insert("aws:username", name);
                self.insert("aws:PrincipalType", "User");
            } else if resource.starts_with("role/") || resource.starts_with("assumed-role/") {
                self.insert("aws:PrincipalType", "AssumedRole");
            } else if resource == "root" {
                self.insert("aws:PrincipalType", "Account");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_case_insensitive_and_repeat_into_lists() {
        let mut c = Context::new();
        c.insert("aws:ResourceTag/Env", "dev");
        c.insert("AWS:RESOURCETAG/ENV", "prod");
        assert_eq!(c.get("aws:resourcetag/env").unwrap(), ["dev", "prod"]);
        assert_eq!(c.keys(), ["aws:ResourceTag/Env"]);
    }

    #[test]
    fn a_user_principal_yields_its_username_and_account() {
        let mut c = Context::new();
        c.add_principal("arn:aws:iam::123456789012:user/division/alice");
        assert_eq!(c.get("aws:username").unwrap(), ["alice"]);
        assert_eq!(c.get("aws:PrincipalAccount").unwrap(), ["123456789012"]);
        assert_eq!(
            c.get("aws:principalarn").unwrap(),
            ["arn:aws:iam::123456789012:user/division/alice"]
        );
    }
}
