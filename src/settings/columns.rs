//! The columns of the instance table and the picker: the built-in ones and any tag's value, and
//! which of them each shows by default. They are a setting (`columns`), so they live with the
//! settings, below the table and the picker that draw them.

use std::fmt;
use std::str::FromStr;

use serde::Deserialize;

/// A table column: one of the built-in ones, or a tag's value.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub enum Column {
    Name,
    Instance,
    State,
    Ssm,
    Ip,
    Platform,
    Az,
    Tag(String),
}

impl Column {
    /// Every built-in column: what `ssmgo list` shows when no `columns` are configured.
    pub const BUILT_IN: [Column; 7] = [
        Column::Name,
        Column::Instance,
        Column::State,
        Column::Ssm,
        Column::Ip,
        Column::Platform,
        Column::Az,
    ];

    /// What the picker shows when no `columns` are configured.
    pub const PICKER_DEFAULT: [Column; 4] =
        [Column::Name, Column::Instance, Column::Ssm, Column::Ip];

    pub fn header(&self) -> String {
        match self {
            Column::Name => "NAME".into(),
            Column::Instance => "INSTANCE".into(),
            Column::State => "STATE".into(),
            Column::Ssm => "SSM".into(),
            Column::Ip => "PRIVATE IP".into(),
            Column::Platform => "PLATFORM".into(),
            Column::Az => "AZ".into(),
            Column::Tag(k) => k.clone(),
        }
    }
}

impl FromStr for Column {
    type Err = String;

    fn from_str(s: &str) -> Result<Column, String> {
        Ok(match s {
            "name" => Column::Name,
            "instance" | "id" => Column::Instance,
            "state" => Column::State,
            "ssm" => Column::Ssm,
            "ip" => Column::Ip,
            "platform" => Column::Platform,
            "az" => Column::Az,
            _ => match s.strip_prefix("tag:").filter(|k| !k.is_empty()) {
                Some(key) => Column::Tag(key.to_owned()),
                None => {
                    return Err(format!(
                        "unknown column {s:?}; use name, instance, state, ssm, ip, platform, az or tag:KEY"
                    ))
                }
            },
        })
    }
}

impl TryFrom<String> for Column {
    type Error = String;
    fn try_from(s: String) -> Result<Column, String> {
        s.parse()
    }
}

/// As the config file writes it: "name", "tag:Env".
impl fmt::Display for Column {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Column::Name => f.write_str("name"),
            Column::Instance => f.write_str("instance"),
            Column::State => f.write_str("state"),
            Column::Ssm => f.write_str("ssm"),
            Column::Ip => f.write_str("ip"),
            Column::Platform => f.write_str("platform"),
            Column::Az => f.write_str("az"),
            Column::Tag(k) => write!(f, "tag:{k}"),
        }
    }
}

/// "name,instance,tag:Env": columns as the config file writes them.
pub fn names(columns: &[Column]) -> String {
    columns
        .iter()
        .map(Column::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_column_reads_back_as_written() {
        for name in [
            "name", "instance", "state", "ssm", "ip", "platform", "az", "tag:Env",
        ] {
            assert_eq!(name.parse::<Column>().unwrap().to_string(), name);
        }
        assert_eq!("id".parse::<Column>(), Ok(Column::Instance));
        assert!("tag:".parse::<Column>().is_err());
        assert!("colour"
            .parse::<Column>()
            .unwrap_err()
            .contains("unknown column"));
    }
}
