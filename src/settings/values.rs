//! The values a setting can take, each a type that parses itself — from the command line, the
//! environment and the config file alike — so a bad value is refused where it is read, with the
//! reason (the TOML parser adds file, line and key).

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use serde::Deserialize;

use crate::error::{Error, Result};

/// A span of time written "30s", "15m", "2h", "1d", or plain seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct Span(pub Duration);

impl FromStr for Span {
    type Err = String;

    fn from_str(s: &str) -> Result<Span, String> {
        let s = s.trim();
        let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
        let (number, unit) = s.split_at(split);
        let n: u64 = number.parse().map_err(|_| {
            format!("{s:?} is not a duration; write e.g. \"30s\", \"15m\", \"2h\" or \"1d\"")
        })?;
        let unit = match unit.trim() {
            "" | "s" => 1,
            "m" => 60,
            "h" => 3600,
            "d" => 86400,
            other => {
                return Err(format!(
                    "unknown unit {other:?} in {s:?}; use s, m, h or d (e.g. \"15m\")"
                ))
            }
        };
        Ok(Span(Duration::from_secs(n.saturating_mul(unit))))
    }
}

/// How long one AWS request may go unanswered: 1 s to 10 min (0 would fail every call).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct Timeout(pub Duration);

impl FromStr for Timeout {
    type Err = String;

    fn from_str(s: &str) -> Result<Timeout, String> {
        let Span(d) = s.parse()?;
        if (1..=600).contains(&d.as_secs()) {
            Ok(Timeout(d))
        } else {
            Err(format!(
                "{s:?} is out of range; give 1s to 10m, e.g. \"30s\""
            ))
        }
    }
}

/// The access pre-check before a session: on (the default), off (AWS decides, as `--no-check`),
/// or strict (refuse when it can't tell, as `--strict`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub enum CheckMode {
    On,
    Off,
    Strict,
}

impl FromStr for CheckMode {
    type Err = String;

    fn from_str(s: &str) -> Result<CheckMode, String> {
        match s {
            "on" => Ok(CheckMode::On),
            "off" => Ok(CheckMode::Off),
            "strict" => Ok(CheckMode::Strict),
            _ => Err(format!("{s:?} is not a check mode; use on, off or strict")),
        }
    }
}

impl fmt::Display for CheckMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CheckMode::On => "on",
            CheckMode::Off => "off",
            CheckMode::Strict => "strict",
        })
    }
}

/// When to colour output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Deserialize)]
#[serde(try_from = "String")]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl FromStr for ColorChoice {
    type Err = String;

    fn from_str(s: &str) -> Result<ColorChoice, String> {
        match s {
            "auto" => Ok(ColorChoice::Auto),
            "always" => Ok(ColorChoice::Always),
            "never" => Ok(ColorChoice::Never),
            _ => Err(format!(
                "{s:?} is not a colour choice; use auto, always or never"
            )),
        }
    }
}

impl fmt::Display for ColorChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ColorChoice::Auto => "auto",
            ColorChoice::Always => "always",
            ColorChoice::Never => "never",
        })
    }
}

/// An AWS region's name: lowercase letters, digits and dashes, checked before it becomes part
/// of an endpoint URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region(pub String);

impl FromStr for Region {
    type Err = String;

    fn from_str(s: &str) -> Result<Region, String> {
        let ok = s
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && s.len() <= 64;
        match ok {
            true => Ok(Region(s.to_owned())),
            false => Err("a region is lowercase letters, digits and dashes, e.g. eu-west-1".into()),
        }
    }
}

/// One region or a comma-separated list of them ("eu-west-1, us-east-1").
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct Regions(pub Vec<String>);

impl FromStr for Regions {
    type Err = String;

    fn from_str(s: &str) -> Result<Regions, String> {
        let regions = split_list(s)
            .iter()
            .map(|r| r.parse().map(|Region(r)| r))
            .collect::<Result<_, _>>()?;
        Ok(Regions(regions))
    }
}

/// An SSM document's name or ARN, as `--document` takes it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct DocumentName(pub String);

impl FromStr for DocumentName {
    type Err = String;

