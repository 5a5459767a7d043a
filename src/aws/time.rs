//! Times as AWS writes them. IAM's date conditions read ISO 8601 in UTC; the pre-check gives
//! aws:CurrentTime so, and the doctor shows an agent's last ping the same way.

/// `secs` since the epoch as `YYYY-MM-DDTHH:MM:SSZ`, the form IAM's date conditions read.
pub fn iso8601(secs: u64) -> String {
    use aws_smithy_types::date_time::{DateTime, Format};
    DateTime::from_secs(i64::try_from(secs).unwrap_or(i64::MAX))
        .fmt(Format::DateTime)
        .unwrap_or_else(|_| secs.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_written_as_iam_reads_them() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso8601(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(iso8601(1_796_000_000), "2026-11-30T00:53:20Z");
    }
}
