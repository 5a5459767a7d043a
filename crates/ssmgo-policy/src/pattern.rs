//! IAM wildcards: `*` (any run of characters) and `?` (one character), compiled once.
//!
//! Resource patterns are matched per ARN segment, as the IAM User Guide (Resource element) says:
//! a wildcard stays inside its segment, except a `*` that is the last character of a segment,
//! which can expand beyond the colons (`arn:aws:ssm:*` covers every SSM ARN). In the resource
//! part `*` crosses `/` and `:`. An empty account segment (AWS-owned documents) matches only an
//! empty account; `*` matches it too.
//!
//! The ARN condition operators follow a stricter rule of their own page (Condition operators):
//! each of the six components is compared on its own and no `*` reaches past its colon
//! (`arn_condition_matches`). The two rules are kept apart because they differ, and a Resource
//! pattern's looser `*` in a condition would allow what IAM does not.

/// One piece of a compiled pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Tok {
    Lit(String),
    Star,
    One,
}

/// Tokens for text whose `*` and `?` are wildcards. The text pieces of policy variables
/// (vars.rs) are tokenized here too, so the wildcard rules stay in this one file.
pub(crate) fn wildcard_toks(text: &str) -> Vec<Tok> {
    let mut toks = Vec::new();
    let mut lit = String::new();
    for c in text.chars() {
        match c {
            '*' | '?' => {
                if !lit.is_empty() {
                    toks.push(Tok::Lit(std::mem::take(&mut lit)));
                }
                toks.push(if c == '*' { Tok::Star } else { Tok::One });
            }
            c => lit.push(c),
        }
    }
    if !lit.is_empty() {
        toks.push(Tok::Lit(lit));
    }
    toks
}

/// A compiled wildcard pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Glob {
    /// No wildcard: plain comparison.
    Exact(String),
    /// `prefix*`: the most common shape in policies.
    Prefix(String),
    /// `*` alone.
    Any,
    General(Vec<Tok>),
}

impl Glob {
    /// Compiles `pattern`, where `*` and `?` are wildcards.
    pub fn new(pattern: &str) -> Glob {
        Glob::from_toks(wildcard_toks(pattern))
    }

    /// From tokens (policy variables may yield literal `*` and `?`).
    pub fn from_toks(mut toks: Vec<Tok>) -> Glob {
        // Merge adjacent literals and collapse runs of stars.
        let mut merged: Vec<Tok> = Vec::with_capacity(toks.len());
        for t in toks.drain(..) {
            match (merged.last_mut(), t) {
                (Some(Tok::Lit(a)), Tok::Lit(b)) => a.push_str(&b),
                (Some(Tok::Star), Tok::Star) => {}
                (_, t) => merged.push(t),
            }
        }
        match merged.as_slice() {
            [] => Glob::Exact(String::new()),
            [Tok::Lit(s)] => Glob::Exact(s.clone()),
            [Tok::Star] => Glob::Any,
            [Tok::Lit(s), Tok::Star] => Glob::Prefix(s.clone()),
            _ => Glob::General(merged),
        }
    }

    pub fn matches(&self, text: &str) -> bool {
        match self {
            Glob::Exact(s) => s == text,
            Glob::Prefix(p) => text.starts_with(p.as_str()),
            Glob::Any => true,
            Glob::General(toks) => match_toks(toks, text),
        }
    }
}

/// Iterative wildcard matching with backtracking to the last star: linear in practice, no
/// recursion, no allocation.
fn match_toks(toks: &[Tok], text: &str) -> bool {
    let (mut ti, mut si) = (0usize, 0usize); // token index, byte index in text
    let mut star: Option<(usize, usize)> = None; // (token after the star, text position)
    loop {
        if ti < toks.len() {
            match &toks[ti] {
                Tok::Star => {
                    star = Some((ti + 1, si));
                    ti += 1;
                    continue;
                }
                Tok::One => {
                    if let Some(c) = text[si..].chars().next() {
                        si += c.len_utf8();
                        ti += 1;
                        continue;
                    }
                }
                Tok::Lit(l) => {
                    if text[si..].starts_with(l.as_str()) {
                        si += l.len();
                        ti += 1;
                        continue;
                    }
                }
            }
        } else if si == text.len() {
            return true;
        }
        // Mismatch: let the last star swallow one more character.
        match star {
            Some((after, from)) => match text[from..].chars().next() {
                Some(c) => {
                    let from = from + c.len_utf8();
                    star = Some((after, from));
                    ti = after;
                    si = from;
                }
                None => return false,
            },
            None => return false,
        }
    }
}

