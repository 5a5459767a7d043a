//! `ssmgo run`: a shell command on one instance or many through Run Command (SendCommand), its
//! output and real exit code coming back — what a Session Manager shell can't give a script.
//!
//! SSM runs the command with AWS's own concurrency rules (MaxConcurrency, MaxErrors) on up to 50
//! instances per SendCommand; more are sent 50 at a time, one batch after the other, and once more
//! than MaxErrors (a count) have failed, no further batch is sent. Results are read as each
//! instance finishes (GetCommandInvocation, whose output SSM cuts at 24,000 characters of stdout
//! and 8,000 of stderr: that is said, never hidden). Ctrl-C cancels the command where it still
//! runs (CancelCommand) and says where.

mod api;
mod report;

use std::cell::{Cell, RefCell};
use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;

use crate::aws::Aws;
use crate::error::{Error, Result};
use crate::fleet::{Instance, Origin};
use crate::signals;
pub use report::{prefixed, summary};

/// Instances per SendCommand (its InstanceIds limit).
const PER_COMMAND: usize = 50;
/// SSM's cuts of GetCommandInvocation's output (characters).
pub const STDOUT_CUT: usize = 24_000;
pub const STDERR_CUT: usize = 8_000;

/// The document that runs a shell command on this instance's platform.
pub fn document_for(instance: &Instance) -> &'static str {
    match instance.platform.as_deref() {
        Some(p) if p.to_ascii_lowercase().contains("windows") => "AWS-RunPowerShellScript",
        _ => "AWS-RunShellScript",
    }
}

/// What to run and how.
pub struct Plan {
    /// The script's lines (AWS-RunShellScript's `commands`).
    pub lines: Vec<String>,
    /// AWS's MaxConcurrency and MaxErrors: "N" or "N%".
    pub max_concurrency: String,
    pub max_errors: String,
    pub execution_timeout: Option<Duration>,
    /// Where SSM writes the whole output (bucket, key prefix), read back when SSM cut it.
    pub output_s3: Option<(String, String)>,
}

/// One instance's result. The serialized form is `run --json`'s.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub instance_id: String,
    pub name: Option<String>,
    /// Where the instance is, when several accounts, regions or profiles were searched: its
    /// `profile`, `account`, `account_name` and `region`, as in `list --json`.
    #[serde(flatten)]
    pub origin: Option<Arc<Origin>>,
    /// Success, Failed, TimedOut, Cancelled, or NotRun (never sent: not running, agent not
    /// Online, or the batch was not sent after too many errors).
    pub status: String,
    /// SSM's detailed status ("Execution Timed Out", "Terminated", …) or why it was not run.
    pub details: String,
    pub exit_code: Option<i32>,
    pub duration_secs: Option<f64>,
    pub stdout: String,
    pub stderr: String,
    /// SSM cut the output (24,000 characters of stdout, 8,000 of stderr).
    pub output_cut: bool,
}

impl Row {
    fn not_run(instance: &Instance, details: String) -> Row {
        Row {
            instance_id: instance.instance_id.clone(),
            name: instance.name.clone(),
            origin: instance.origin.clone(),
            status: "NotRun".into(),
            details,
            exit_code: None,
            duration_secs: None,
            stdout: String::new(),
            stderr: String::new(),
            output_cut: false,
        }
    }

    pub fn succeeded(&self) -> bool {
        self.status == "Success"
    }

    /// "web-1 (i-0abc…)" or the id.
    pub fn label(&self) -> String {
        match &self.name {
            Some(n) => format!("{n} ({})", self.instance_id),
            None => self.instance_id.clone(),
        }
    }
}

/// Why an instance can't be sent a command now, if it can't.
fn unreachable(instance: &Instance) -> Option<String> {
    if instance.state != "running" {
        return Some(format!("it is {}", instance.state));
    }
    if !instance.managed {
        return Some("it is not managed by SSM".into());
    }
    if !instance.is_online() {
        return Some(format!(
            "its SSM agent is {}",
            instance.ping_status.as_deref().unwrap_or("not registered")
        ));
    }
    None
}

/// How the run ended.
pub enum Ended {
    /// Every batch ran to the end.
    Done(Vec<Row>),
    /// Ctrl-C, or a stop signal (the one given): the command was cancelled where it still ran
    /// (those instances are named in the rows).
    Interrupted(Vec<Row>, i32),
}

/// The instances of one account/region, to be sent the command with its credentials.
pub struct Group<'a> {
    pub aws: &'a Aws,
    pub targets: Vec<Instance>,
}

/// What the groups of one run share: the run's concurrency bound (a count of instances at once,
/// across groups: each batch holds as many slots as it may run at once) and its error count.
struct Shared {
    slots: Option<tokio::sync::Semaphore>,
    errors: Cell<usize>,
}

