//! Condition operators: parsing their names and evaluating them against the request context.
//!
//! Rules (IAM documentation): keys are ANDed, values of one key ORed; a negated operator
//! (`StringNotEquals`, `NotIpAddress`, …) holds when the key is absent; `…IfExists` holds when the
//! key is absent; `ForAllValues:` holds for an absent or empty key, `ForAnyValue:` does not; a value
//! that can't be read as the operator's type never matches. The ARN operators compare each of the
//! six ARN components on its own (`pattern::arn_condition_matches`), not as the Resource element
//! does.

use std::net::IpAddr;

use crate::context::Context;
use crate::json::Pos;
use crate::pattern::{arn_components, arn_condition_matches, Glob};
use crate::vars::Template;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Base {
    StringEquals,
    StringNotEquals,
    StringEqualsIgnoreCase,
    StringNotEqualsIgnoreCase,
    StringLike,
    StringNotLike,
    NumericEquals,
    NumericNotEquals,
    NumericLessThan,
    NumericLessThanEquals,
    NumericGreaterThan,
    NumericGreaterThanEquals,
    DateEquals,
    DateNotEquals,
    DateLessThan,
    DateLessThanEquals,
    DateGreaterThan,
    DateGreaterThanEquals,
    Bool,
    BinaryEquals,
    IpAddress,
    NotIpAddress,
    ArnEquals,
    ArnLike,
    ArnNotEquals,
    ArnNotLike,
    Null,
}

const BASES: &[(&str, Base)] = &[
    ("StringEquals", Base::StringEquals),
    ("StringNotEquals", Base::StringNotEquals),
    ("StringEqualsIgnoreCase", Base::StringEqualsIgnoreCase),
    ("StringNotEqualsIgnoreCase", Base::StringNotEqualsIgnoreCase),
    ("StringLike", Base::StringLike),
    ("StringNotLike", Base::StringNotLike),
    ("NumericEquals", Base::NumericEquals),
    ("NumericNotEquals", Base::NumericNotEquals),
    ("NumericLessThan", Base::NumericLessThan),
    ("NumericLessThanEquals", Base::NumericLessThanEquals),
    ("NumericGreaterThan", Base::NumericGreaterThan),
    ("NumericGreaterThanEquals", Base::NumericGreaterThanEquals),
    ("DateEquals", Base::DateEquals),
    ("DateNotEquals", Base::DateNotEquals),
    ("DateLessThan", Base::DateLessThan),
    ("DateLessThanEquals", Base::DateLessThanEquals),
    ("DateGreaterThan", Base::DateGreaterThan),
    ("DateGreaterThanEquals", Base::DateGreaterThanEquals),
    ("Bool", Base::Bool),
    ("BinaryEquals", Base::BinaryEquals),
    ("IpAddress", Base::IpAddress),
    ("NotIpAddress", Base::NotIpAddress),
    ("ArnEquals", Base::ArnEquals),
    ("ArnLike", Base::ArnLike),
    ("ArnNotEquals", Base::ArnNotEquals),
    ("ArnNotLike", Base::ArnNotLike),
    ("Null", Base::Null),
];

impl Base {
    /// The operator family's positive form, and whether this one negates it.
    pub fn positive(self) -> (Base, bool) {
        use Base::*;
        match self {
            StringNotEquals => (StringEquals, true),
            StringNotEqualsIgnoreCase => (StringEqualsIgnoreCase, true),
            StringNotLike => (StringLike, true),
            NumericNotEquals => (NumericEquals, true),
            DateNotEquals => (DateEquals, true),
            NotIpAddress => (IpAddress, true),
            ArnNotEquals => (ArnEquals, true),
            ArnNotLike => (ArnLike, true),
            other => (other, false),
        }
    }

    pub fn is_negated(self) -> bool {
        self.positive().1
    }

    fn name(self) -> &'static str {
        BASES
            .iter()
            .find(|(_, b)| *b == self)
            .map(|(n, _)| *n)
            .unwrap_or("?")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetQualifier {
    ForAnyValue,
    ForAllValues,
}

/// A parsed operator name such as `ForAnyValue:StringLikeIfExists`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operator {
    pub base: Base,
    pub qualifier: Option<SetQualifier>,
    pub if_exists: bool,
}