/// A Resource / NotResource pattern, matched per ARN segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ArnGlob {
    /// Colon-separated segments, each matched on its own. A segment whose last character is `*`
    /// may take colons too (then the next segments match what follows); the sixth (the
    /// resource) takes the rest of the value, which may itself contain colons. A shorter pattern
    /// whose last segment does not end in `*` only matches a value with as many segments.
    Arn(Vec<Segment>),
    /// Anything else (`*`, or text that is no ARN): one pattern over the whole value.
    Whole(Glob),
}

/// One segment of an ARN pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Segment {
    glob: Glob,
    /// Ends with `*`: may expand beyond the colon.
    open: bool,
}

impl ArnGlob {
    /// The engine compiles Resource patterns from tokens (policy variables); tests write text.
    #[cfg(test)]
    pub fn new(pattern: &str) -> ArnGlob {
        Self::from_toks(wildcard_toks(pattern))
    }

    pub fn from_toks(toks: Vec<Tok>) -> ArnGlob {
        let segs = split_toks(&toks);
        if segs.len() >= 2 && starts_with_arn(&segs[0]) {
            ArnGlob::Arn(
                segs.into_iter()
                    .map(|toks| Segment {
                        open: matches!(toks.last(), Some(Tok::Star)),
                        glob: Glob::from_toks(toks),
                    })
                    .collect(),
            )
        } else {
            ArnGlob::Whole(Glob::from_toks(toks))
        }
    }

    pub fn matches(&self, resource: &str) -> bool {
        match self {
            ArnGlob::Whole(g) => g.matches(resource),
            ArnGlob::Arn(segs) => match_segments(segs, resource, segs.len() == 6),
        }
    }
}

/// Matches `value` against `segs`; `last_takes_rest` when the pattern has all six segments.
fn match_segments(segs: &[Segment], value: &str, last_takes_rest: bool) -> bool {
    let Some((seg, rest)) = segs.split_first() else {
        return value.is_empty();
    };
    if rest.is_empty() {
        let whole = last_takes_rest || seg.open || !value.contains(':');
        return whole && seg.glob.matches(value);
    }
    // Where this segment may end: at the next colon, or (open) at any later colon.
    let mut ends = value.match_indices(':').map(|(i, _)| i);
    let candidates: Vec<usize> = if seg.open {
        ends.collect()
    } else {
        ends.next().into_iter().collect()
    };
    candidates.into_iter().any(|end| {
        seg.glob.matches(&value[..end]) && match_segments(rest, &value[end + 1..], last_takes_rest)
    })
}

/// Whether the request's `value` is like the policy's `pattern` for ArnEquals and ArnLike (the
/// Not forms negate it). The IAM User Guide (Condition operators, "Amazon Resource Name (ARN)
/// condition operators"): "Each of the six colon-delimited components of the ARN is checked
/// separately and each can include multi-character match wildcards (*) or single-character match
/// wildcards (?)". So, unlike in the Resource element, a `*` never takes a colon before the
/// sixth component. The sixth is everything after the fifth colon: resource ids may hold colons
/// themselves (the ARN format's `resource-type:resource-id:qualifier`), and there `*` spans them.
///
/// The documentation says nothing of a pattern with fewer than six components (`arn:aws:ssm:*`,
/// `*`): it has no components to check against the ARN's, so we read it as matching no ARN
/// rather than carry the Resource element's widening `*` over. Nor of a request value that is
/// no ARN (not `arn:` and six components): it is never like one. The Not forms, documented only
/// as the negation, then hold: the conservative reading for their usual place, a Deny guardrail
/// (`ArnNotLike aws:PrincipalArn …`), which a malformed value then can't slip past.
pub(crate) fn arn_condition_matches(pattern: &str, value: &str) -> bool {
    match (arn_components(pattern), arn_components(value)) {
        (Some(p), Some(v)) if v[0] == "arn" => {
            p.iter().zip(&v).all(|(p, v)| Glob::new(p).matches(v))
        }
        _ => false,
    }
}

/// The six colon-delimited components, the last taking the rest; None with fewer.
pub(crate) fn arn_components(text: &str) -> Option<[&str; 6]> {
    let mut parts = text.splitn(6, ':');
    let mut out = [""; 6];
    for slot in &mut out {
        *slot = parts.next()?;
    }
    Some(out)
}

fn starts_with_arn(toks: &[Tok]) -> bool {
    matches!(toks, [Tok::Lit(s)] if s == "arn")
}

