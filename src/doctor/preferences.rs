//! What the Session Manager preferences ask beyond the agent's usual permissions: a KMS key to
//! encrypt sessions with, which both the caller (kms:GenerateDataKey) and the instance role
//! (kms:Decrypt) must be allowed. Its own judge because either side missing breaks the session
//! after it starts. Pure: the preferences document and the simulations are read by the caller.

use ssmgo_policy::Decision;

use super::{Finding, Status};
use crate::error::Result;

/// What the caller must be allowed on the key: AWS encrypts the session's data key for it.
pub const CALLER_NEEDS: &str = "kms:GenerateDataKey";
/// What the instance role must be allowed on the key: the agent decrypts the data key.
pub const ROLE_NEEDS: &str = "kms:Decrypt";

/// The KMS key the document's preferences require, when they do (`inputs.kmsKeyId`).
pub fn kms_key_of(content: &str) -> Option<String> {
    let doc: serde_json::Value = serde_json::from_str(content).ok()?;
    doc.get("inputs")?
        .get("kmsKeyId")?
        .as_str()
        .filter(|k| !k.trim().is_empty())
        .map(str::to_owned)
}

/// A key id, key ARN or alias as the preferences name it → the key's ARN, when it can be known
/// without kms:DescribeKey (an alias can't).
pub fn key_arn(key: &str, partition: &str, region: &str, account: &str) -> Option<String> {
    if key.starts_with("arn:") {
        return (!key.contains(":alias/")).then(|| key.to_owned());
    }
    if key.starts_with("alias/") {
        return None;
    }
    Some(format!("arn:{partition}:kms:{region}:{account}:key/{key}"))
}

/// What one principal may do with the key, as simulated.
#[derive(Debug)]
pub struct KeyAccess {
    /// The caller's ARN, or the instance role's name.
    pub principal: String,
    pub decision: Result<Decision>,
}

/// What the preferences check looks at.
pub struct Facts<'a> {
    pub document: &'a str,
    /// The preferences document as read: None when there is none.
    pub content: &'a Result<Option<String>>,
    /// The KMS key it requires ([`kms_key_of`]), if any.
    pub key: Option<&'a str>,
    /// The key's ARN ([`key_arn`]), when it can be known.
    pub key_arn: Option<&'a str>,
    /// [`CALLER_NEEDS`] for the caller, None when the caller isn't known. Read only when the
    /// key's ARN is known.
    pub caller: Option<KeyAccess>,
    /// [`ROLE_NEEDS`] for the instance role, None when it has none. Read only when the key's ARN
    /// is known.
    pub role: Option<KeyAccess>,
}

