//! The request context of StartSession as far as ssmgo can know it before calling AWS, where
//! each value comes from, which keys no client can know, and context conditions in words.
//!
//! AWS fills in the request context itself (IAM User Guide, global condition keys). Some of it
//! ssmgo knows as well as AWS (the region, the time, who is calling, their IAM tags, the
//! instance's tags, that long-term keys carry no MFA); some only AWS sees (the source address,
//! the VPC endpoint, whether temporary credentials were obtained with MFA, session tags).

use std::time::{SystemTime, UNIX_EPOCH};

use serde::Serialize;
use ssmgo_policy::condition::{Base, Condition};

use crate::aws::time::iso8601;

/// One context value given to the simulator and to ssmgo's own evaluator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    pub key: String,
    pub values: Vec<String>,
    /// Where the value came from, e.g. "sts:GetCallerIdentity".
    pub source: String,
}

impl Entry {
    fn new(key: impl Into<String>, value: impl Into<String>, source: &str) -> Entry {
        Entry {
            key: key.into(),
            values: vec![value.into()],
            source: source.to_owned(),
        }
    }
}

/// What ssmgo knows about the caller and the call.
#[derive(Debug, Clone)]
pub struct Facts {
    pub region: String,
    pub now: SystemTime,
    /// The user's ARN, or the role's (not the session's) for a role session: aws:PrincipalArn.
    pub principal_arn: String,
    pub account: String,
    /// "User" or "AssumedRole".
    pub principal_type: &'static str,
    pub user_id: String,
    pub username: Option<String>,
    /// The principal's IAM tags; None when they could not be read.
    pub principal_tags: Option<Vec<(String, String)>>,
    /// Whether the credentials are temporary (None: unknown).
    pub temporary: Option<bool>,
}

impl Facts {
    /// The context every resource of the call shares.
    pub fn entries(&self) -> Vec<Entry> {
        let secs = self
            .now
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_secs();
        let mut out = vec![
            Entry::new("aws:RequestedRegion", &self.region, "the region in use"),
            Entry::new("aws:CurrentTime", iso8601(secs), "this machine's clock"),
            Entry::new("aws:EpochTime", secs.to_string(), "this machine's clock"),
            Entry::new(
                "aws:SecureTransport",
                "true",
                "AWS's endpoints answer HTTPS only",
            ),
            Entry::new(
                "aws:PrincipalArn",
                &self.principal_arn,
                "sts:GetCallerIdentity",
            ),
            Entry::new(
                "aws:PrincipalAccount",
                &self.account,
                "sts:GetCallerIdentity",
            ),
            Entry::new(
                "aws:PrincipalType",
                self.principal_type,
                "sts:GetCallerIdentity",
            ),
            Entry::new("aws:userid", &self.user_id, "sts:GetCallerIdentity"),
        ];
        if let Some(name) = &self.username {
            out.push(Entry::new("aws:username", name, "sts:GetCallerIdentity"));
        }
        let tags_source = if self.principal_type == "User" {
            "iam:ListUserTags"
        } else {
            "iam:ListRoleTags"
        };
        for (k, v) in self.principal_tags.iter().flatten() {
            out.push(Entry::new(format!("aws:PrincipalTag/{k}"), v, tags_source));
        }
        out
    }

    /// Whether ssmgo knows that `key`, absent from the context it built, is absent from AWS's too.
    pub fn known_absent(&self, key: &str) -> bool {
        let lower = key.to_ascii_lowercase();
        // StartSession's context holds global keys and SSM's own; another service's keys
        // (ec2:ResourceTag/…) are never in it.
        if !lower.starts_with("aws:") && !lower.starts_with("ssm:") {
            return true;
        }
        if lower.starts_with("aws:resourcetag/") || lower.starts_with("ssm:resourcetag/") {
            return true; // every tag of the resource was given
        }
        if lower.starts_with("aws:principaltag/") {
            return self.principal_tags.is_some();
        }
        match lower.as_str() {
            "aws:username" => self.username.is_none(),
            // AWS leaves MFA out of the context for long-term access keys.
            "aws:multifactorauthpresent" | "aws:multifactorauthage" => {
                self.temporary == Some(false)
            }
            _ => false,
        }
    }

    /// What principal tags rest on, for a role: its own tags, which session tags override.
    fn role_tags_caveat(&self) -> &'static str {
        if self.principal_type == "AssumedRole" {
            " (the role's own tags: tags passed when it was assumed override them, and ssmgo can't see those)"
        } else {
            ""
        }
    }
}

/// The resource's own tags as condition keys: the global spelling and the service's own
/// (`service_prefix`: "ssm:resourceTag/" for StartSession, "ec2:ResourceTag/" for EC2 calls).
pub fn resource_tag_entries(
    tags: &[(String, String)],
    service_prefix: &str,
    source: &str,
) -> Vec<Entry> {
    let mut out = Vec::new();
    for (k, v) in tags {
        out.push(Entry::new(format!("aws:ResourceTag/{k}"), v, source));
        out.push(Entry::new(format!("{service_prefix}{k}"), v, source));
    }
    out
}