/// Runs `plan` on every group's targets, the groups at once (one alone: its errors are the run's),
/// calling `on_done` with each instance's result as it comes.
pub async fn run(groups: &[Group<'_>], plan: &Plan, on_done: impl FnMut(&Row)) -> Result<Ended> {
    let on_done = RefCell::new(on_done);
    let report = |row: &Row| (on_done.borrow_mut())(row);
    let shared = Shared {
        slots: plan
            .max_concurrency
            .parse::<usize>()
            .ok()
            .filter(|_| groups.len() > 1)
            .map(|n| tokio::sync::Semaphore::new(n.max(1))),
        errors: Cell::new(0),
    };
    // Each group claims the stop signals before any starts: every one of them hears a stop.
    let runs = groups.iter().map(|group| {
        let stops = signals::claim(&signals::STOP);
        let (shared, report) = (&shared, &report);
        async move {
            let mut rows = Vec::new();
            let ended = run_group(group, plan, shared, stops, report, &mut rows).await;
            (rows, ended)
        }
    });
    let ended = futures::future::join_all(runs).await;
    let mut rows = Vec::new();
    let mut interrupted = None;
    for (group, (done, ended)) in groups.iter().zip(ended) {
        match ended {
            Ok(None) => {}
            Ok(Some(signal)) => interrupted = Some(signal),
            // One account/region alone: its failure is the run's.
            Err(e) if groups.len() == 1 => return Err(e),
            // One of several that failed: its targets without a result weren't run (as far as
            // ssmgo can tell); the others' results stand.
            Err(e) => {
                for t in &group.targets {
                    if done.iter().all(|r| r.instance_id != t.instance_id) {
                        let row = Row::not_run(t, format!("not run: {}", e.headline()));
                        report(&row);
                        rows.push(row);
                    }
                }
            }
        }
        rows.extend(done);
    }
    Ok(match interrupted {
        Some(signal) => Ended::Interrupted(rows, signal),
        None => Ended::Done(rows),
    })
}

/// One group's batches, one after the other, their rows into `rows`; the signal that stopped
/// them, if one did.
async fn run_group(
    group: &Group<'_>,
    plan: &Plan,
    shared: &Shared,
    mut stops: signals::Claim,
    on_done: &impl Fn(&Row),
    rows: &mut Vec<Row>,
) -> Result<Option<i32>> {
    let (aws, targets) = (group.aws, &group.targets);
    let mut ready: Vec<&Instance> = Vec::new();
    for t in targets {
        match unreachable(t) {
            Some(why) => {
                let row = Row::not_run(t, why);
                on_done(&row);
                rows.push(row);
            }
            None => ready.push(t),
        }
    }
    // One batch per document and 50 instances.
    let mut batches: Vec<(&'static str, Vec<&Instance>)> = Vec::new();
    for document in ["AWS-RunShellScript", "AWS-RunPowerShellScript"] {
        let mine: Vec<&Instance> = ready
            .iter()
            .copied()
            .filter(|i| document_for(i) == document)
            .collect();
        for chunk in mine.chunks(PER_COMMAND) {
            batches.push((document, chunk.to_vec()));
        }
    }
    let error_budget: Option<usize> = plan.max_errors.parse().ok();
    // Ctrl-C and the stop signals are the run's while commands may be running (claimed by the
    // caller): each cancels them, rather than leaving them running on the instances.
    for (n, (document, batch)) in batches.iter().enumerate() {
        if let Some(signal) = stops.try_recv() {
            for i in batches[n..].iter().flat_map(|(_, b)| b) {
                let mut row = Row::not_run(i, format!("not sent ({})", cause(signal)));
                row.status = "Cancelled".into();
                rows.push(row);
            }
            return Ok(Some(signal));
        }
        if error_budget.is_some_and(|budget| shared.errors.get() > budget) {
            for later in batches[n..].iter().flat_map(|(_, b)| b) {
                let row = Row::not_run(
                    later,
                    format!("not sent: more than {} failed", plan.max_errors),
                );
                on_done(&row);
                rows.push(row);
            }
            break;
        }
        let ids: Vec<String> = batch.iter().map(|i| i.instance_id.clone()).collect();
        // Held until the batch is done: at most max_concurrency instances run it at once in
        // the whole run (SSM's MaxConcurrency bounds each command by itself).
        let _slots = match &shared.slots {
            Some(slots) => {
                let wanted = u32::try_from(batch.len()).unwrap_or(u32::MAX);
                let held = wanted.min(u32::try_from(slots_total(plan)).unwrap_or(u32::MAX));
                Some(slots.acquire_many(held.max(1)).await.expect("never closed"))
            }
            None => None,
        };
        let command_id = api::send(
            aws,
            &api::Send {
                document,
                lines: &plan.lines,
                instance_ids: &ids,
                max_concurrency: &plan.max_concurrency,
                max_errors: &plan.max_errors,
                execution_timeout: plan.execution_timeout.map(|d| d.as_secs().max(1)),
                output_s3: plan
                    .output_s3
                    .as_ref()
                    .map(|(b, p)| (b.as_str(), p.as_str())),
            },
        )
        .await?;
        let mut done: Vec<String> = Vec::new();
        let mut pause = Duration::from_millis(250);
        loop {
            let states = api::states(aws, &command_id).await?;
            for s in states.iter().filter(|s| s.finished) {
                if done.contains(&s.instance_id) {
                    continue;
                }
                let row = result_row(aws, plan, &command_id, batch, &s.instance_id).await?;
                let failed = matches!(row.status.as_str(), "Failed" | "TimedOut");
                shared.errors.set(shared.errors.get() + usize::from(failed));
                on_done(&row);
                rows.push(row);
                done.push(s.instance_id.clone());
            }
            if !states.is_empty() && states.iter().all(|s| s.finished) {
                break;
            }
            tokio::select! {
                _ = tokio::time::sleep(pause) => {}
                signal = stops.recv() => {
                    let running: Vec<String> = states
                        .iter()
                        .filter(|s| !s.finished)
                        .map(|s| s.instance_id.clone())
                        .collect();
                    api::cancel(aws, &command_id).await?;
                    let names: Vec<String> = batch
                        .iter()
                        .filter(|i| running.contains(&i.instance_id))
                        .map(|i| i.label())
                        .collect();
                    let said = match signal {
                        libc::SIGINT => "interrupted".to_owned(),
                        signal => format!("told to stop ({})", crate::error::signal_name(signal)),
                    };
                    crate::say!(
                        "ssmgo: {said}: cancelled the command where it still ran ({})",
                        names.join(", ")
                    );
                    for i in batches[n..].iter().flat_map(|(_, b)| b) {
                        if !done.contains(&i.instance_id) {
                            let why = match running.contains(&i.instance_id) {
                                true => format!("cancelled ({}) while it ran", cause(signal)),
                                false => format!("not sent ({})", cause(signal)),
                            };
                            let mut row = Row::not_run(i, why);
                            row.status = "Cancelled".into();
                            rows.push(row);
                        }
                    }
                    return Ok(Some(signal));
                }
            }
            pause = (pause * 2).min(Duration::from_secs(2));
        }
    }
    Ok(None)
}

/// The run's bound as a count of instances (its MaxConcurrency when that is a count).
fn slots_total(plan: &Plan) -> usize {
    plan.max_concurrency
        .parse::<usize>()
        .unwrap_or(usize::MAX)
        .max(1)
}

/// What stopped the run, in a row's details: "Ctrl-C", "SIGTERM".
fn cause(signal: i32) -> String {
    match signal {
        libc::SIGINT => "Ctrl-C".into(),
        signal => crate::error::signal_name(signal),
    }
}

async fn result_row(
    aws: &Aws,
    plan: &Plan,
    command_id: &str,
    batch: &[&Instance],
    instance_id: &str,
) -> Result<Row> {
    let mut out = api::output(aws, command_id, instance_id).await?;
    let instance = batch.iter().find(|i| i.instance_id == instance_id);
    let name = instance.and_then(|i| i.name.clone());
    let origin = instance.and_then(|i| i.origin.clone());
    let cut = |text: &str, limit| text.chars().count() >= limit;
    let mut output_cut = cut(&out.stdout, STDOUT_CUT) || cut(&out.stderr, STDERR_CUT);
    if let (true, Some((bucket, _))) = (output_cut, &plan.output_s3) {
        // The whole of it, from where SSM wrote it.
        let whole = |url: &Option<String>| {
            let key = url.as_deref().and_then(|u| api::object_key(u, bucket));
            async move {
                match key {
                    Some(key) => Some(api::object_text(aws, bucket, &key).await),
                    None => None,
                }
            }
        };
        let (stdout, stderr) = tokio::join!(whole(&out.stdout_url), whole(&out.stderr_url));
        let mut read_all = true;
        for (fetched, text, limit) in [
            (stdout, &mut out.stdout, STDOUT_CUT),
            (stderr, &mut out.stderr, STDERR_CUT),
        ] {
            match fetched {
                Some(Ok(whole)) => *text = whole,
                Some(Err(e)) => {
                    read_all = false;
                    crate::say!(
                        "ssmgo: the whole output of {instance_id} could not be read from s3://{bucket}: {}",
                        e.headline()
                    );
                }
                None => read_all &= !cut(text, limit),
            }
        }
        output_cut = !read_all;
    }
    Ok(Row {
        instance_id: instance_id.to_owned(),
        name,
        origin,
        exit_code: (out.code >= 0).then_some(out.code),
        status: out.status,
        details: out.details,
        duration_secs: out.seconds,
        stdout: out.stdout,
        stderr: out.stderr,
        output_cut,
    })
}

/// The exit status for a single target's run: the remote command's own.
pub fn single_exit(row: &Row) -> Result<()> {
    match (row.status.as_str(), row.exit_code) {
        ("Success", _) => Ok(()),
        (_, Some(code)) if code > 0 => Err(Error::RemoteExit {
            code: code.min(255),
        }),
        // Never sent: the instance can't take commands now (exit 4, as for a session's target).
        ("NotRun", _) => Err(Error::NotConnectable {
            target: row.label(),
            reason: row.details.clone(),
            next: format!("`ssmgo doctor {}` says why", row.instance_id),
        }),
        _ => Err(Error::RunFailed {
            failed: format!("on {}: {} ({})", row.label(), row.status, row.details),
        }),
    }
}
