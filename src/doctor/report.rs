//! The doctor's findings in words: the full report (`ssmgo doctor`), and the short one printed
//! when a connection fails (only what is wrong or unknown).

use super::{Finding, Report, Status};

fn word(status: Status) -> &'static str {
    match status {
        Status::Ok => "ok",
        Status::Problem => "problem",
        Status::Unknown => "unknown",
    }
}

/// Lines under a finding, indented to `indent`.
fn details(f: &Finding, indent: &str, out: &mut String) {
    for line in &f.evidence {
        out.push_str(&format!("{indent}{line}\n"));
    }
    if let Some(next) = &f.next {
        out.push_str(&format!("{indent}next: {next}\n"));
    }
}

/// The whole report, one line per check with its evidence and next step under it.
pub fn render(report: &Report) -> String {
    let header = format!(
        "{} in {}, for {}",
        report.target, report.region, report.document
    );
    render_findings(&header, &report.findings)
}

/// A report of `findings` under `header` (an instance's, an ECS container's).
pub fn render_findings(header: &str, findings: &[Finding]) -> String {
    let mut out = format!("{header}\n");
    let indent = " ".repeat(2 + 9 + 15);
    for f in findings {
        out.push_str(&format!(
            "  {:<9}{:<15}{}\n",
            word(f.status),
            f.check,
            f.summary
        ));
        details(f, &indent, &mut out);
    }
    let count = |status| findings.iter().filter(|f| f.status == status).count();
    let unknown = match count(Status::Unknown) {
        0 => String::new(),
        1 => " (1 check could not run)".into(),
        n => format!(" ({n} checks could not run)"),
    };
    out.push_str(&match count(Status::Problem) {
        0 => format!("No problem found{unknown}.\n"),
        1 => format!("1 problem found{unknown}.\n"),
        n => format!("{n} problems found{unknown}.\n"),
    });
    out
}

/// What is wrong or unknown, for stderr after a failed connection (empty when nothing is).
pub fn render_short(report: &Report) -> String {
    render_short_findings(&report.findings)
}

/// [`render_short`] for any findings.
pub fn render_short_findings(findings: &[Finding]) -> String {
    let mut out = String::new();
    for f in findings.iter().filter(|f| f.status != Status::Ok) {
        out.push_str(&format!(
            "ssmgo: doctor: {} ({}): {}\n",
            word(f.status),
            f.check,
            f.summary
        ));
        details(f, "  ", &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(findings: Vec<Finding>) -> Report {
        let problems = findings
            .iter()
            .filter(|f| f.status == Status::Problem)
            .count();
        Report {
            target: "web-1 (i-0abc)".into(),
            instance_id: "i-0abc".into(),
            region: "eu-west-1".into(),
            document: "SSM-SessionManagerRunShell".into(),
            findings,
            problems,
        }
    }

    #[test]
    fn a_report_reads_as_a_list_of_checks() {
        let r = report(vec![
            Finding::new("state", Status::Ok, "running"),
            Finding::new("network", Status::Problem, "no way out")
                .evidence(vec!["ssm: none".into()])
                .next("add an endpoint"),
        ]);
        assert_eq!(
            render(&r),
            "web-1 (i-0abc) in eu-west-1, for SSM-SessionManagerRunShell\n\
             \x20 ok       state          running\n\
             \x20 problem  network        no way out\n\
             \x20                         ssm: none\n\
             \x20                         next: add an endpoint\n\
             1 problem found.\n"
        );
        assert_eq!(
            render_short(&r),
            "ssmgo: doctor: problem (network): no way out\n  ssm: none\n  next: add an endpoint\n"
        );
    }
}