impl Operator {
    /// Parses an operator name exactly as IAM spells it; `Err` carries a suggestion when only
    /// the case is wrong.
    pub fn parse(text: &str) -> Result<Operator, Option<String>> {
        let (qualifier, rest) = match text.split_once(':') {
            Some(("ForAnyValue", r)) => (Some(SetQualifier::ForAnyValue), r),
            Some(("ForAllValues", r)) => (Some(SetQualifier::ForAllValues), r),
            Some(_) => return Err(suggest(text)),
            None => (None, text),
        };
        let (name, if_exists) = match rest.strip_suffix("IfExists") {
            Some(n) => (n, true),
            None => (rest, false),
        };
        let base = BASES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, b)| *b)
            .ok_or_else(|| suggest(text))?;
        if base == Base::Null && (if_exists || qualifier.is_some()) {
            return Err(Some("Null".into()));
        }
        Ok(Operator {
            base,
            qualifier,
            if_exists,
        })
    }
}

fn suggest(text: &str) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    let (prefix, rest) = match lower.split_once(':') {
        Some(("foranyvalue", r)) => ("ForAnyValue:", r.to_owned()),
        Some(("forallvalues", r)) => ("ForAllValues:", r.to_owned()),
        Some(_) => return None,
        None => ("", lower.clone()),
    };
    let (rest, suffix) = match rest.strip_suffix("ifexists") {
        Some(r) => (r.to_owned(), "IfExists"),
        None => (rest, ""),
    };
    BASES
        .iter()
        .find(|(n, _)| n.to_ascii_lowercase() == rest)
        .map(|(n, _)| format!("{prefix}{n}{suffix}"))
}

/// One key under one operator, with its values.
#[derive(Debug, Clone)]
pub struct Condition {
    /// None when the operator is unknown (the condition then never holds).
    pub operator: Option<Operator>,
    pub operator_text: String,
    pub operator_pos: Pos,
    pub key: String,
    pub(crate) key_lower: String,
    pub key_pos: Pos,
    pub values: Vec<String>,
    pub(crate) templates: Vec<Template>,
    pub(crate) has_vars: bool,
}

/// A value compiled for its operator (when it holds no variables).
enum Expected<'a> {
    Text(&'a str),
    Owned(String),
}

impl Expected<'_> {
    fn as_str(&self) -> &str {
        match self {
            Expected::Text(s) => s,
            Expected::Owned(s) => s,
        }
    }
}

impl Condition {
    pub(crate) fn new(
        operator_text: &str,
        operator_pos: Pos,
        key: &str,
        key_pos: Pos,
        values: Vec<String>,
        vars: bool,
    ) -> Condition {
        let templates: Vec<Template> = values.iter().map(|v| Template::parse(v, vars)).collect();
        let has_vars = templates.iter().any(|t| t.has_vars);
        Condition {
            operator: Operator::parse(operator_text).ok(),
            operator_text: operator_text.to_owned(),
            operator_pos,
            key: key.to_owned(),
            key_lower: key.to_ascii_lowercase(),
            key_pos,
            values,
            templates,
            has_vars,
        }
    }

    /// True when the condition holds for `ctx`.
    pub fn holds(&self, ctx: &Context) -> bool {
        let Some(op) = self.operator else {
            return false;
        };
        let actual = ctx.get_lower(&self.key_lower).filter(|v| !v.is_empty());
        if op.base == Base::Null {
            // Any listed value may hold: ["true", "false"] always does.
            return self.values.iter().any(|v| {
                (v.eq_ignore_ascii_case("true") && actual.is_none())
                    || (v.eq_ignore_ascii_case("false") && actual.is_some())
            });
        }
        let (positive, negated) = op.base.positive();
        let Some(actual) = actual else {
            return match op.qualifier {
                Some(SetQualifier::ForAllValues) => true,
                Some(SetQualifier::ForAnyValue) => op.if_exists,
                None => op.if_exists || negated,
            };
        };
        let test = |a: &str| {
            let any = self.expected_values(ctx, |e| value_matches(positive, a, e));
            any != negated
        };
        match op.qualifier {
            Some(SetQualifier::ForAllValues) => actual.iter().all(|a| test(a)),
            Some(SetQualifier::ForAnyValue) => actual.iter().any(|a| test(a)),
            // A multi-valued key without a set operator: positive operators need one value to
            // match, negated ones that none does.
            None => {
                let any = actual
                    .iter()
                    .any(|a| self.expected_values(ctx, |e| value_matches(positive, a, e)));
                any != negated
            }
        }
    }