    fn from_str(s: &str) -> Result<DocumentName, String> {
        let ok_chars = s
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-.:/".contains(c));
        // Shared documents are named by ARN, which may be longer than a plain name.
        let max = if s.starts_with("arn:") { 1600 } else { 128 };
        match ok_chars && (3..=max).contains(&s.len()) {
            true => Ok(DocumentName(s.to_owned())),
            false => Err(
                "a document name is 3 to 128 letters, digits, _ - . (e.g. AWS-StartInteractiveCommand)"
                    .into(),
            ),
        }
    }
}

/// How many instances at once, or how many errors, as AWS's Run Command counts them
/// (MaxConcurrency, MaxErrors): a count, or a percentage of the targets ("10", "25%").
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct RunLimit(pub String);

impl FromStr for RunLimit {
    type Err = String;

    fn from_str(s: &str) -> Result<RunLimit, String> {
        let (number, percent) = match s.strip_suffix('%') {
            Some(n) => (n, true),
            None => (s, false),
        };
        match number.parse::<u32>() {
            Ok(n) if !percent || n <= 100 => Ok(RunLimit(s.to_owned())),
            _ => Err("give a count (e.g. 10) or a percentage of the targets (e.g. 25%)".into()),
        }
    }
}

impl fmt::Display for RunLimit {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where Run Command writes whole outputs: an S3 bucket and key prefix ("bucket/prefix",
/// "s3://bucket").
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct S3Location {
    pub bucket: String,
    pub prefix: String,
}

impl FromStr for S3Location {
    type Err = String;

    fn from_str(s: &str) -> Result<S3Location, String> {
        let s = s.strip_prefix("s3://").unwrap_or(s);
        let (bucket, prefix) = s.split_once('/').unwrap_or((s, ""));
        // S3's bucket naming rules: 3 to 63 lowercase letters, digits, dots and hyphens.
        let ok = (3..=63).contains(&bucket.len())
            && bucket
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-');
        match ok {
            true => Ok(S3Location {
                bucket: bucket.to_owned(),
                prefix: prefix.trim_end_matches('/').to_owned(),
            }),
            false => {
                Err("give an S3 bucket name, optionally with a key prefix: my-bucket/ssmgo".into())
            }
        }
    }
}

impl fmt::Display for S3Location {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self.prefix.is_empty() {
            true => write!(f, "{}", self.bucket),
            false => write!(f, "{}/{}", self.bucket, self.prefix),
        }
    }
}

/// An AWS account id: twelve digits.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(try_from = "String")]
pub struct AccountId(pub String);

impl FromStr for AccountId {
    type Err = String;

    fn from_str(s: &str) -> Result<AccountId, String> {
        match s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit()) {
            true => Ok(AccountId(s.to_owned())),
            false => Err("an AWS account id is 12 digits, e.g. 111122223333".into()),
        }
    }
}

/// An IAM role's name, with its path if it has one (`ReadOnly`, `ops/ReadOnly`): what goes after
/// `role/` in its ARN.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct RoleName(pub String);

impl FromStr for RoleName {
    type Err = String;

    fn from_str(s: &str) -> Result<RoleName, String> {
        // IAM's rule for names: letters, digits and +=,.@_- (1 to 64); a path adds / segments.
        let name = s.rsplit('/').next().unwrap_or("");
        let chars_ok = s
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+=,.@_-/".contains(c));
        match chars_ok && (1..=64).contains(&name.len()) && !s.starts_with('/') {
            true => Ok(RoleName(s.to_owned())),
            false => Err(
                "a role name is 1 to 64 letters, digits and +=,.@_- (with its path, if any: ops/ReadOnly)"
                    .into(),
            ),
        }
    }
}

impl RoleName {
    /// The role AWS Organizations creates in every account it creates.
    pub fn organization_default() -> RoleName {
        RoleName("OrganizationAccountAccessRole".into())
    }
}

/// serde's `try_from = "String"` goes through these.
macro_rules! try_from_string {
    ($($t:ty),*) => {$(
        impl TryFrom<String> for $t {
            type Error = String;
            fn try_from(s: String) -> Result<$t, String> {
                s.parse()
            }
        }
    )*};
}
try_from_string!(
    Span,
    Timeout,
    CheckMode,
    ColorChoice,
    Regions,
    DocumentName,
    RunLimit,
    S3Location,
    AccountId,
    RoleName
);

#[cfg(test)]
mod run_values {
    use super::*;