/// Splits tokens at the first five literal colons.
fn split_toks(toks: &[Tok]) -> Vec<Vec<Tok>> {
    let mut segs: Vec<Vec<Tok>> = vec![Vec::new()];
    for t in toks {
        match t {
            Tok::Lit(s) if segs.len() < 6 => {
                let mut rest = s.as_str();
                while segs.len() < 6 {
                    match rest.find(':') {
                        Some(i) => {
                            if i > 0 {
                                segs.last_mut()
                                    .unwrap()
                                    .push(Tok::Lit(rest[..i].to_owned()));
                            }
                            segs.push(Vec::new());
                            rest = &rest[i + 1..];
                        }
                        None => break,
                    }
                }
                if !rest.is_empty() {
                    segs.last_mut().unwrap().push(Tok::Lit(rest.to_owned()));
                }
            }
            t => segs.last_mut().unwrap().push(t.clone()),
        }
    }
    segs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stars_and_question_marks() {
        let m = |p: &str, t: &str| Glob::new(p).matches(t);
        assert!(m("*", ""));
        assert!(m("ssm:*", "ssm:startsession"));
        assert!(m("ssm:start*", "ssm:startsession"));
        assert!(m("ssm:*session", "ssm:startsession"));
        assert!(m("ssm:?tart*", "ssm:startsession"));
        assert!(m("a*b*c", "axxbyyc"));
        assert!(m("a*b*c", "abcbc"));
        assert!(!m("a*b*c", "axxbyy"));
        assert!(!m("ssm:?", "ssm:"));
        assert!(m("é?", "éü"));
        assert!(!m("abc", "abcd"));
        assert!(m("**a", "a"));
    }

    #[test]
    fn a_star_that_ends_a_segment_expands_beyond_the_colons() {
        let m = |p: &str, t: &str| ArnGlob::new(p).matches(t);
        let doc = "arn:aws:ssm:us-east-1:123456789012:document/SSM-SessionManagerRunShell";
        assert!(
            m("arn:aws:ssm:*", doc),
            "User Guide: arn:aws:ssm:* covers it"
        );
        assert!(m("arn:aws:ec2:*", "arn:aws:ec2:us-east-1:1:instance/i-1"));
        assert!(
            !m("arn:aws:ec2:*", doc),
            "the service segment still has to match"
        );
        assert!(m("arn:aws:ssm:us-*:document/*", doc));
        assert!(
            !m("arn:aws:ssm:us-?:document/*", doc),
            "? never crosses a colon"
        );
        assert!(
            !m("arn:aws:ssm:u*s:document/*", doc),
            "only a star that ends its segment expands"
        );
        assert!(m("arn:*", doc));
    }

    #[test]
    fn arn_wildcards_do_not_cross_segments_before_the_resource() {
        let m = |p: &str, t: &str| ArnGlob::new(p).matches(t);
        assert!(m(
            "arn:aws:ec2:*:*:instance/*",
            "arn:aws:ec2:us-east-1:123456789012:instance/i-1"
        ));
        assert!(m(
            "arn:aws:ec2:*:*:*",
            "arn:aws:ec2:us-east-1:1:instance/i-1"
        ));
        assert!(
            m("arn:aws:s3:::bucket*", "arn:aws:s3:::bucket/a/b:c"),
            "* crosses / and : in the resource"
        );
        assert!(
            !m(
                "arn:aws:ec2:us-?ast-1:instance/*",
                "arn:aws:ec2:us-east-1:1:instance/i-1"
            ),
            "a pattern with fewer segments needs a star to cover the rest"
        );
        assert!(
            !m(
                "arn:aws:ec2:us-east-1",
                "arn:aws:ec2:us-east-1:1:instance/i-1"
            ),
            "each segment is checked"
        );
        assert!(
            m(
                "arn:aws:ec2:*:*:*",
                "arn:aws:ec2:us-east-1:1:instance/i-1:x"
            ),
            "the sixth takes the rest"
        );
        assert!(!m(
            "arn:aws:ec2:*:*:instance/*",
            "arn:aws:ssm:us-east-1:1:instance/i-1"
        ));
    }

    #[test]
    fn an_empty_account_matches_only_empty_or_a_star() {
        let m = |p: &str, t: &str| ArnGlob::new(p).matches(t);
        let aws_owned = "arn:aws:ssm:us-east-1::document/AWS-StartPortForwardingSession";
        assert!(m(
            "arn:aws:ssm:us-east-1::document/AWS-StartPortForwardingSession",
            aws_owned
        ));
        assert!(m("arn:aws:ssm:*:*:document/AWS-*", aws_owned));
        assert!(!m(
            "arn:aws:ssm:us-east-1:123456789012:document/AWS-StartPortForwardingSession",
            aws_owned
        ));
        assert!(!m(
            "arn:aws:ssm:us-east-1::document/X",
            "arn:aws:ssm:us-east-1:123456789012:document/X"
        ));
    }

    #[test]
    fn a_star_resource_matches_everything_and_a_star_request_only_stars() {
        assert!(ArnGlob::new("*").matches("arn:aws:ec2:us-east-1:1:instance/i-1"));
        assert!(ArnGlob::new("*").matches("*"));
        assert!(!ArnGlob::new("arn:aws:ec2:*:*:instance/*").matches("*"));
    }
}