    /// True when `f` holds for any expected value (variables substituted; unresolvable ones
    /// never match).
    fn expected_values(&self, ctx: &Context, mut f: impl FnMut(&Expected) -> bool) -> bool {
        if !self.has_vars {
            return self.values.iter().any(|v| f(&Expected::Text(v)));
        }
        self.templates.iter().any(|t| match t.text(ctx) {
            Ok(v) => f(&Expected::Owned(v)),
            Err(_) => false,
        })
    }

    /// Why the condition fails for `ctx`, in words; None when it holds.
    pub fn failure(&self, ctx: &Context) -> Option<String> {
        if self.holds(ctx) {
            return None;
        }
        let head = format!("{} {}", self.operator_text, self.key);
        let Some(op) = self.operator else {
            let hint = match suggest(&self.operator_text) {
                Some(s) => format!(" (did you mean {s}?)"),
                None => String::new(),
            };
            return Some(format!(
                "{head}: unknown condition operator{hint}, which never matches"
            ));
        };
        let unresolved: Vec<&str> = self
            .templates
            .iter()
            .filter(|t| t.text(ctx).is_err())
            .flat_map(|t| t.var_names())
            .collect();
        let (positive, _) = op.base.positive();
        let incomparable: Vec<String> = if self.has_vars {
            Vec::new()
        } else {
            self.values
                .iter()
                .filter(|v| !comparable(positive, v))
                .cloned()
                .collect()
        };
        if !incomparable.is_empty() && incomparable.len() == self.values.len() {
            let kind = match positive {
                Base::DateEquals
                | Base::DateLessThan
                | Base::DateLessThanEquals
                | Base::DateGreaterThan
                | Base::DateGreaterThanEquals => "a date IAM can compare",
                Base::ArnEquals | Base::ArnLike => "an ARN of six components",
                _ => "a number IAM can compare",
            };
            return Some(format!(
                "{head}: the policy's value {} is not {kind}, so this condition never holds",
                quote_list(&incomparable),
            ));
        }
        let expected = self.describe_expected(op, ctx);
        let actual = ctx.get_lower(&self.key_lower).filter(|v| !v.is_empty());
        let mut text = match (op.base, actual) {
            (Base::Null, None) => {
                format!("{head}: expected the key to be present, request has no such key")
            }
            (Base::Null, Some(v)) => format!(
                "{head}: expected the key to be absent, request has {}",
                quote_list(v)
            ),
            (_, None) => format!("{head}: expected {expected}, request has no such key"),
            (_, Some(v)) => format!("{head}: expected {expected}, request has {}", quote_list(v)),
        };
        if !unresolved.is_empty() {
            text.push_str(&format!(
                " (policy variable {} has no value in the request)",
                unresolved.join(", ")
            ));
        }
        Some(text)
    }

    fn describe_expected(&self, op: Operator, ctx: &Context) -> String {
        let values: Vec<String> = self
            .templates
            .iter()
            .map(|t| t.text(ctx).unwrap_or_else(|_| self.values[0].clone()))
            .collect();
        let list = quote_list(&values);
        let one_of = if values.len() > 1 {
            format!("one of {list}")
        } else {
            list.clone()
        };
        let (positive, negated) = op.base.positive();
        let core = match positive {
            Base::StringLike | Base::ArnLike => format!("a match for {one_of}"),
            Base::StringEqualsIgnoreCase => format!("{one_of} (ignoring case)"),
            Base::NumericLessThan | Base::DateLessThan => format!("a value < {one_of}"),
            Base::NumericLessThanEquals | Base::DateLessThanEquals => {
                format!("a value <= {one_of}")
            }
            Base::NumericGreaterThan | Base::DateGreaterThan => format!("a value > {one_of}"),
            Base::NumericGreaterThanEquals | Base::DateGreaterThanEquals => {
                format!("a value >= {one_of}")
            }
            Base::IpAddress => format!("an address in {one_of}"),
            _ => one_of,
        };
        let core = if negated {
            format!("anything but {core}")
        } else {
            core
        };
        match op.qualifier {
            Some(SetQualifier::ForAllValues) => format!("every value to be {core}"),
            Some(SetQualifier::ForAnyValue) => format!("some value to be {core}"),
            None => core,
        }
    }

