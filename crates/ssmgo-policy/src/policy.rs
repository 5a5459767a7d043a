//! Policy documents as IAM reads them: statements with positions, patterns compiled once, and
//! every shape problem recorded (for lint) instead of aborting.

use crate::condition::Condition;
use crate::json::{self, Json, Node, Pos};
use crate::pattern::{ArnGlob, Glob};
use crate::vars::Template;

/// The policy language version, which decides whether `${…}` are variables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Version {
    V2012_10_17,
    V2008_10_17,
    Missing,
    Other(String),
}

impl Version {
    pub fn variables_enabled(&self) -> bool {
        *self == Version::V2012_10_17
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    Allow,
    Deny,
    /// Anything else: IAM rejects the policy; such a statement never applies here.
    Invalid(String),
}

/// Action or NotAction.
#[derive(Debug, Clone)]
pub struct Actions {
    pub negated: bool,
    pub patterns: Vec<String>,
    pub(crate) globs: Vec<Glob>,
    pub pos: Pos,
}

/// Resource or NotResource.
#[derive(Debug, Clone)]
pub struct Resources {
    pub negated: bool,
    pub patterns: Vec<String>,
    pub(crate) templates: Vec<Template>,
    /// Compiled once when the pattern has no variables.
    pub(crate) globs: Vec<Option<ArnGlob>>,
    pub pos: Pos,
}

#[derive(Debug, Clone)]
pub struct Statement {
    /// 0-based position in the Statement list.
    pub index: usize,
    pub sid: Option<String>,
    pub effect: Effect,
    pub actions: Option<Actions>,
    pub resources: Option<Resources>,
    pub conditions: Vec<Condition>,
    /// Where the statement's object starts.
    pub pos: Pos,
}

/// Something IAM would reject or that can never match, found while reading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub kind: ProblemKind,
    pub pos: Pos,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemKind {
    UnknownOperator,
    UnknownEffect,
    MissingAction,
    MissingResource,
    Malformed,
}

/// One policy document.
#[derive(Debug, Clone)]
pub struct Policy {
    /// How the policy is named in messages (file name, or IAM's policy name).
    pub name: String,
    pub version: Version,
    pub statements: Vec<Statement>,
    pub duplicates: Vec<json::Duplicate>,
    pub problems: Vec<Problem>,
    /// The document as parsed, for rewriting (fix).
    pub root: Node,
}

impl Policy {
    /// Reads a policy document. Only unreadable JSON is an error; everything else is recorded
    /// in `problems` / `duplicates`.
    pub fn parse(name: &str, text: &str) -> Result<Policy, json::ParseError> {
        let doc = json::parse(text)?;
        Ok(Policy::from_document(name, doc))
    }