/// A context condition in words, with the next step, when ssmgo has something to say about its
/// key. `facts` says what the request carries.
pub fn in_words(
    c: &Condition,
    facts: &Facts,
    resource_tags: &[(String, String)],
) -> Option<String> {
    let op = c.operator?;
    let (base, negated) = op.base.positive();
    let key = c.key.to_ascii_lowercase();
    let list = |values: &[String]| values.join(", ");
    match key.as_str() {
        "aws:multifactorauthpresent" | "aws:multifactorauthage" => Some(match facts.temporary {
            Some(false) => "this condition is about MFA: these are long-term access keys, and AWS sends no MFA with them; use credentials from `aws sts get-session-token --serial-number ARN-OF-YOUR-MFA-DEVICE --token-code CODE`, or a profile with `mfa_serial`".to_owned(),
            _ => "this condition is about MFA: AWS knows whether these temporary credentials were obtained with MFA, ssmgo can't; if they were not, get new ones with MFA (a profile with `mfa_serial`)".to_owned(),
        }),
        "aws:sourceip" | "aws:vpcsourceip" if base == Base::IpAddress => Some(format!(
            "{} {} ({}), which ssmgo cannot see from here; connect from those networks (e.g. over the VPN)",
            if negated { "calls are refused unless they come from" } else { "allowed only from" },
            c.values.join(" or "),
            c.key
        )),
        "aws:requestedregion" => Some(format!(
            "regions are restricted to {} ({}); this request is for {}: pass --region with one of them",
            list(&c.values),
            c.key,
            facts.region
        )),
        "aws:currenttime" | "aws:epochtime" if matches!(base, Base::DateLessThan | Base::DateLessThanEquals) && !negated => Some(format!(
            "this grant ended on {} ({}); ask for it to be renewed",
            list(&c.values),
            c.key
        )),
        "aws:currenttime" | "aws:epochtime" if matches!(base, Base::DateGreaterThan | Base::DateGreaterThanEquals) && !negated => Some(format!(
            "this grant starts on {} ({})",
            list(&c.values),
            c.key
        )),
        k if k.starts_with("ssm:resourcetag/") || k.starts_with("aws:resourcetag/") => {
            let tag = &c.key[c.key.find('/')? + 1..];
            let principal_var = c.values.iter().find_map(|v| {
                let inner = v.strip_prefix("${")?.strip_suffix('}')?;
                inner
                    .to_ascii_lowercase()
                    .starts_with("aws:principaltag/")
                    .then(|| inner["aws:PrincipalTag/".len()..].to_owned())
            })?;
            let mine = facts
                .principal_tags
                .iter()
                .flatten()
                .find(|(k, _)| k.eq_ignore_ascii_case(&principal_var))
                .map(|(_, v)| format!("is {v:?}"))
                .unwrap_or_else(|| "is not set".into());
            let theirs = resource_tags
                .iter()
                .find(|(k, _)| k == tag)
                .map(|(_, v)| format!("is {v:?}"))
                .unwrap_or_else(|| "is not set".into());
            Some(format!(
                "your tag {principal_var} {mine}; this resource's {tag} {theirs}{}",
                facts.role_tags_caveat()
            ))
        }
        _ => None,
    }
}

/// Keys that only AWS can fill in: where the call comes from, how the credentials were
/// obtained, which service called on the caller's behalf.
pub const UNKNOWABLE: &[&str] = &[
    "aws:SourceIp",
    "aws:SourceVpc",
    "aws:SourceVpce",
    "aws:VpcSourceIp",
    "aws:ViaAWSService",
    "aws:CalledVia",
    "aws:CalledViaFirst",
    "aws:CalledViaLast",
    "aws:MultiFactorAuthPresent",
    "aws:MultiFactorAuthAge",
    "aws:TokenIssueTime",
    "aws:SourceIdentity",
    "aws:PrincipalOrgID",
    "aws:PrincipalOrgPaths",
    "aws:FederatedProvider",
    "aws:SourceArn",
    "aws:SourceAccount",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(temporary: Option<bool>, user: bool) -> Facts {
        Facts {
            region: "us-east-1".into(),
            now: UNIX_EPOCH,
            principal_arn: "arn:aws:iam::1:user/alice".into(),
            account: "1".into(),
            principal_type: if user { "User" } else { "AssumedRole" },
            user_id: "AIDA".into(),
            username: user.then(|| "alice".into()),
            principal_tags: Some(vec![("Project".into(), "blue".into())]),
            temporary,
        }
    }

    #[test]
    fn mfa_is_known_absent_only_for_long_term_keys() {
        assert!(facts(Some(false), true).known_absent("aws:MultiFactorAuthPresent"));
        assert!(!facts(Some(true), true).known_absent("aws:MultiFactorAuthPresent"));
        assert!(!facts(None, true).known_absent("aws:MultiFactorAuthPresent"));
        assert!(facts(None, true).known_absent("aws:PrincipalTag/Team"));
        assert!(facts(None, false).known_absent("aws:username"));
        assert!(!facts(None, true).known_absent("aws:SourceIp"));
        assert!(facts(None, true).known_absent("ec2:ResourceTag/Env"));
    }

    #[test]
    fn the_context_says_where_each_value_came_from() {
        let e = facts(Some(false), true).entries();
        let get = |k: &str| e.iter().find(|x| x.key == k).unwrap();
        assert_eq!(get("aws:RequestedRegion").values, ["us-east-1"]);
        assert_eq!(get("aws:CurrentTime").values, ["1970-01-01T00:00:00Z"]);
        assert_eq!(get("aws:username").source, "sts:GetCallerIdentity");
        assert_eq!(get("aws:PrincipalTag/Project").source, "iam:ListUserTags");
        assert!(!e.iter().any(|x| x.key.contains("MultiFactor")));
    }
}
