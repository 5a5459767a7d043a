//! Evaluation: explicit Deny beats Allow beats the implicit deny; a permissions boundary must
//! allow too. Two paths: [`Evaluator::decide`] (no allocation per statement, for speed) and
//! [`Evaluator::explain`] (which statements decided, and why the near misses missed).

use crate::context::Context;
use crate::pattern::ArnGlob;
use crate::policy::{Effect, Policy, Statement};

/// AWS's three outcomes, in its own words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allowed,
    ExplicitDeny,
    ImplicitDeny,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Allowed => "allowed",
            Decision::ExplicitDeny => "explicitDeny",
            Decision::ImplicitDeny => "implicitDeny",
        }
    }
}

/// One request to authorize.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    action_lower: String,
    pub action: &'a str,
    pub resource: &'a str,
    pub context: &'a Context,
}

impl<'a> Request<'a> {
    pub fn new(action: &'a str, resource: &'a str, context: &'a Context) -> Request<'a> {
        Request {
            action_lower: action.to_ascii_lowercase(),
            action,
            resource,
            context,
        }
    }
}

/// Which statement: policy index in its set, statement index (0-based), and whether the set is
/// the permissions boundary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatementRef {
    pub boundary: bool,
    pub policy: usize,
    pub statement: usize,
}

/// A statement whose action matched but whose resource or conditions did not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NearMiss {
    pub at: StatementRef,
    pub failed: Vec<String>,
}

/// A decision with its reasons.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    pub decision: Decision,
    /// The statements that decided: the Deny statements for an explicit deny, the Allow
    /// statements for an allow; empty for an implicit deny.
    pub matched: Vec<StatementRef>,
    /// Allow statements that nearly applied (only when not allowed).
    pub near_misses: Vec<NearMiss>,
    /// Identity policies allowed it, the permissions boundary did not.
    pub denied_by_boundary: bool,
}

/// The identity-based policies of a principal, and its permissions boundary if it has one.
#[derive(Debug, Clone, Copy)]
pub struct Evaluator<'p> {
    pub identity: &'p [Policy],
    pub boundary: Option<&'p [Policy]>,
}

