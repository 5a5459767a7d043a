//! EC2 Instance Connect for SSH over Session Manager: the user's public key is pushed to the
//! instance for its OS user (ec2-instance-connect:SendSSHPublicKey; the instance accepts it for
//! 60 seconds) just before the SSH session starts, so no key needs to live on the instance.
//!
//! The push is pre-checked like the session: the simulator is asked about
//! ec2-instance-connect:SendSSHPublicKey on the instance with `ec2:osuser` and its tags in the
//! context (the condition keys AWS documents for that action), and a denial is explained.

use std::path::{Path, PathBuf};

use crate::aws::Aws;
use crate::error::{Error, Result};
use crate::fleet::Instance;
use crate::precheck::{self, Resource, Who};

/// The OS user when none is given: the one on Amazon Linux, as AWS's own EIC tools assume.
pub const DEFAULT_OS_USER: &str = "ec2-user";

/// The public keys looked for, in ssh's own order of preference.
const KEY_FILES: &[&str] = &["id_ed25519.pub", "id_ecdsa.pub", "id_rsa.pub"];

/// A public key to push, and where it came from.
#[derive(Debug, Clone)]
pub struct PublicKey {
    pub path: PathBuf,
    /// One OpenSSH public key line ("ssh-ed25519 AAAA… comment").
    pub line: String,
}

/// What to push before an SSH session.
#[derive(Debug, Clone)]
pub struct Push {
    pub os_user: String,
    pub key: PublicKey,
}

/// The first key ssh-agent holds (`ssh-add -L`), when an agent runs: its private half is where
/// ssh will look for it.
fn agent_key() -> Option<PublicKey> {
    std::env::var_os("SSH_AUTH_SOCK")?;
    let out = std::process::Command::new("ssh-add")
        .arg("-L")
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text.lines().map(str::trim).find(|l| parse_key_line(l))?;
    Some(PublicKey {
        path: PathBuf::from("ssh-agent"),
        line: line.to_owned(),
    })
}

/// Reads `explicit`; else the first key ssh-agent holds; else the first of
/// ~/.ssh/id_ed25519.pub, id_ecdsa.pub, id_rsa.pub.
pub fn public_key(explicit: Option<&Path>) -> Result<PublicKey> {
    if explicit.is_none() {
        if let Some(key) = agent_key() {
            return Ok(key);
        }
    }
    let candidates: Vec<PathBuf> = match explicit {
        Some(p) => vec![p.to_owned()],
        None => {
            let home = std::env::var_os("HOME")
                .map(PathBuf::from)
                .unwrap_or_default();
            KEY_FILES
                .iter()
                .map(|f| home.join(".ssh").join(f))
                .collect()
        }
    };
    for path in &candidates {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let line = text
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .unwrap_or("");
        return match parse_key_line(line) {
            true => Ok(PublicKey {
                path: path.clone(),
                line: line.to_owned(),
            }),
            false => Err(Error::BadInput {
                what: "--public-key",
                value: path.display().to_string(),
                reason: "it is not an OpenSSH public key (ssh-ed25519 / ecdsa-sha2-* / ssh-rsa AAAA…): give the .pub file".into(),
            }),
        };
    }
    Err(Error::BadInput {
        what: "--public-key",
        value: candidates
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", "),
        reason: "no public key there: create one with `ssh-keygen -t ed25519`, or give --public-key FILE.pub".into(),
    })
}

/// True for an OpenSSH public key line of a type EC2 Instance Connect takes (RSA, ED25519,
/// ECDSA), never a private key.
fn parse_key_line(line: &str) -> bool {
    let mut words = line.split_whitespace();
    let (Some(kind), Some(blob)) = (words.next(), words.next()) else {
        return false;
    };
    let known = kind == "ssh-ed25519" || kind == "ssh-rsa" || kind.starts_with("ecdsa-sha2-");
    known
        && blob.starts_with("AAAA")
        && blob
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+/=".contains(&b))
}

/// The pre-check of the push: Some(reason, why lines) when the caller may not push the key for
/// `os_user` to `instance`.
pub async fn denied(
    aws: &Aws,
    who: &Who,
    instance: &Instance,
    os_user: &str,
) -> Option<Vec<String>> {
    let resource = Resource::instance(aws, who, instance);
    let denied = precheck::denied_resources(
        aws,
        who,
        "ec2-instance-connect:SendSSHPublicKey",
        std::slice::from_ref(&resource),
        &[("ec2:osuser".to_owned(), vec![os_user.to_owned()])],
        "ec2:ResourceTag/",
    )
    .await;
    denied.into_iter().next().map(|d| d.why)
}

/// Pushes the key (valid on the instance for 60 seconds).
pub async fn send(aws: &Aws, instance: &Instance, push: &Push) -> Result<()> {
    let out = aws
        .instance_connect()
        .send_ssh_public_key()
        .instance_id(&instance.instance_id)
        .instance_os_user(&push.os_user)
        .ssh_public_key(&push.key.line)
        .send()
        .await
        .map_err(|e| aws.explain("ec2-instance-connect:SendSSHPublicKey", e))?;
    if !out.success() {
        return Err(Error::Aws {
            operation: "SendSSHPublicKey",
            detail: format!(
                "EC2 Instance Connect did not accept the key {} for {}",
                push.key.path.display(),
                push.os_user
            ),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_public_key_lines_of_known_types_are_pushed() {
        assert!(parse_key_line(
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB me@host"
        ));
        assert!(parse_key_line("ecdsa-sha2-nistp256 AAAAE2VjZHNh"));
        assert!(!parse_key_line("-----BEGIN OPENSSH PRIVATE KEY-----"));
        assert!(!parse_key_line("ssh-dss AAAAB3NzaC1kc3M"));
        assert!(!parse_key_line("ssh-ed25519"));
    }

    #[test]
    fn a_private_key_given_as_the_public_one_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let private = dir.path().join("id");
        std::fs::write(&private, "-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n").unwrap();
        let err = public_key(Some(&private)).unwrap_err();
        assert!(
            err.to_string().contains("not an OpenSSH public key"),
            "{err}"
        );
        let missing = public_key(Some(&dir.path().join("nope.pub"))).unwrap_err();
        assert!(
            missing.to_string().contains("ssh-keygen -t ed25519"),
            "{missing}"
        );
    }
}
