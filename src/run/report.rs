//! `ssmgo run` in words: each instance's output marked with its name, and the summary table.

use unicode_width::UnicodeWidthStr;

use super::Row;
use crate::output::sanitize::Untrusted;

/// `text`'s lines, each after `prefix` (a last line without newline ends with one).
fn lines_after(prefix: &str, text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        out.push_str(prefix);
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// One instance's stdout and stderr, each line after "NAME | " (NAME padded to `width`).
pub fn prefixed(row: &Row, width: usize) -> (String, String) {
    let name = Untrusted(row.name.as_deref().unwrap_or(&row.instance_id)).to_string();
    let pad = width.saturating_sub(name.width());
    let prefix = format!("{name}{} | ", " ".repeat(pad));
    (
        lines_after(&prefix, &row.stdout),
        lines_after(&prefix, &row.stderr),
    )
}

fn duration(row: &Row) -> String {
    row.duration_secs
        .map_or_else(|| "-".into(), |s| format!("{s:.1} s"))
}

/// The summary table: where (with several accounts or regions), instance, status, exit code,
/// duration, and why when it didn't succeed.
pub fn summary(rows: &[Row]) -> String {
    let labels: Vec<String> = rows
        .iter()
        .map(|r| Untrusted(&r.label()).to_string())
        .collect();
    let width = labels
        .iter()
        .map(|l| l.width())
        .max()
        .unwrap_or(0)
        .max("INSTANCE".len());
    let places: Vec<Option<String>> = rows
        .iter()
        .map(|r| r.origin.as_ref().map(|o| Untrusted(&o.label()).to_string()))
        .collect();
    let title = match rows
        .iter()
        .any(|r| r.origin.as_ref().is_some_and(|o| o.profile.is_some()))
    {
        true => "PROFILE/ACCOUNT/REGION",
        false => "ACCOUNT/REGION",
    };
    let place_width = places
        .iter()
        .flatten()
        .map(|p| p.width())
        .max()
        .map(|w| w.max(title.len()));
    let place = |text: &str| match place_width {
        Some(w) => format!("{text}{}  ", " ".repeat(w.saturating_sub(text.width()))),
        None => String::new(),
    };
    let mut out = format!(
        "{}{:<width$}  {:<9}  {:>4}  {:>8}\n",
        place(title),
        "INSTANCE",
        "STATUS",
        "EXIT",
        "TIME"
    );
    for ((row, label), at) in rows.iter().zip(&labels).zip(&places) {
        out.push_str(&place(at.as_deref().unwrap_or("-")));
        let pad = width.saturating_sub(label.width());
        let why = match row.status.as_str() {
            "Success" | "Failed" => String::new(),
            _ => format!("  {}", row.details),
        };
        out.push_str(&format!(
            "{label}{}  {:<9}  {:>4}  {:>8}{why}\n",
            " ".repeat(pad),
            row.status,
            row.exit_code.map_or_else(|| "-".into(), |c| c.to_string()),
            duration(row),
        ));
    }
    let count = |status: &str| rows.iter().filter(|r| r.status == status).count();
    let others = rows.len() - count("Success") - count("Failed");
    out.push_str(&format!(
        "{} targets: {} succeeded, {} failed, {} timed out, cancelled or not run\n",
        rows.len(),
        count("Success"),
        count("Failed"),
        others
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str, status: &str, code: Option<i32>) -> Row {
        Row {
            instance_id: format!("i-{name}"),
            name: Some(name.into()),
            status: status.into(),
            details: match status {
                "NotRun" => "its SSM agent is ConnectionLost".into(),
                s => s.into(),
            },
            exit_code: code,
            duration_secs: code.map(|_| 0.25),
            stdout: "up 3 days\n".into(),
            stderr: "warn".into(),
            output_cut: false,
            origin: None,
        }
    }

    #[test]
    fn every_line_says_which_instance_wrote_it() {
        let (out, err) = prefixed(&row("web", "Success", Some(0)), 5);
        assert_eq!(out, "web   | up 3 days\n");
        assert_eq!(err, "web   | warn\n");
    }

    #[test]
    fn the_summary_is_a_table_with_a_count() {
        let rows = [
            row("a", "Success", Some(0)),
            row("b", "Failed", Some(3)),
            row("c", "NotRun", None),
        ];
        assert_eq!(
            summary(&rows),
            "INSTANCE  STATUS     EXIT      TIME\n\
             a (i-a)   Success       0     0.2 s\n\
             b (i-b)   Failed        3     0.2 s\n\
             c (i-c)   NotRun        -         -  its SSM agent is ConnectionLost\n\
             3 targets: 1 succeeded, 1 failed, 1 timed out, cancelled or not run\n"
        );
    }

    #[test]
    fn with_several_accounts_or_regions_the_summary_says_where_each_ran() {
        let place = |account: &str, region: &str| {
            Some(std::sync::Arc::new(crate::fleet::Origin {
                profile: None,
                region: region.into(),
                account: Some(account.into()),
                account_name: None,
            }))
        };
        let mut a = row("a", "Success", Some(0));
        a.origin = place("111122223333", "eu-west-1");
        let mut b = row("b", "Failed", Some(3));
        b.origin = place("444455556666", "us-east-1");
        assert_eq!(
            summary(&[a, b]),
            "ACCOUNT/REGION          INSTANCE  STATUS     EXIT      TIME\n\
             111122223333/eu-west-1  a (i-a)   Success       0     0.2 s\n\
             444455556666/us-east-1  b (i-b)   Failed        3     0.2 s\n\
             2 targets: 1 succeeded, 1 failed, 0 timed out, cancelled or not run\n"
        );
    }
}