    pub fn from_document(name: &str, doc: json::Document) -> Policy {
        let mut problems = Vec::new();
        let root = doc.root;
        let version = match root.get("Version") {
            None => Version::Missing,
            Some(v) => match v.as_str() {
                Some("2012-10-17") => Version::V2012_10_17,
                Some("2008-10-17") => Version::V2008_10_17,
                Some(other) => Version::Other(other.to_owned()),
                None => Version::Other(String::new()),
            },
        };
        let vars = version.variables_enabled();
        let mut statements = Vec::new();
        if !matches!(root.value, Json::Object(_)) {
            problems.push(Problem {
                kind: ProblemKind::Malformed,
                pos: root.pos,
                message: "a policy is a JSON object with Version and Statement".into(),
            });
        }
        match root.get("Statement") {
            None => problems.push(Problem {
                kind: ProblemKind::Malformed,
                pos: root.pos,
                message: "the policy has no Statement".into(),
            }),
            Some(node) => {
                let items: Vec<&Node> = match &node.value {
                    Json::Array(items) => items.iter().collect(),
                    Json::Object(_) => vec![node],
                    _ => {
                        problems.push(Problem {
                            kind: ProblemKind::Malformed,
                            pos: node.pos,
                            message: "Statement must be an object or a list of objects".into(),
                        });
                        Vec::new()
                    }
                };
                for (index, item) in items.into_iter().enumerate() {
                    statements.push(read_statement(index, item, vars, &mut problems));
                }
            }
        }
        Policy {
            name: name.to_owned(),
            version,
            statements,
            duplicates: doc.duplicates,
            problems,
            root,
        }
    }
}

fn read_statement(index: usize, node: &Node, vars: bool, problems: &mut Vec<Problem>) -> Statement {
    let mut st = Statement {
        index,
        sid: node.get("Sid").and_then(Node::as_str).map(str::to_owned),
        effect: Effect::Invalid(String::new()),
        actions: None,
        resources: None,
        conditions: Vec::new(),
        pos: node.pos,
    };
    if !matches!(node.value, Json::Object(_)) {
        problems.push(Problem {
            kind: ProblemKind::Malformed,
            pos: node.pos,
            message: format!("statement {} is not a JSON object", index + 1),
        });
        return st;
    }
    st.effect = match node.get("Effect").map(|e| (e.as_str(), e.pos)) {
        Some((Some("Allow"), _)) => Effect::Allow,
        Some((Some("Deny"), _)) => Effect::Deny,
        Some((other, pos)) => {
            let text = other.unwrap_or("").to_owned();
            problems.push(Problem {
                kind: ProblemKind::UnknownEffect,
                pos,
                message: format!("Effect must be \"Allow\" or \"Deny\" (exactly), not {text:?}"),
            });
            Effect::Invalid(text)
        }
        None => {
            problems.push(Problem {
                kind: ProblemKind::UnknownEffect,
                pos: node.pos,
                message: "the statement has no Effect".into(),
            });
            Effect::Invalid(String::new())
        }
    };
    let action = node.get("Action").map(|n| (false, n));
    let not_action = node.get("NotAction").map(|n| (true, n));
    match action.or(not_action) {
        Some((negated, n)) => {
            let patterns = strings(n, if negated { "NotAction" } else { "Action" }, problems);
            st.actions = Some(Actions {
                negated,
                globs: patterns
                    .iter()
                    .map(|p| Glob::new(&p.to_ascii_lowercase()))
                    .collect(),
                patterns,
                pos: n.pos,
            });
        }
        None => problems.push(Problem {
            kind: ProblemKind::MissingAction,
            pos: node.pos,
            message: "the statement has neither Action nor NotAction".into(),
        }),
    }
    let resource = node.get("Resource").map(|n| (false, n));
    let not_resource = node.get("NotResource").map(|n| (true, n));
    match resource.or(not_resource) {
        Some((negated, n)) => {
            let patterns = strings(
                n,
                if negated { "NotResource" } else { "Resource" },
                problems,
            );
            let templates: Vec<Template> =
                patterns.iter().map(|p| Template::parse(p, vars)).collect();
            let no_context = crate::Context::new();
            let globs = templates
                .iter()
                .map(|t| {
                    // Without variables the tokens don't depend on the request: compile once.
                    (!t.has_vars).then(|| {
                        ArnGlob::from_toks(t.toks(&no_context).expect("no variables to resolve"))
                    })
                })
                .collect();
            st.resources = Some(Resources {
                negated,
                patterns,
                templates,
                globs,
                pos: n.pos,
            });
        }
        None => problems.push(Problem {
            kind: ProblemKind::MissingResource,
            pos: node.pos,
            message:
                "the statement has neither Resource nor NotResource (identity policies need one)"
                    .into(),
        }),
    }
    if let Some(cond) = node.get("Condition") {
        match &cond.value {
            Json::Object(ops) => {
                for op in ops {
                    match &op.value.value {
                        Json::Object(keys) => {
                            for key in keys {
                                let values = strings(&key.value, "a condition value", problems);
                                let c = Condition::new(
                                    &op.key,
                                    op.key_pos,
                                    &key.key,
                                    key.key_pos,
                                    values,
                                    vars,
                                );
                                if c.operator.is_none() {
                                    let hint = match crate::condition::Operator::parse(&op.key) {
                                        Err(Some(s)) => format!("; did you mean {s}?"),
                                        _ => String::new(),
                                    };
                                    problems.push(Problem {
                                        kind: ProblemKind::UnknownOperator,
                                        pos: op.key_pos,
                                        message: format!(
                                            "unknown condition operator {:?}{hint}",
                                            op.key
                                        ),
                                    });
                                }
                                st.conditions.push(c);
                            }
                        }
                        _ => problems.push(Problem {
                            kind: ProblemKind::Malformed,
                            pos: op.value.pos,
                            message: format!(
                                "the {:?} block must be an object of condition keys",
                                op.key
                            ),
                        }),
                    }
                }
            }
            _ => problems.push(Problem {
                kind: ProblemKind::Malformed,
                pos: cond.pos,
                message: "Condition must be an object".into(),
            }),
        }
    }
    // Several unknown-operator problems for one operator block are one problem.
    problems.dedup();
    st
}

/// A string or a list of strings (numbers and booleans are read as their text, as IAM does in
/// condition values).
fn strings(node: &Node, what: &str, problems: &mut Vec<Problem>) -> Vec<String> {
    let one = |n: &Node, problems: &mut Vec<Problem>| match &n.value {
        Json::String(s) => Some(s.clone()),
        Json::Number(s) => Some(s.clone()),
        Json::Bool(b) => Some(b.to_string()),
        _ => {
            problems.push(Problem {
                kind: ProblemKind::Malformed,
                pos: n.pos,
                message: format!("{what} must be a string or a list of strings"),
            });
            None
        }
    };
    match &node.value {
        Json::Array(items) => items.iter().filter_map(|i| one(i, problems)).collect(),
        _ => one(node, problems).into_iter().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_statement_object_or_list_is_read_with_positions() {
        let p = Policy::parse(
            "p.json",
            r#"{"Version": "2012-10-17",
  "Statement": {"Sid": "A", "Effect": "Allow", "Action": "ssm:StartSession", "Resource": ["*"]}}"#,
        )
        .unwrap();
        assert_eq!(p.version, Version::V2012_10_17);
        assert_eq!(p.statements.len(), 1);
        let st = &p.statements[0];
        assert_eq!(st.sid.as_deref(), Some("A"));
        assert_eq!(st.effect, Effect::Allow);
        assert_eq!((st.pos.line, st.pos.column), (2, 16));
        assert!(p.problems.is_empty(), "{:?}", p.problems);
    }

    #[test]
    fn shape_problems_are_recorded_not_fatal() {
        let p = Policy::parse(
            "p.json",
            r#"{"Statement": [{"Effect": "allow", "Condition": {"StringEqual": {"k": "v"}}}]}"#,
        )
        .unwrap();
        let kinds: Vec<ProblemKind> = p.problems.iter().map(|x| x.kind).collect();
        assert!(kinds.contains(&ProblemKind::UnknownEffect));
        assert!(kinds.contains(&ProblemKind::MissingAction));
        assert!(kinds.contains(&ProblemKind::MissingResource));
        assert!(kinds.contains(&ProblemKind::UnknownOperator));
        assert_eq!(p.version, Version::Missing);
    }

    #[test]
    fn condition_values_may_be_numbers_or_booleans() {
        let p = Policy::parse(
            "p",
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":true},"NumericLessThan":{"s3:max-keys":[10, 20]}}}}"#,
        )
        .unwrap();
        let c = &p.statements[0].conditions;
        assert_eq!(c[0].values, ["true"]);
        assert_eq!(c[1].values, ["10", "20"]);
    }
}
