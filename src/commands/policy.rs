//! `ssmgo policy eval|lint|fix`: the offline policy engine (crate ssmgo-policy) at the command
//! line. Policy contents are untrusted text: everything printed from them is sanitized.

use std::path::Path;

use serde_json::{json, Value};
use ssmgo_policy::fix::fix;
use ssmgo_policy::lint::{lint, Finding, Severity};
use ssmgo_policy::{Context, Decision, Evaluator, Policy, Request};

use crate::cli::{PolicyCommand, PolicyEvalArgs, PolicyFixArgs, PolicyLintArgs};
use crate::error::{Error, Result};
use crate::output::{write_json_value, write_text};
use crate::policy_report::{explanation_json, explanation_text, proof_text, PolicySets};

pub fn run(cmd: PolicyCommand) -> Result<()> {
    match cmd {
        PolicyCommand::Eval(args) => eval(args),
        PolicyCommand::Lint(args) => lint_files(args),
        PolicyCommand::Fix(args) => fix_file(args),
    }
}

/// IAM's largest policy document is 10,240 characters (a role's inline policies); a pretty-printed
/// one may be a few times that, a larger file is not a policy.
const MAX_POLICY_BYTES: u64 = 128 * 1024;

/// Reads and parses one policy file; unreadable or invalid JSON is an input error (exit 2).
pub fn load(path: &Path) -> Result<Policy> {
    let shown = path.display().to_string();
    let text =
        crate::paths::read_text_file(path, MAX_POLICY_BYTES).map_err(|e| Error::PolicyInput {
            path: shown.clone(),
            detail: e.to_string(),
            next: "Give a policy document: a regular file of UTF-8 JSON text, at most 128 KiB",
        })?;
    Policy::parse(&shown, &text).map_err(|e| Error::PolicyInput {
        path: shown.clone(),
        detail: format!("invalid JSON at {}:{}: {}", shown, e.pos, e.message),
        next: "Fix the JSON there (policies pasted from web pages often carry trailing commas or lost braces)",
    })
}

fn parse_context(pairs: &[String]) -> Result<Context> {
    let mut ctx = Context::new();
    for pair in pairs {
        let (k, v) = pair
            .split_once('=')
            .filter(|(k, _)| !k.is_empty())
            .ok_or_else(|| Error::BadInput {
                what: "--context",
                value: pair.clone(),
                reason: "expected KEY=VALUE, e.g. aws:ResourceTag/Env=dev".into(),
            })?;
        ctx.insert(k, v);
    }
    Ok(ctx)
}

/// A policy as `eval` takes it: one IAM would accept as a document. A duplicate key (IAM
/// rejects it; most parsers silently keep the last one) or a document that is not a policy
/// object (`null`, `[]`, `"x"`) is an input error, not a decision.
fn load_for_eval(path: &Path) -> Result<Policy> {
    let policy = load(path)?;
    let refuse = |detail: String| Error::PolicyInput {
        path: path.display().to_string(),
        detail,
        next: "IAM would reject this document; `ssmgo policy lint` lists every problem in it",
    };
    if let Some(d) = policy.duplicates.first() {
        return Err(refuse(format!(
            "the key {:?} appears twice, at {} and {}, and IAM rejects duplicate keys",
            d.key, d.first, d.second
        )));
    }
    if let Some(p) = policy
        .problems
        .iter()
        .find(|p| p.kind == ssmgo_policy::ProblemKind::Malformed)
    {
        return Err(refuse(format!("{} (at {})", p.message, p.pos)));
    }
    Ok(policy)
}

fn eval(args: PolicyEvalArgs) -> Result<()> {
    let identity: Vec<Policy> = args
        .policies
        .iter()
        .map(|p| load_for_eval(p))
        .collect::<Result<_>>()?;
    let boundary: Option<Vec<Policy>> = args
        .boundary
        .as_deref()
        .map(load_for_eval)
        .transpose()?
        .map(|b| vec![b]);
    let mut ctx = parse_context(&args.context)?;
    if let Some(p) = &args.principal {
        ctx.add_principal(p);
    }
    let req = Request::new(&args.action, &args.resource, &ctx);
    let explanation = Evaluator::new(&identity, boundary.as_deref()).explain(&req);
    let sets = PolicySets {
        identity: &identity,
        boundary: boundary.as_deref(),
    };
    if args.json {
        write_json_value(&explanation_json(
            &sets,
            &explanation,
            &args.action,
            &args.resource,
        ))?;
    } else {
        write_text(&explanation_text(
            &sets,
            &explanation,
            &args.action,
            &args.resource,
        ))?;
    }
    match explanation.decision {
        Decision::Allowed => Ok(()),
        d => Err(Error::PolicyDenied {
            decision: d.as_str(),
        }),
    }
}

fn lint_files(args: PolicyLintArgs) -> Result<()> {
    let mut all: Vec<(String, Finding)> = Vec::new();
    for path in &args.files {
        let policy = load(path)?;
        all.extend(lint(&policy).into_iter().map(|f| (policy.name.clone(), f)));
    }
    if args.json {
        let items: Vec<Value> = all
            .iter()
            .map(|(file, f)| {
                json!({
                    "file": file, "code": f.code, "severity": f.severity.as_str(),
                    "line": f.pos.line, "column": f.pos.column, "message": f.message, "fix": f.fix,
                })
            })
            .collect();
        write_json_value(&Value::Array(items))?;
    } else {
        let mut out = String::new();
        for (file, f) in &all {
            out.push_str(&format!(
                "{file}:{}:{}: {} {}: {}\n  fix: {}\n",
                f.pos.line,
                f.pos.column,
                f.severity.as_str(),
                f.code,
                f.message,
                f.fix
            ));
        }
        if all.is_empty() {
            crate::say!("ssmgo: no findings in {} file(s)", args.files.len());
        }
        write_text(&out)?;
    }
    let errors = all
        .iter()
        .filter(|(_, f)| f.severity == Severity::Error)
        .count();
    if errors > 0 {
        return Err(Error::LintErrors { count: errors });
    }
    Ok(())
}

fn fix_file(args: PolicyFixArgs) -> Result<()> {
    let policy = load(&args.file)?;
    let Some(fixed) = fix(&policy) else {
        crate::say!(
            "ssmgo: nothing to fix in {}: no statement allows ssm:StartSession on a session document, or ecs:ExecuteCommand on a cluster, under resource-tag conditions",
            policy.name
        );
        let original = std::fs::read_to_string(&args.file)
            .map_err(|e| Error::io("reading the policy again", e))?;
        return write_text(&original);
    };
    write_text(&format!("{}\n", fixed.text))?;
    crate::say!("{}", proof_text(&policy, &fixed));
    Ok(())
}
