//! Whether SSM knows the node and hears from its agent. Its own judge because "not Online" has
//! three readings — still booting, never registered, gone quiet — each with another next step.
//! Pure: SSM's record is read by the caller, and the clock is passed in so tests can fix it.

use super::api::AgentRecord;
use super::{iso8601, Finding, Status};
use crate::error::Result;

/// How long after a start an agent that isn't Online yet is given before that is a problem:
/// agents register within a minute or two of boot; slow Windows boots take longer.
const BOOT_GRACE_SECS: i64 = 600;

/// What the registration check looks at.
pub struct Facts<'a> {
    pub id: &'a str,
    /// EC2's state ("running", "stopped", …).
    pub state: &'a str,
    /// When EC2 last started it (its LaunchTime, ISO 8601), when known.
    pub launch_time: Option<&'a str>,
    /// SSM's record of the node, as read: None when SSM has none.
    pub record: &'a Result<Option<AgentRecord>>,
    /// Now, in seconds since the Unix epoch.
    pub now: i64,
}

/// "3 h 5 min" — how long ago, for people.
fn age(seconds: i64) -> String {
    let s = seconds.max(0);
    match s {
        0..=119 => format!("{s} s"),
        120..=7199 => format!("{} min", s / 60),
        7200..=172_799 => format!("{} h {} min", s / 3600, s % 3600 / 60),
        _ => format!("{} days", s / 86_400),
    }
}

/// Seconds from `launch_time` (ISO 8601) to `now`, when it parses.
fn since_start(launch_time: Option<&str>, now: i64) -> Option<i64> {
    use aws_smithy_types::date_time::{DateTime, Format};
    let at = DateTime::from_str(launch_time?, Format::DateTime).ok()?;
    Some(now - at.secs())
}

/// The registration check.
pub fn judge(facts: &Facts) -> Finding {
    let record = match facts.record {
        Ok(record) => record.as_ref(),
        Err(e) => return Finding::unreadable("registration", "SSM's record of the node", e),
    };
    let online = record.is_some_and(|r| r.ping_status == "Online");
    if let Some(secs) = since_start(facts.launch_time, facts.now).filter(|s| *s < BOOT_GRACE_SECS) {
        if facts.state == "running" && !online {
            let status = record.map_or("not registered yet", |r| r.ping_status.as_str());
            return Finding::new(
                "registration",
                Status::Unknown,
                format!(
                    "{status}: it started {} ago, and its agent may still be booting",
                    age(secs)
                ),
            )
            .next(format!(
                "Wait for it: ssmgo connect {} --wait=10m (the checks below find what would keep it from ever coming Online)",
                facts.id
            ));
        }
    }
    let Some(record) = record else {
        return Finding::new(
            "registration",
            Status::Problem,
            "not registered with SSM: its agent has never reached Systems Manager",
        )
        .next("The checks below say why, when they can; if all of them are ok, the SSM agent is not installed or not running on it (Amazon Linux, Ubuntu and Windows AMIs from AWS have it; `sudo systemctl status amazon-ssm-agent` on the instance)");
    };
    let ago = record.last_ping.map(|t| {
        format!(
            "last ping {} ago ({})",
            age(facts.now - t),
            iso8601(t.max(0) as u64)
        )
    });
    if record.ping_status == "Online" {
        return Finding::new(
            "registration",
            Status::Ok,
            format!(
                "managed, Online{}",
                ago.map(|a| format!(", {a}")).unwrap_or_default()
            ),
        );
    }
    let summary = format!(
        "managed, but {}{}",
        record.ping_status,
        ago.map(|a| format!(" since its {a}")).unwrap_or_default()
    );
    let next = match facts.state {
        "running" => "Its agent no longer reaches SSM: the checks below say why, when they can; otherwise restart the agent on the instance (`sudo systemctl restart amazon-ssm-agent`) or reboot it".to_owned(),
        _ => "It pings again once it runs".to_owned(),
    };
    Finding::new("registration", Status::Problem, summary).next(next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    /// 2024-01-01T12:00:00Z.
    const NOW: i64 = 1_704_110_400;

    fn record(ping_status: &str, last_ping: Option<i64>) -> Result<Option<AgentRecord>> {
        Ok(Some(AgentRecord {
            ping_status: ping_status.into(),
            last_ping,
            agent_version: Some("3.3.0.0".into()),
        }))
    }

    fn judged(
        state: &str,
        launch_time: Option<&str>,
        record: Result<Option<AgentRecord>>,
    ) -> Finding {
        judge(&Facts {
            id: "i-1",
            state,
            launch_time,
            record: &record,
            now: NOW,
        })
    }

    /// `f` has this status and summary, and its next step starts so.
    fn assert_says(f: Finding, status: Status, summary: &str, next: &str) {
        assert_eq!((f.status, f.summary.as_str()), (status, summary));
        let said = f.next.unwrap_or_default();
        assert!(said.starts_with(next), "{said}");
    }

    #[test]
    fn ages_read_like_people_say_them() {
        assert_eq!(age(5), "5 s");
        assert_eq!(age(600), "10 min");
        assert_eq!(age(3 * 3600 + 300), "3 h 5 min");
        assert_eq!(age(3 * 86_400), "3 days");
    }

    #[test]
    fn online_is_ok_with_the_last_ping() {
        let f = judged("running", None, record("Online", Some(NOW - 30)));
        assert_eq!(f.status, Status::Ok);
        assert_eq!(
            f.summary,
            "managed, Online, last ping 30 s ago (2024-01-01T11:59:30Z)"
        );
    }

    #[test]
    fn an_agent_just_started_is_given_time() {
        let started = Some("2024-01-01T11:55:00Z");
        assert_says(
            judged("running", started, Ok(None)),
            Status::Unknown,
            "not registered yet: it started 5 min ago, and its agent may still be booting",
            "Wait for it: ssmgo connect i-1 --wait=10m",
        );
        assert_says(
            judged("running", Some("2024-01-01T11:00:00Z"), Ok(None)),
            Status::Problem,
            "not registered with SSM: its agent has never reached Systems Manager",
            "The checks below say why",
        );
    }

    #[test]
    fn an_agent_gone_quiet_is_a_problem_since_its_last_ping() {
        assert_says(
            judged(
                "running",
                None,
                record("ConnectionLost", Some(NOW - 3 * 3600)),
            ),
            Status::Problem,
            "managed, but ConnectionLost since its last ping 3 h 0 min ago (2024-01-01T09:00:00Z)",
            "Its agent no longer reaches SSM",
        );
        assert_says(
            judged("stopped", None, record("ConnectionLost", None)),
            Status::Problem,
            "managed, but ConnectionLost",
            "It pings again once it runs",
        );
    }

    #[test]
    fn an_unreadable_record_is_unknown_and_names_the_permission() {
        let denied = Err(Error::AccessDenied {
            operation: "DescribeInstanceInformation",
            action: "ssm:DescribeInstanceInformation",
            message: String::new(),
        });
        let f = judged("running", None, denied);
        assert_eq!(f.status, Status::Unknown);
        assert_eq!(
            f.summary,
            "could not read SSM's record of the node: this needs ssm:DescribeInstanceInformation, which you may not call"
        );
    }
}
