//! Whether the agent is new enough for the session asked for. A judge of its own because AWS
//! documents a minimum per kind of session (and one for KMS): the minimums are kept here, next to
//! the one place that compares against them. Pure: the agent's version comes from SSM's record.

use super::{Finding, Status};

/// Minimum SSM Agent versions, as AWS documents them.
pub mod minimums {
    /// Sessions at all — Systems Manager User Guide, "Step 1: Complete Session Manager
    /// prerequisites" (SSM Agent).
    pub const SESSIONS: &str = "2.3.68.0";
    /// Encrypting session data with a KMS key — same page.
    pub const KMS: &str = "2.3.539.0";
    /// Port forwarding and SSH sessions — same page ("To start a Session Manager port
    /// forwarding or SSH session, SSM Agent version 3.0.222.0 or later").
    pub const PORT_AND_SSH: &str = "3.0.222.0";
    /// Port forwarding to a remote host — "Start a session", "Starting a session (port
    /// forwarding to remote host)".
    pub const REMOTE_HOST: &str = "3.1.1374.0";
    /// Multiplexed port forwarding (several connections over one session): session-manager-plugin,
    /// src/config/config.go, TCPMultiplexingSupportedAfterThisAgentVersion (later than this).
    /// Every agent new enough to forward at all ([`PORT_AND_SSH`]) is past it, so it is no
    /// check of its own (a unit test keeps that true).
    pub const MULTIPLEXING_AFTER: &str = "3.0.196.0";
    /// Default Host Management Configuration — "Default Host Management Configuration"
    /// (with IMDSv2).
    pub const DEFAULT_HOST_MANAGEMENT: &str = "3.2.582.0";
}

/// "3.1.1374.0" → comparable parts (a part that isn't a number counts as 0).
fn version(v: &str) -> Vec<u64> {
    v.split('.').map(|p| p.parse().unwrap_or(0)).collect()
}

/// True when agent version `have` is at least `need`.
pub fn at_least(have: &str, need: &str) -> bool {
    version(have) >= version(need)
}

/// What `document` asks of the agent: (minimum version, what for).
pub fn document_minimum(document: &str) -> (&'static str, &'static str) {
    match document {
        "AWS-StartPortForwardingSessionToRemoteHost" => {
            (minimums::REMOTE_HOST, "port forwarding to a remote host")
        }
        "AWS-StartPortForwardingSession" => (minimums::PORT_AND_SSH, "port forwarding"),
        "AWS-StartSSHSession" => (minimums::PORT_AND_SSH, "SSH sessions"),
        _ => (minimums::SESSIONS, "Session Manager"),
    }
}

/// The agent-version check: `agent_version` as SSM records it (None when it has no record),
/// against what `document` needs, and KMS's minimum when the preferences encrypt sessions.
pub fn judge(agent_version: Option<&str>, document: &str, kms: bool) -> Finding {
    let Some(have) = agent_version else {
        return Finding::new(
            "agent-version",
            Status::Unknown,
            "SSM has no agent version for it (it isn't registered)",
        );
    };
    let (need, purpose) = document_minimum(document);
    let mut needs = vec![(need, format!("{purpose} ({document})"))];
    if kms {
        needs.push((minimums::KMS, "KMS-encrypted sessions".to_owned()));
    }
    let short: Vec<String> = needs
        .iter()
        .filter(|(n, _)| !at_least(have, n))
        .map(|(n, what)| format!("{what} needs {n} or later"))
        .collect();
    if !short.is_empty() {
        return Finding::new(
            "agent-version",
            Status::Problem,
            format!("SSM Agent {have} is too old: {}", short.join("; ")),
        )
        .next("Update the agent: aws ssm send-command --document-name AWS-UpdateSSMAgent --instance-ids ID (or turn on automatic agent updates in Fleet Manager)");
    }
    Finding::new(
        "agent-version",
        Status::Ok,
        format!("SSM Agent {have} ({}: {need} or later)", needs[0].1),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agent_versions_compare_part_by_part() {
        assert!(at_least("3.1.1374.0", minimums::REMOTE_HOST));
        assert!(at_least("3.10.0.0", "3.9.9999.0"));
        assert!(!at_least("3.1.1188.0", minimums::REMOTE_HOST));
        assert!(!at_least("2.3.68", minimums::SESSIONS));
        assert!(at_least("2.3.68.0", minimums::SESSIONS));
    }

    #[test]
    fn every_agent_that_may_forward_multiplexes() {
        assert!(at_least(
            minimums::PORT_AND_SSH,
            minimums::MULTIPLEXING_AFTER
        ));
        assert_ne!(minimums::PORT_AND_SSH, minimums::MULTIPLEXING_AFTER);
    }

    #[test]
    fn each_document_has_its_minimum() {
        assert_eq!(
            document_minimum("AWS-StartPortForwardingSessionToRemoteHost").0,
            "3.1.1374.0"
        );
        assert_eq!(document_minimum("AWS-StartSSHSession").0, "3.0.222.0");
        assert_eq!(document_minimum("SSM-SessionManagerRunShell").0, "2.3.68.0");
        let old = judge(Some("3.0.100.0"), "AWS-StartSSHSession", false);
        assert_eq!(old.status, Status::Problem);
        assert!(
            old.summary
                .contains("SSH sessions (AWS-StartSSHSession) needs 3.0.222.0 or later"),
            "{}",
            old.summary
        );
        let kms = judge(Some("2.3.100.0"), "SSM-SessionManagerRunShell", true);
        assert!(
            kms.summary
                .contains("KMS-encrypted sessions needs 2.3.539.0"),
            "{}",
            kms.summary
        );
        assert_eq!(judge(None, "x", false).status, Status::Unknown);
    }

    #[test]
    fn a_new_enough_agent_is_ok_with_the_minimum_it_meets() {
        let ok = judge(Some("3.2.582.0"), "AWS-StartPortForwardingSession", true);
        assert_eq!(ok.status, Status::Ok);
        assert_eq!(
            ok.summary,
            "SSM Agent 3.2.582.0 (port forwarding (AWS-StartPortForwardingSession): 3.0.222.0 or later)"
        );
        assert_eq!(ok.next, None);
        let old = judge(Some("2.3.0.0"), "SSM-SessionManagerRunShell", true);
        assert_eq!(
            old.summary,
            "SSM Agent 2.3.0.0 is too old: Session Manager (SSM-SessionManagerRunShell) needs 2.3.68.0 or later; KMS-encrypted sessions needs 2.3.539.0 or later"
        );
        assert!(old.next.unwrap().contains("AWS-UpdateSSMAgent"));
    }
}
