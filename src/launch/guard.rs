//! The pre-check acted on before anything is started: a denial stops the session before
//! StartSession (and before a key is pushed), explained; a check that can't run is one line, or
//! a refusal with --strict.

use crate::aws::Aws;
use crate::error::{Error, Result};
use crate::fleet::Instance;
use crate::instance_connect::{self, Push};
use crate::precheck::{self, Check, Who, WhoFailure};

/// What the pre-check said: in a few words (for --dry-run), and its findings, kept to explain a
/// denial by AWS later (None with --no-check).
pub(super) struct Checked {
    pub summary: String,
    pub check: Option<Check>,
}

/// The pre-check of StartSession on `instance` as `who` (None with --no-check).
pub(super) async fn pre_check(
    aws: &Aws,
    who: Option<&Result<Who, WhoFailure>>,
    instance: &Instance,
    strict: bool,
) -> Result<Checked> {
    let Some(who) = who else {
        return Ok(Checked {
            summary: "skipped (--no-check)".to_owned(),
            check: None,
        });
    };
    let check = precheck::check_as(aws, who, instance).await;
    Ok(Checked {
        summary: guard(&check, instance, strict)?,
        check: Some(check),
    })
}

/// A denial stops here with its explanation; a check that can't run is one line (or a refusal
/// with --strict). Returns the outcome in a few words.
fn guard(check: &Check, instance: &Instance, strict: bool) -> Result<String> {
    precheck::act_on(
        check,
        instance.label(),
        strict,
        "allowed (document and instance)",
        || Error::PrecheckDenied {
            target: instance.label(),
            target_id: instance.instance_id.clone(),
        },
    )
}

/// Pushes the public key with EC2 Instance Connect, pre-checked like the session (unless
/// --no-check): a denial is explained and nothing is started.
pub(super) async fn push_key(
    aws: &Aws,
    who: Option<&Result<Who, WhoFailure>>,
    instance: &Instance,
    push: &Push,
) -> Result<()> {
    if let Some(Ok(who)) = who {
        if let Some(why) = instance_connect::denied(aws, who, instance, &push.os_user).await {
            crate::say!(
                "ssmgo: the pre-check says you may not push a key for {} to {} (ec2-instance-connect:SendSSHPublicKey):",
                push.os_user,
                instance.label()
            );
            for line in &why {
                crate::say!("  {line}");
            }
            return Err(Error::KeyPushDenied {
                target: instance.label(),
                os_user: push.os_user.clone(),
            });
        }
    }
    instance_connect::send(aws, instance, push).await?;
    if aws.verbose() {
        crate::say!(
            "ssmgo: pushed {} for {} to {} (valid 60 s)",
            push.key.path.display(),
            push.os_user,
            instance.label()
        );
    }
    Ok(())
}