/// The preferences check.
pub fn judge(facts: Facts) -> Finding {
    let document = facts.document;
    let content = match facts.content {
        Ok(c) => c,
        Err(e) => {
            let what = format!("the document {document} (its KMS preference)");
            return Finding::unreadable("preferences", &what, e);
        }
    };
    let Some(key) = facts.key else {
        let why = match content {
            None => {
                format!("no document {document} (Session Manager preferences were never saved)")
            }
            Some(_) => format!("{document} sets no kmsKeyId"),
        };
        return Finding::new(
            "preferences",
            Status::Ok,
            format!("sessions are not KMS-encrypted: {why}"),
        );
    };
    let Some(arn) = facts.key_arn else {
        return Finding::new(
            "preferences",
            Status::Unknown,
            format!("{document} requires KMS encryption with {key}; which key an alias names needs kms:DescribeKey, which ssmgo doesn't call: check kms:GenerateDataKey (yours) and kms:Decrypt (the instance role's) on it by hand"),
        );
    };
    let mut evidence = Vec::new();
    let mut problems = Vec::new();
    let mut unknown = false;
    let sides = [
        (
            CALLER_NEEDS,
            facts
                .caller
                .map(|a| (format!("you ({})", a.principal), a.decision)),
            "you start the session",
        ),
        (
            ROLE_NEEDS,
            facts
                .role
                .map(|a| (format!("the instance role {}", a.principal), a.decision)),
            "the agent decrypts it",
        ),
    ];
    for (action, access, why) in sides {
        let Some((name, decision)) = access else {
            unknown = true;
            evidence.push(format!(
                "{action} ({why}): unknown, the principal isn't known"
            ));
            continue;
        };
        match decision {
            Ok(Decision::Allowed) => {
                evidence.push(format!("{name} may call {action} on the key ({why})"))
            }
            Ok(decision) => {
                evidence.push(format!(
                    "{name} may not call {action} on the key ({why}): {}",
                    decision.as_str()
                ));
                problems.push(format!("{name} may not call {action}"));
            }
            Err(e) => {
                unknown = true;
                evidence.push(format!("{action} for {name}: unknown ({})", e.headline()));
            }
        }
    }
    let status = match (problems.is_empty(), unknown) {
        (false, _) => Status::Problem,
        (true, true) => Status::Unknown,
        (true, false) => Status::Ok,
    };
    let summary = match status {
        Status::Problem => format!(
            "{document} requires KMS encryption with {arn}, but {}",
            problems.join(" and ")
        ),
        _ => format!("{document} requires KMS encryption with {arn}"),
    };
    let mut f = Finding::new("preferences", status, summary).evidence(evidence);
    if status == Status::Problem {
        f.next = Some(format!("Allow kms:GenerateDataKey on {arn} to the people who connect and kms:Decrypt on it to the instance role (in their policies or the key policy), or turn KMS encryption off in the Session Manager preferences"));
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    const DOC: &str = "SSM-SessionManagerRunShell";
    const ARN: &str = "arn:aws:kms:eu-west-1:1:key/k";

    fn access(principal: &str, decision: Decision) -> Option<KeyAccess> {
        Some(KeyAccess {
            principal: principal.into(),
            decision: Ok(decision),
        })
    }

    fn with_key(caller: Option<KeyAccess>, role: Option<KeyAccess>) -> Finding {
        let content = Ok(Some(r#"{"inputs": {"kmsKeyId": "k"}}"#.to_owned()));
        judge(Facts {
            document: DOC,
            content: &content,
            key: Some("k"),
            key_arn: Some(ARN),
            caller,
            role,
        })
    }

    #[test]
    fn the_kms_key_comes_from_the_preferences_inputs() {
        assert_eq!(
            kms_key_of(r#"{"inputs": {"kmsKeyId": "abc"}}"#).as_deref(),
            Some("abc")
        );
        assert_eq!(kms_key_of(r#"{"inputs": {"kmsKeyId": ""}}"#), None);
        assert_eq!(kms_key_of("schemaVersion: 1.0"), None);
        assert_eq!(
            key_arn("1234abcd", "aws", "eu-west-1", "1").as_deref(),
            Some("arn:aws:kms:eu-west-1:1:key/1234abcd")
        );
        assert_eq!(key_arn("alias/sessions", "aws", "eu-west-1", "1"), None);
        assert_eq!(
            key_arn("arn:aws:kms:eu-west-1:1:alias/x", "aws", "eu-west-1", "1"),
            None
        );
    }

    #[test]
    fn no_key_is_ok_and_says_why() {
        let judged = |content: Result<Option<String>>| {
            judge(Facts {
                document: DOC,
                content: &content,
                key: None,
                key_arn: None,
                caller: None,
                role: None,
            })
        };
        let never = judged(Ok(None));
        assert_eq!(never.status, Status::Ok);
        assert_eq!(never.summary, "sessions are not KMS-encrypted: no document SSM-SessionManagerRunShell (Session Manager preferences were never saved)");
        let unset = judged(Ok(Some("{}".into())));
        assert_eq!(
            unset.summary,
            "sessions are not KMS-encrypted: SSM-SessionManagerRunShell sets no kmsKeyId"
        );
        let unread = judged(Err(Error::AccessDenied {
            operation: "GetDocument",
            action: "ssm:GetDocument",
            message: String::new(),
        }));
        assert_eq!(unread.status, Status::Unknown);
        assert_eq!(unread.summary, "could not read the document SSM-SessionManagerRunShell (its KMS preference): this needs ssm:GetDocument, which you may not call");
    }

    #[test]
    fn an_alias_is_unknown_for_want_of_describe_key() {
        let content = Ok(Some(String::new()));
        let f = judge(Facts {
            document: DOC,
            content: &content,
            key: Some("alias/sessions"),
            key_arn: None,
            caller: None,
            role: None,
        });
        assert_eq!(f.status, Status::Unknown);
        assert!(f.summary.starts_with("SSM-SessionManagerRunShell requires KMS encryption with alias/sessions; which key an alias names needs kms:DescribeKey"), "{}", f.summary);
    }

    #[test]
    fn both_sides_must_be_allowed_on_the_key() {
        let ok = with_key(
            access("arn:aws:iam::1:user/alice", Decision::Allowed),
            access("web", Decision::Allowed),
        );
        let required = format!("{DOC} requires KMS encryption with {ARN}");
        assert_eq!((ok.status, &ok.summary), (Status::Ok, &required));
        assert_eq!(
            ok.evidence,
            [
                "you (arn:aws:iam::1:user/alice) may call kms:GenerateDataKey on the key (you start the session)",
                "the instance role web may call kms:Decrypt on the key (the agent decrypts it)"
            ]
        );
        assert_eq!(ok.next, None);
        let role_denied = with_key(
            access("arn:aws:iam::1:user/alice", Decision::Allowed),
            access("web", Decision::ImplicitDeny),
        );
        let denied = format!("{required}, but the instance role web may not call kms:Decrypt");
        assert_eq!(
            (role_denied.status, &role_denied.summary),
            (Status::Problem, &denied)
        );
        assert!(role_denied.evidence[1].starts_with(
            "the instance role web may not call kms:Decrypt on the key (the agent decrypts it): "
        ));
        assert!(role_denied
            .next
            .unwrap()
            .starts_with(&format!("Allow kms:GenerateDataKey on {ARN}")));
    }

    #[test]
    fn an_unknown_side_makes_it_unknown_but_never_hides_a_problem() {
        let unknown = with_key(None, access("web", Decision::Allowed));
        assert_eq!(unknown.status, Status::Unknown);
        assert_eq!(
            unknown.evidence[0],
            "kms:GenerateDataKey (you start the session): unknown, the principal isn't known"
        );
        let both = with_key(None, access("web", Decision::ExplicitDeny));
        assert_eq!(both.status, Status::Problem);
    }
}