    /// The operator name without qualifier or IfExists, for messages.
    pub fn base_name(&self) -> &'static str {
        self.operator.map(|o| o.base.name()).unwrap_or("?")
    }
}

fn quote_list(values: &[String]) -> String {
    values
        .iter()
        .map(|v| format!("{v:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The positive operators' comparison of one request value with one policy value.
fn value_matches(base: Base, actual: &str, expected: &Expected) -> bool {
    let e = expected.as_str();
    match base {
        Base::StringEquals | Base::BinaryEquals => actual == e,
        Base::StringEqualsIgnoreCase => {
            actual.eq_ignore_ascii_case(e) || actual.to_lowercase() == e.to_lowercase()
        }
        Base::StringLike => Glob::new(e).matches(actual),
        Base::ArnEquals | Base::ArnLike => arn_condition_matches(e, actual),
        Base::Bool => actual.eq_ignore_ascii_case(e),
        Base::NumericEquals => num(actual, e, |a, b| a == b),
        Base::NumericLessThan => num(actual, e, |a, b| a < b),
        Base::NumericLessThanEquals => num(actual, e, |a, b| a <= b),
        Base::NumericGreaterThan => num(actual, e, |a, b| a > b),
        Base::NumericGreaterThanEquals => num(actual, e, |a, b| a >= b),
        Base::DateEquals => date(actual, e, |a, b| a == b),
        Base::DateLessThan => date(actual, e, |a, b| a < b),
        Base::DateLessThanEquals => date(actual, e, |a, b| a <= b),
        Base::DateGreaterThan => date(actual, e, |a, b| a > b),
        Base::DateGreaterThanEquals => date(actual, e, |a, b| a >= b),
        Base::IpAddress => ip_in(actual, e),
        // Negated forms and Null are handled by the caller.
        _ => false,
    }
}

/// Whether a policy value can be compared at all by `base` (numbers must be finite: `1e999` is
/// not; dates must parse; ARN patterns need their six components). A value that can't never
/// matches.
fn comparable(base: Base, value: &str) -> bool {
    use Base::*;
    match base {
        NumericEquals
        | NumericLessThan
        | NumericLessThanEquals
        | NumericGreaterThan
        | NumericGreaterThanEquals => value.trim().parse::<f64>().is_ok_and(f64::is_finite),
        DateEquals
        | DateLessThan
        | DateLessThanEquals
        | DateGreaterThan
        | DateGreaterThanEquals => parse_date(value).is_some(),
        ArnEquals | ArnLike => arn_components(value).is_some(),
        _ => true,
    }
}

fn num(a: &str, e: &str, f: impl Fn(f64, f64) -> bool) -> bool {
    match (a.trim().parse::<f64>(), e.trim().parse::<f64>()) {
        (Ok(a), Ok(b)) if a.is_finite() && b.is_finite() => f(a, b),
        _ => false,
    }
}

fn date(a: &str, e: &str, f: impl Fn(i128, i128) -> bool) -> bool {
    match (parse_date(a), parse_date(e)) {
        (Some(a), Some(b)) => f(a, b),
        _ => false,
    }
}

/// Milliseconds since the epoch, from ISO 8601 (`2026-11-28`, `2026-11-28T10:00:00Z`,
/// `…T10:00:00.5+01:00`) or epoch seconds.
pub(crate) fn parse_date(s: &str) -> Option<i128> {
    let s = s.trim();
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) && s.len() <= 12 {
        return s.parse::<i128>().ok().map(|secs| secs * 1000);
    }
    let b = s.as_bytes();
    let digits = |from: usize, n: usize| -> Option<i64> {
        let part = s.get(from..from + n)?;
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    let year = digits(0, 4)?;
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let (month, day) = (digits(5, 2)?, digits(8, 2)?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let mut ms: i128 = 0;
    if b.len() > 10 {
        if !matches!(b[10], b'T' | b't' | b' ') {
            return None;
        }
        let (h, m) = (digits(11, 2)?, digits(14, 2)?);
        if b.get(13) != Some(&b':') {
            return None;
        }
        let mut sec = 0;
        let mut i = 16;
        if b.get(16) == Some(&b':') {
            sec = digits(17, 2)?;
            i = 19;
        }
        if h > 23 || m > 59 || sec > 60 {
            return None;
        }
        ms += ((h * 3600 + m * 60 + sec) * 1000) as i128;
        if b.get(i) == Some(&b'.') {
            let start = i + 1;
            let mut end = start;
            while end < b.len() && b[end].is_ascii_digit() {
                end += 1;
            }
            if end == start {
                return None;
            }
            let frac = &s[start..end.min(start + 3)];
            let scale = 10i128.pow(3 - frac.len() as u32);
            ms += frac.parse::<i128>().ok()? * scale;
            i = end;
        }
        match b.get(i) {
            None => {}
            Some(b'Z' | b'z') if i + 1 == b.len() => {}
            Some(&sign @ (b'+' | b'-')) => {
                let (oh, om) = (digits(i + 1, 2)?, digits(i + 4, 2)?);
                if b.get(i + 3) != Some(&b':') || i + 6 != b.len() {
                    return None;
                }
                let offset = ((oh * 60 + om) * 60_000) as i128;
                ms += if sign == b'+' { -offset } else { offset };
            }
            _ => return None,
        }
    }
    Some(days_from_civil(year, month, day) as i128 * 86_400_000 + ms)
}

/// Days since 1970-01-01 (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// True when `addr` lies in `cidr` (a bare address is a /32 or /128).
pub(crate) fn ip_in(addr: &str, cidr: &str) -> bool {
    let addr = addr.split('/').next().unwrap_or(addr);
    let Ok(addr) = addr.trim().parse::<IpAddr>() else {
        return false;
    };
    let (net, bits) = match cidr.trim().split_once('/') {
        Some((n, b)) => (n, b.parse::<u32>().ok()),
        None => (cidr.trim(), None),
    };
    let Ok(net) = net.parse::<IpAddr>() else {
        return false;
    };
    match (addr, net) {
        (IpAddr::V4(a), IpAddr::V4(n)) => {
            let bits = bits.unwrap_or(32);
            if bits > 32 {
                return false;
            }
            let mask = if bits == 0 {
                0
            } else {
                u32::MAX << (32 - bits)
            };
            u32::from(a) & mask == u32::from(n) & mask
        }
        (IpAddr::V6(a), IpAddr::V6(n)) => {
            let bits = bits.unwrap_or(128);
            if bits > 128 {
                return false;
            }
            let mask = if bits == 0 {
                0
            } else {
                u128::MAX << (128 - bits)
            };
            u128::from(a) & mask == u128::from(n) & mask
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operator_names_parse_with_qualifiers_and_if_exists() {
        let op = Operator::parse("ForAnyValue:StringLikeIfExists").unwrap();
        assert_eq!(op.base, Base::StringLike);
        assert_eq!(op.qualifier, Some(SetQualifier::ForAnyValue));
        assert!(op.if_exists);
        assert_eq!(
            Operator::parse("stringequals"),
            Err(Some("StringEquals".into()))
        );
        assert_eq!(Operator::parse("StringEqual"), Err(None));
        assert!(Operator::parse("NullIfExists").is_err());
        assert!(Operator::parse("Foo:StringEquals").is_err());
    }

    #[test]
    fn dates_parse_from_iso_8601_and_epoch_seconds() {
        assert_eq!(parse_date("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_date("1970-01-02"), Some(86_400_000));
        assert_eq!(parse_date("86400"), Some(86_400_000));
        assert_eq!(
            parse_date("2000-03-01T00:00:00Z").unwrap()
                - parse_date("2000-02-28T00:00:00Z").unwrap(),
            2 * 86_400_000
        );
        assert_eq!(
            parse_date("2026-01-01T01:00:00+01:00"),
            parse_date("2026-01-01T00:00:00Z")
        );
        assert_eq!(
            parse_date("2026-01-01T00:00:00.250Z").unwrap() - parse_date("2026-01-01").unwrap(),
            250
        );
        for bad in [
            "",
            "2026-13-01",
            "2026-1-01",
            "yesterday",
            "2026-01-01T25:00:00Z",
            "2026-01-01Tx",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    /// The IAM User Guide's worked example (Condition operators, "Amazon Resource Name (ARN)
    /// condition operators"): StringLike matches it, ArnLike does not.
    const DOC_PATTERN: &str = "arn:aws:someservice:*:111122223333:finance/*";
    const DOC_VALUE: &str =
        "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt";

    /// Whether `op` with the policy `values` holds when the request's aws:SourceArn has `actual`
    /// (no value: the key is absent).
    fn holds(op: &str, values: &[&str], actual: &[&str]) -> bool {
        let values = values.iter().map(|v| v.to_string()).collect();
        let c = Condition::new(
            op,
            Pos::default(),
            "aws:SourceArn",
            Pos::default(),
            values,
            true,
        );
        let mut ctx = Context::new();
        for a in actual {
            ctx.insert("aws:SourceArn", *a);
        }
        c.holds(&ctx)
    }

    #[test]
    fn arn_operators_check_each_of_the_six_components_separately() {
        assert!(holds("StringLike", &[DOC_PATTERN], &[DOC_VALUE]));
        assert!(!holds("ArnLike", &[DOC_PATTERN], &[DOC_VALUE]));
        assert!(
            !holds("ArnEquals", &[DOC_PATTERN], &[DOC_VALUE]),
            "ArnEquals and ArnLike behave identically"
        );
        let same_account = "arn:aws:someservice:us-east-2:111122223333:finance/document.txt";
        assert!(holds("ArnLike", &[DOC_PATTERN], &[same_account]));
        assert!(holds("ArnEquals", &[DOC_PATTERN], &[same_account]));
        assert!(
            !holds(
                "ArnLike",
                &["arn:aws:*:us-east-1:111122223333:*"],
                &["arn:aws:s3:::x:us-east-1:111122223333:y"]
            ),
            "a star in the service component stops at its colon"
        );
        assert!(
            !holds("ArnLike", &[DOC_PATTERN], &[&DOC_VALUE.to_uppercase()]),
            "case-sensitive"
        );
    }

    #[test]
    fn the_sixth_arn_component_is_everything_after_the_fifth_colon() {
        let version = "arn:aws:lambda:us-east-1:111122223333:function:f:1";
        assert!(holds(
            "ArnLike",
            &["arn:aws:lambda:*:*:function:*"],
            &[version]
        ));
        assert!(holds(
            "ArnLike",
            &["arn:aws:lambda:*:*:function:f:1"],
            &[version]
        ));
        assert!(!holds(
            "ArnLike",
            &["arn:aws:lambda:*:*:function:f"],
            &[version]
        ));
        assert!(holds(
            "ArnLike",
            &["arn:aws:s3:::bucket/*"],
            &["arn:aws:s3:::bucket/a/b:c"]
        ));
        assert!(
            !holds(
                "ArnLike",
                &["arn:aws:lambda:*:*:function:f"],
                &["arn:aws:lambda:us-east-1:111122223333:x:2:function:f"]
            ),
            "the region's star can't take the account and push the rest into the sixth"
        );
    }

    #[test]
    fn a_question_mark_matches_one_character_of_one_component() {
        let p = "arn:aws:ec2:us-east-?:*:instance/*";
        assert!(holds(
            "ArnLike",
            &[p],
            &["arn:aws:ec2:us-east-1:1:instance/i-1"]
        ));
        assert!(!holds(
            "ArnLike",
            &[p],
            &["arn:aws:ec2:us-east-10:1:instance/i-1"]
        ));
        assert!(
            !holds(
                "ArnLike",
                &["arn:aws:ec2:*:?:instance/*"],
                &["arn:aws:ec2:us-east-1:123456789012:x:1:instance/i-1"]
            ),
            "? stands for the whole account component, which has twelve characters"
        );
    }

    #[test]
    fn a_value_of_fewer_than_six_components_matches_no_arn() {
        let doc = "arn:aws:ssm:us-east-1:111122223333:document/SSM-SessionManagerRunShell";
        for p in ["arn:aws:*", "arn:aws:ssm:*", "arn:*", "*"] {
            assert!(!holds("ArnLike", &[p], &[doc]), "{p}");
            assert!(holds("ArnNotLike", &[p], &[doc]), "{p}");
        }
        let c = Condition::new(
            "ArnLike",
            Pos::default(),
            "aws:SourceArn",
            Pos::default(),
            vec!["arn:aws:ssm:*".into()],
            true,
        );
        let mut ctx = Context::new();
        ctx.insert("aws:SourceArn", doc);
        let why = c.failure(&ctx).unwrap();
        assert!(why.contains("is not an ARN of six components"), "{why}");
    }

    #[test]
    fn a_request_value_that_is_no_arn_is_never_like_one() {
        for actual in ["111122223333", "finance/document.txt", "x:a:b:c:d:e"] {
            assert!(!holds("ArnLike", &["*:*:*:*:*:*"], &[actual]), "{actual}");
            assert!(holds("ArnNotLike", &["*:*:*:*:*:*"], &[actual]), "{actual}");
        }
    }

    #[test]
    fn any_of_several_values_may_match_component_by_component() {
        let values = ["arn:aws:iam::*:role/admin", DOC_PATTERN];
        assert!(!holds("ArnLike", &values, &[DOC_VALUE]));
        assert!(holds("ArnLike", &values, &["arn:aws:iam::1:role/admin"]));
        assert!(holds("ArnNotLike", &values, &[DOC_VALUE]));
        assert!(!holds(
            "ArnNotLike",
            &values,
            &["arn:aws:iam::1:role/admin"]
        ));
        let same_account = "arn:aws:someservice:us-east-2:111122223333:finance/a";
        assert!(holds(
            "ForAnyValue:ArnLike",
            &[DOC_PATTERN],
            &[DOC_VALUE, same_account]
        ));
        assert!(!holds(
            "ForAllValues:ArnLike",
            &[DOC_PATTERN],
            &[DOC_VALUE, same_account]
        ));
    }

    #[test]
    fn the_not_forms_negate_the_component_wise_match() {
        assert!(holds("ArnNotLike", &[DOC_PATTERN], &[DOC_VALUE]));
        assert!(holds("ArnNotEquals", &[DOC_PATTERN], &[DOC_VALUE]));
        assert!(!holds("StringNotLike", &[DOC_PATTERN], &[DOC_VALUE]));
        let same_account = "arn:aws:someservice:us-east-2:111122223333:finance/document.txt";
        assert!(!holds("ArnNotLike", &[DOC_PATTERN], &[same_account]));
        assert!(holds("ArnNotLike", &[DOC_PATTERN], &[]), "an absent key");
    }

    #[test]
    fn if_exists_changes_only_what_an_absent_key_does() {
        assert!(holds("ArnLikeIfExists", &[DOC_PATTERN], &[]));
        assert!(!holds("ArnLike", &[DOC_PATTERN], &[]));
        assert!(!holds("ArnLikeIfExists", &[DOC_PATTERN], &[DOC_VALUE]));
        assert!(holds("ArnNotLikeIfExists", &[DOC_PATTERN], &[DOC_VALUE]));
        assert!(holds("ArnNotLikeIfExists", &[DOC_PATTERN], &[]));
    }

    #[test]
    fn addresses_match_v4_and_v6_networks() {
        assert!(ip_in("203.0.113.7", "203.0.113.0/24"));
        assert!(!ip_in("203.0.114.7", "203.0.113.0/24"));
        assert!(ip_in("10.1.2.3", "0.0.0.0/0"));
        assert!(ip_in("2001:db8::1", "2001:db8::/32"));
        assert!(!ip_in("2001:db9::1", "2001:db8::/32"));
        assert!(!ip_in("10.0.0.1", "2001:db8::/32"));
        assert!(ip_in("10.0.0.1", "10.0.0.1"));
        assert!(!ip_in("not-an-ip", "10.0.0.0/8"));
        assert!(!ip_in("10.0.0.1", "10.0.0.0/33"));
    }
}
