//! An offline IAM policy engine for identity-based policies and permissions boundaries: a
//! position-keeping parser, an evaluator that explains its decisions (which statement decided,
//! which condition failed and why), a linter and a fixer for the Session Manager document/tag
//! mistake.
//!
//! It knows nothing about the AWS SDK, the terminal or the command line: callers hand it policy
//! texts and requests and get plain data back.

pub mod condition;
pub mod context;
pub mod depends;
pub mod eval;
pub mod fix;
pub mod json;
pub mod lint;
mod pattern;
pub mod policy;
mod vars;

pub use context::Context;

/// Whether `text` matches `pattern`, where `*` is any run of characters and `?` one: IAM's
/// wildcards, for callers that match other names the same way (ssmgo's profile globs).
pub fn wildcard_matches(pattern: &str, text: &str) -> bool {
    pattern::Glob::new(pattern).matches(text)
}
pub use eval::{Decision, Evaluator, Explanation, NearMiss, Request, StatementRef};
pub use policy::{Effect, Policy, ProblemKind, Statement, Version};