impl<'p> Evaluator<'p> {
    pub fn new(identity: &'p [Policy], boundary: Option<&'p [Policy]>) -> Evaluator<'p> {
        Evaluator { identity, boundary }
    }

    /// The decision alone.
    pub fn decide(&self, req: &Request) -> Decision {
        let identity = set_effect(self.identity, req);
        let boundary = self.boundary.map(|b| set_effect(b, req));
        combine(identity, boundary)
    }

    /// The decision and why.
    pub fn explain(&self, req: &Request) -> Explanation {
        let id = explain_set(self.identity, false, req);
        let bd = self.boundary.map(|b| explain_set(b, true, req));
        let denies: Vec<StatementRef> = id
            .denies
            .iter()
            .chain(bd.iter().flat_map(|b| &b.denies))
            .copied()
            .collect();
        if !denies.is_empty() {
            return Explanation {
                decision: Decision::ExplicitDeny,
                matched: denies,
                near_misses: Vec::new(),
                denied_by_boundary: false,
            };
        }
        let boundary_allows = bd.as_ref().is_none_or(|b| !b.allows.is_empty());
        if !id.allows.is_empty() && boundary_allows {
            return Explanation {
                decision: Decision::Allowed,
                matched: id.allows,
                near_misses: Vec::new(),
                denied_by_boundary: false,
            };
        }
        let denied_by_boundary = !id.allows.is_empty();
        let near_misses = if denied_by_boundary {
            bd.map(|b| b.near).unwrap_or_default()
        } else {
            id.near
        };
        Explanation {
            decision: Decision::ImplicitDeny,
            matched: Vec::new(),
            near_misses,
            denied_by_boundary,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum SetEffect {
    Deny,
    Allow,
    Nothing,
}

fn set_effect(policies: &[Policy], req: &Request) -> SetEffect {
    let mut allowed = false;
    for p in policies {
        let vars = p.version.variables_enabled();
        for st in &p.statements {
            match st.effect {
                Effect::Deny if applies(st, req, vars) => return SetEffect::Deny,
                Effect::Allow if !allowed && applies(st, req, vars) => allowed = true,
                _ => {}
            }
        }
    }
    if allowed {
        SetEffect::Allow
    } else {
        SetEffect::Nothing
    }
}

fn combine(identity: SetEffect, boundary: Option<SetEffect>) -> Decision {
    match (identity, boundary) {
        (SetEffect::Deny, _) | (_, Some(SetEffect::Deny)) => Decision::ExplicitDeny,
        (SetEffect::Allow, None | Some(SetEffect::Allow)) => Decision::Allowed,
        _ => Decision::ImplicitDeny,
    }
}

fn action_matches(st: &Statement, req: &Request) -> bool {
    match &st.actions {
        Some(a) => a.globs.iter().any(|g| g.matches(&req.action_lower)) != a.negated,
        None => false,
    }
}

fn resource_matches(st: &Statement, req: &Request, vars: bool) -> bool {
    let Some(r) = &st.resources else { return false };
    let hit = r
        .globs
        .iter()
        .zip(&r.templates)
        .any(|(glob, template)| match glob {
            Some(g) => g.matches(req.resource),
            None if vars => match template.toks(req.context) {
                Ok(toks) => ArnGlob::from_toks(toks).matches(req.resource),
                Err(_) => false,
            },
            None => false,
        });
    hit != r.negated
}

/// True when the statement applies to the request (its effect aside).
pub(crate) fn applies(st: &Statement, req: &Request, vars: bool) -> bool {
    action_matches(st, req)
        && resource_matches(st, req, vars)
        && st.conditions.iter().all(|c| c.holds(req.context))
}

/// None when the statement doesn't concern the request's action; otherwise what failed (empty:
/// it applies).
pub(crate) fn failures(st: &Statement, req: &Request, vars: bool) -> Option<Vec<String>> {
    if matches!(st.effect, Effect::Invalid(_)) || !action_matches(st, req) {
        return None;
    }
    let mut failed = Vec::new();
    if !resource_matches(st, req, vars) {
        let r = st.resources.as_ref();
        failed.push(match r {
            None => "the statement has no Resource".to_owned(),
            Some(r) if r.negated => format!(
                "NotResource: {:?} is excluded by {}",
                req.resource,
                quoted(&r.patterns)
            ),
            Some(r) => {
                let unresolved: Vec<&str> = r
                    .templates
                    .iter()
                    .filter(|t| t.has_vars && t.toks(req.context).is_err())
                    .flat_map(|t| t.var_names())
                    .collect();
                let mut text = format!(
                    "Resource: {:?} matches none of {}",
                    req.resource,
                    quoted(&r.patterns)
                );
                if !unresolved.is_empty() {
                    text.push_str(&format!(
                        " (policy variable {} has no value in the request)",
                        unresolved.join(", ")
                    ));
                }
                text
            }
        });
    }
    failed.extend(st.conditions.iter().filter_map(|c| c.failure(req.context)));
    Some(failed)
}

fn quoted(items: &[String]) -> String {
    items
        .iter()
        .map(|i| format!("{i:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

struct SetExplanation {
    denies: Vec<StatementRef>,
    allows: Vec<StatementRef>,
    near: Vec<NearMiss>,
}

fn explain_set(policies: &[Policy], boundary: bool, req: &Request) -> SetExplanation {
    let mut out = SetExplanation {
        denies: Vec::new(),
        allows: Vec::new(),
        near: Vec::new(),
    };
    for (pi, p) in policies.iter().enumerate() {
        let vars = p.version.variables_enabled();
        for st in &p.statements {
            let at = StatementRef {
                boundary,
                policy: pi,
                statement: st.index,
            };
            match (failures(st, req, vars), &st.effect) {
                (Some(f), Effect::Deny) if f.is_empty() => out.denies.push(at),
                (Some(f), Effect::Allow) if f.is_empty() => out.allows.push(at),
                (Some(failed), Effect::Allow) => out.near.push(NearMiss { at, failed }),
                _ => {}
            }
        }
    }
    out
}
