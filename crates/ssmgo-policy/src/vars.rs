//! Policy variables (`${aws:username}`, `${aws:PrincipalTag/team, 'none'}`, `${*}`), substituted
//! from the request context — only under `"Version": "2012-10-17"`; under 2008-10-17 or with no
//! Version they are plain text, as in IAM.

use crate::context::Context;
use crate::pattern::{wildcard_toks, Tok};

/// A piece of a policy string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Piece {
    /// Text whose `*` and `?` are wildcards (where the element allows them).
    Text(String),
    /// `${*}`, `${?}`, `${$}`: a character that is never a wildcard.
    Literal(char),
    Var {
        name: String,
        name_lower: String,
        default: Option<String>,
    },
}

/// A string that may hold policy variables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Template {
    pub pieces: Vec<Piece>,
    pub has_vars: bool,
}

impl Template {
    /// Parses `${…}` references when `enabled` (Version 2012-10-17); otherwise the whole string is
    /// text.
    pub fn parse(text: &str, enabled: bool) -> Template {
        if !enabled || !text.contains("${") {
            return Template {
                pieces: vec![Piece::Text(text.to_owned())],
                has_vars: false,
            };
        }
        let mut pieces = Vec::new();
        let mut rest = text;
        let mut has_vars = false;
        while let Some(start) = rest.find("${") {
            let Some(len) = rest[start..].find('}') else {
                break;
            };
            if start > 0 {
                pieces.push(Piece::Text(rest[..start].to_owned()));
            }
            let inner = &rest[start + 2..start + len];
            match inner {
                "*" => pieces.push(Piece::Literal('*')),
                "?" => pieces.push(Piece::Literal('?')),
                "$" => pieces.push(Piece::Literal('$')),
                _ => {
                    let (name, default) = match inner.split_once(',') {
                        Some((n, d)) => {
                            let d = d.trim();
                            let d = d
                                .strip_prefix('\'')
                                .and_then(|d| d.strip_suffix('\''))
                                .unwrap_or(d);
                            (n.trim(), Some(d.to_owned()))
                        }
                        None => (inner.trim(), None),
                    };
                    has_vars = true;
                    pieces.push(Piece::Var {
                        name: name.to_owned(),
                        name_lower: name.to_ascii_lowercase(),
                        default,
                    });
                }
            }
            rest = &rest[start + len + 1..];
        }
        if !rest.is_empty() {
            pieces.push(Piece::Text(rest.to_owned()));
        }
        Template { pieces, has_vars }
    }

    /// The names of the variables used, for messages.
    pub fn var_names(&self) -> impl Iterator<Item = &str> {
        self.pieces.iter().filter_map(|p| match p {
            Piece::Var { name, .. } => Some(name.as_str()),
            _ => None,
        })
    }

    /// Wildcard tokens with variables substituted; Err(name) for a variable with no value.
    pub fn toks(&self, ctx: &Context) -> Result<Vec<Tok>, String> {
        let mut out = Vec::new();
        for piece in &self.pieces {
            match piece {
                Piece::Text(t) => out.extend(wildcard_toks(t)),
                Piece::Literal(c) => out.push(Tok::Lit(c.to_string())),
                Piece::Var { .. } => out.push(Tok::Lit(self.value_of(piece, ctx)?)),
            }
        }
        Ok(out)
    }

    /// The text with variables substituted (wildcards left as written).
    pub fn text(&self, ctx: &Context) -> Result<String, String> {
        let mut out = String::new();
        for piece in &self.pieces {
            match piece {
                Piece::Text(t) => out.push_str(t),
                Piece::Literal(c) => out.push(*c),
                Piece::Var { .. } => out.push_str(&self.value_of(piece, ctx)?),
            }
        }
        Ok(out)
    }

    fn value_of(&self, piece: &Piece, ctx: &Context) -> Result<String, String> {
        let Piece::Var {
            name,
            name_lower,
            default,
        } = piece
        else {
            unreachable!("only variables have values")
        };
        match ctx.get_lower(name_lower).and_then(|v| v.first()) {
            Some(v) => Ok(v.clone()),
            None => default.clone().ok_or_else(|| name.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pattern::Glob;

    fn ctx() -> Context {
        let mut c = Context::new();
        c.insert("aws:username", "alice");
        c.insert("aws:PrincipalTag/team", "data");
        c
    }

    #[test]
    fn variables_are_substituted_only_when_enabled() {
        let t = Template::parse("home/${aws:username}/*", true);
        assert!(t.has_vars);
        assert_eq!(t.text(&ctx()).unwrap(), "home/alice/*");
        let t = Template::parse("home/${aws:username}/*", false);
        assert!(!t.has_vars);
        assert_eq!(t.text(&ctx()).unwrap(), "home/${aws:username}/*");
    }

    #[test]
    fn variable_names_are_case_insensitive_and_defaults_apply() {
        assert_eq!(
            Template::parse("${AWS:UserName}", true)
                .text(&ctx())
                .unwrap(),
            "alice"
        );
        assert_eq!(
            Template::parse("${aws:PrincipalTag/cost, 'none'}", true)
                .text(&ctx())
                .unwrap(),
            "none"
        );
        assert_eq!(
            Template::parse("${aws:userid}", true).text(&ctx()),
            Err("aws:userid".into())
        );
    }

    #[test]
    fn escaped_wildcards_are_literal() {
        let t = Template::parse("a${*}b*", true);
        let g = Glob::from_toks(t.toks(&ctx()).unwrap());
        assert!(g.matches("a*bxyz"));
        assert!(!g.matches("axbxyz"));
        assert_eq!(
            Template::parse("${$}{x}", true).text(&ctx()).unwrap(),
            "${x}"
        );
    }
}
