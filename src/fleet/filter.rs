//! Tag filters as EC2 takes them: pushed to DescribeInstances as server-side filters, so a
//! listing fetches only what it shows. (The filters themselves are a setting:
//! `settings::TagFilters`.)

use crate::settings::TagFilters;

/// EC2 filters (name, values): `tag:KEY` with the alternatives, or `*` for "present".
///
/// `tag:KEY=*` rather than `tag-key`, so that several key-only specs stay separate filters
/// (AND) instead of one `tag-key` filter whose values would be ORed.
pub fn ec2_filters(tags: &TagFilters) -> Vec<(String, Vec<String>)> {
    tags.iter()
        .map(|f| {
            let values = f.values.clone().unwrap_or_else(|| vec!["*".to_owned()]);
            (format!("tag:{}", f.key), values)
        })
        .collect()
}

/// Escapes EC2 filter wildcards so that `value` matches only itself (Name lookups are exact).
pub fn ec2_literal(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        if matches!(c, '*' | '?' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_alone_filters_on_the_tag_being_present() {
        let filters = TagFilters::parse(&["Team", "Env"]).unwrap();
        assert_eq!(
            ec2_filters(&filters),
            [
                ("tag:Team".to_string(), vec!["*".to_string()]),
                ("tag:Env".to_string(), vec!["*".to_string()])
            ]
        );
    }

    #[test]
    fn literal_names_escape_ec2_wildcards() {
        assert_eq!(ec2_literal("web*1?\\"), "web\\*1\\?\\\\");
        assert_eq!(ec2_literal("plain"), "plain");
    }
}
