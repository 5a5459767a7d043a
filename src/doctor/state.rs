//! Whether the instance runs. First of the checks because every other one reads differently
//! when it doesn't (a stopped instance pings no one), and the way on is an ssmgo command. Pure:
//! the state comes from the listing.

use super::{Finding, Status};

/// The state check: EC2's state of instance `id` ("running", "stopped", …).
pub fn judge(id: &str, state: &str) -> Finding {
    match state {
        "running" => Finding::new("state", Status::Ok, "running"),
        "stopped" => Finding::new("state", Status::Problem, "stopped").next(format!(
            "Start it and connect in one go: ssmgo connect {id} --start"
        )),
        "pending" => Finding::new("state", Status::Problem, "starting (pending)").next(format!(
            "Wait for it and connect: ssmgo connect {id} --wait"
        )),
        "stopping" => Finding::new("state", Status::Problem, "stopping")
            .next(format!("Once it is stopped: ssmgo connect {id} --start")),
        other => Finding::new("state", Status::Problem, other.to_owned())
            .next("It can't be started again: pick another instance"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_running_is_ok_and_each_other_state_says_what_to_run() {
        assert_eq!(judge("i-1", "running").status, Status::Ok);
        let stopped = judge("i-1", "stopped");
        assert_eq!(stopped.status, Status::Problem);
        assert_eq!(
            stopped.next.as_deref(),
            Some("Start it and connect in one go: ssmgo connect i-1 --start")
        );
        let pending = judge("i-1", "pending");
        assert_eq!(pending.summary, "starting (pending)");
        assert_eq!(
            pending.next.as_deref(),
            Some("Wait for it and connect: ssmgo connect i-1 --wait")
        );
        assert_eq!(
            judge("i-1", "stopping").next.as_deref(),
            Some("Once it is stopped: ssmgo connect i-1 --start")
        );
        let gone = judge("i-1", "terminated");
        assert_eq!(
            (gone.status, gone.summary.as_str()),
            (Status::Problem, "terminated")
        );
        assert_eq!(
            gone.next.as_deref(),
            Some("It can't be started again: pick another instance")
        );
    }
}