    #[test]
    fn account_ids_and_role_names_are_checked_as_aws_does() {
        assert!("111122223333".parse::<AccountId>().is_ok());
        for bad in ["11112222333", "1111222233334", "11112222333x", ""] {
            assert!(bad.parse::<AccountId>().is_err(), "{bad}");
        }
        assert!("ReadOnly".parse::<RoleName>().is_ok());
        assert!("ops/team/Read.Only@x".parse::<RoleName>().is_ok());
        for bad in ["", "/x", "a b", "x/", &"r".repeat(65), "a:b"] {
            assert!(bad.parse::<RoleName>().is_err(), "{bad}");
        }
    }

    #[test]
    fn run_limits_are_counts_or_percentages() {
        assert!("10".parse::<RunLimit>().is_ok());
        assert!("25%".parse::<RunLimit>().is_ok());
        for bad in ["", "x", "101%", "-1", "1.5"] {
            assert!(bad.parse::<RunLimit>().is_err(), "{bad}");
        }
    }

    #[test]
    fn s3_locations_are_a_bucket_and_a_prefix() {
        let l: S3Location = "s3://my-logs/ssmgo/runs/".parse().unwrap();
        assert_eq!(
            (l.bucket.as_str(), l.prefix.as_str()),
            ("my-logs", "ssmgo/runs")
        );
        assert_eq!(l.to_string(), "my-logs/ssmgo/runs");
        assert!("My_Bucket".parse::<S3Location>().is_err());
        assert!("ab".parse::<S3Location>().is_err());
    }
}

/// `value`, given as `what` (a flag, an environment variable), as the type it must be: a bad
/// value is a usage error naming both. Values read before their setting is merged (a flag
/// checked where it is used) go through here, so they are refused with the same reason as in
/// the config file.
pub fn parse_input<T: FromStr<Err = String>>(what: &'static str, value: &str) -> Result<T> {
    value.parse().map_err(|reason| Error::BadInput {
        what,
        value: value.to_owned(),
        reason,
    })
}

/// "a,b" or "a, b" → ["a", "b"]; empty items dropped.
pub fn split_list(s: &str) -> Vec<String> {
    s.split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_take_a_unit() {
        let secs = |s: &str| s.parse::<Span>().map(|Span(d)| d.as_secs());
        assert_eq!(secs("90"), Ok(90));
        assert_eq!(secs("15m"), Ok(900));
        assert_eq!(secs("2h"), Ok(7200));
        assert!(secs("m").is_err());
        assert!(secs("5y").is_err());
    }

    #[test]
    fn a_request_timeout_is_one_second_to_ten_minutes() {
        assert!("0s".parse::<Timeout>().is_err());
        assert!("1s".parse::<Timeout>().is_ok());
        assert!("10m".parse::<Timeout>().is_ok());
        assert!("601".parse::<Timeout>().is_err());
    }

    #[test]
    fn regions_are_checked_before_they_reach_a_url() {
        assert!("eu-west-1".parse::<Region>().is_ok());
        assert!("us-gov-west-1".parse::<Region>().is_ok());
        assert!("eu west".parse::<Region>().is_err());
        assert!("x.evil.com/".parse::<Region>().is_err());
    }

    #[test]
    fn document_names_are_plain_names_or_longer_arns() {
        assert!("AWS-StartInteractiveCommand"
            .parse::<DocumentName>()
            .is_ok());
        let arn = format!(
            "arn:aws:ssm:eu-west-1:111122223333:document/{}",
            "d".repeat(200)
        );
        assert!(arn.parse::<DocumentName>().is_ok());
        for bad in ["x", "bad name", &"d".repeat(129)] {
            assert!(bad.parse::<DocumentName>().is_err(), "{bad}");
        }
    }

    #[test]
    fn a_value_given_as_a_flag_is_refused_naming_the_flag() {
        let err = parse_input::<Region>("--region", "eu west").unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert!(err.to_string().contains("--region"), "{err}");
        assert!(err.to_string().contains("lowercase"), "{err}");
    }

    #[test]
    fn each_value_names_what_it_takes_when_refused() {
        assert!("maybe"
            .parse::<CheckMode>()
            .unwrap_err()
            .contains("on, off or strict"));
        assert!("eu west"
            .parse::<Regions>()
            .unwrap_err()
            .contains("lowercase"));
        assert_eq!(
            "a, b".parse::<Regions>(),
            Ok(Regions(vec!["a".into(), "b".into()]))
        );
    }
}
