//! `ssmgo policy eval|lint|fix` on files, as platform teams use them.

use std::path::PathBuf;

use crate::support::ssmgo;

const DOC: &str = "arn:aws:ssm:us-east-1:123456789012:document/SSM-SessionManagerRunShell";
const INSTANCE: &str = "arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0";

/// The seed's motivating policy (one file for the emulator, the README and these tests): the
/// session document under the instance's resource-tag condition.
const BROKEN: &str = include_str!("../emu/policies/broken.json");

/// The broken policy without its statement for one's own sessions: StartSession alone.
fn broken_without_own_sessions() -> String {
    let mut policy: serde_json::Value = serde_json::from_str(BROKEN).unwrap();
    let statements = policy["Statement"].as_array_mut().unwrap();
    let before = statements.len();
    statements.retain(|s| s["Sid"] != "OwnSessions");
    assert_eq!(statements.len(), before - 1, "broken.json has OwnSessions");
    serde_json::to_string_pretty(&policy).unwrap()
}

/// Writes `text` to a fresh file and returns its path (the directory lives for the test run).
fn policy_file(name: &str, text: &str) -> PathBuf {
    let dir = tempfile::tempdir().unwrap().keep();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn the_broken_policy_denies_the_document_and_names_the_failing_condition() {
    let broken = policy_file("broken.json", BROKEN);
    ssmgo()
        .args(["policy", "eval", "--policy"])
        .args([&broken])
        .args(["--action", "ssm:StartSession", "--resource", DOC])
        .run()
        .expect_code(3)
        .stdout_has("implicitDeny")
        .stdout_has("broken.json statement 1 \"Connect\" (line 4, column 5)")
        .stdout_has(
            r#"StringEquals aws:ResourceTag/Team: expected "data", request has no such key"#,
        );
}

#[test]
fn json_output_has_the_decision_matches_and_near_misses() {
    let broken = policy_file("broken.json", BROKEN);
    let out = ssmgo()
        .args(["policy", "eval", "--json", "--policy"])
        .args([&broken])
        .args([
            "--action",
            "ssm:StartSession",
            "--resource",
            INSTANCE,
            "--context",
            "aws:ResourceTag/Team=data",
        ])
        .run()
        .expect_success();
    let v = out.json();
    assert_eq!(v["decision"], "allowed");
    assert_eq!(v["matched"][0]["statement"], 1);
    assert_eq!(v["matched"][0]["sid"], "Connect");
    assert_eq!(v["matched"][0]["line"], 4);
    assert_eq!(v["matched"][0]["column"], 5);

    let out = ssmgo()
        .args(["policy", "eval", "--json", "--policy"])
        .args([&broken])
        .args(["--action", "ssm:StartSession", "--resource", DOC])
        .run()
        .expect_code(3);
    let v = out.json();
    assert_eq!(v["decision"], "implicitDeny");
    assert_eq!(v["matched"], serde_json::json!([]));
    let failed = v["near_misses"][0]["failed"][0].as_str().unwrap();
    assert!(failed.contains("aws:ResourceTag/Team"), "{failed}");
}

#[test]
fn an_explicit_deny_names_the_deny_statement() {
    let p = policy_file(
        "deny.json",
        r#"{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": "ssm:StartSession", "Resource": "*"},
  {"Sid": "NoProd", "Effect": "Deny", "Action": "ssm:StartSession", "Resource": "*",
   "Condition": {"StringEquals": {"ssm:resourceTag/Env": "prod"}}}]}"#,
    );
    ssmgo()
        .args(["policy", "eval", "--policy"])
        .args([&p])
        .args([
            "--action",
            "ssm:StartSession",
            "--resource",
            INSTANCE,
            "--context",
            "ssm:resourceTag/Env=prod",
        ])
        .run()
        .expect_code(3)
        .stdout_has("explicitDeny")
        .stdout_has("Denied explicitly by:")
        .stdout_has("statement 2 \"NoProd\" (line 3, column 3)");
}

#[test]
fn principal_and_repeated_context_feed_variables_and_set_operators() {
    let p = policy_file(
        "vars.json",
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ssm:TerminateSession",
  "Resource": "arn:aws:ssm:*:*:session/${aws:username}-*",
  "Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": ["Env", "Team"]}}}]}"#,
    );
    let run = |principal: &str| {
        ssmgo()
            .args(["policy", "eval", "--policy"])
            .args([&p])
            .args([
                "--action",
                "ssm:TerminateSession",
                "--resource",
                "arn:aws:ssm:us-east-1:123456789012:session/alice-0abc",
            ])
            .args([
                "--principal",
                principal,
                "--context",
                "aws:TagKeys=Env",
                "--context",
                "aws:TagKeys=Team",
            ])
            .run()
    };
    run("arn:aws:iam::123456789012:user/alice").expect_success();
    run("arn:aws:iam::123456789012:user/bob")
        .expect_code(3)
        .stdout_has("matches none of");
}

#[test]
fn a_permissions_boundary_must_allow_too() {
    let allow = policy_file(
        "allow.json",
        r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "ssm:*", "Resource": "*"}}"#,
    );
    let boundary = policy_file(
        "boundary.json",
        r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "ec2:*", "Resource": "*"}}"#,
    );
    ssmgo()
        .args(["policy", "eval", "--policy"])
        .args([&allow])
        .args(["--boundary"])
        .args([&boundary])
        .args(["--action", "ssm:StartSession", "--resource", INSTANCE])
        .run()
        .expect_code(3)
        .stdout_has("permissions boundary does not");
}

#[test]
fn invalid_json_is_an_input_error_with_file_line_and_column() {
    let p = policy_file(
        "pasted.json",
        "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [],\n}\n",
    );
    ssmgo()
        .args(["policy", "lint"])
        .args([&p])
        .run()
        .expect_code(2)
        .stderr_has("pasted.json:4:1: trailing comma before '}'");
    ssmgo()
        .args([
            "policy",
            "eval",
            "--policy",
            "/nonexistent/policy.json",
            "--action",
            "a:b",
            "--resource",
            "*",
        ])
        .run()
        .expect_code(2)
        .stderr_has("/nonexistent/policy.json");
    ssmgo()
        .args(["policy", "eval", "--policy"])
        .args([&policy_file(
            "ok.json",
            r#"{"Version": "2012-10-17", "Statement": []}"#,
        )])
        .args(["--action", "a:b", "--resource", "*", "--context", "novalue"])
        .run()
        .expect_code(2)
        .stderr_has("KEY=VALUE");
}

#[test]
fn lint_reports_the_document_tag_mistake_and_duplicate_keys_with_codes() {
    let broken = policy_file("broken.json", BROKEN);
    ssmgo()
        .args(["policy", "lint"])
        .args([&broken])
        .run()
        .expect_code(3)
        .stdout_has("broken.json:4:5: error SSM001:");
    let start_only = policy_file("start-only.json", &broken_without_own_sessions());
    ssmgo()
        .args(["policy", "lint"])
        .args([&start_only])
        .run()
        .expect_code(3)
        .stdout_has("warning SSM003:");

    let dup = policy_file(
        "dup.json",
        "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"ec2:DescribeInstances\", \"Resource\": \"*\",\n \"Condition\": {\"StringEquals\": {\"aws:RequestedRegion\": \"eu-west-1\",\n   \"aws:RequestedRegion\": \"us-east-1\"}}}]}",
    );
    let out = ssmgo()
        .args(["policy", "lint", "--json"])
        .args([&dup])
        .run()
        .expect_code(3);
    let findings = out.json();
    let f = findings
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "JSON001")
        .expect("a duplicate-key finding");
    assert_eq!(f["severity"], "error");
    assert_eq!(f["line"], 3);
    let message = f["message"].as_str().unwrap();
    assert!(
        message.contains("aws:RequestedRegion") && message.contains("2:") && message.contains("3:"),
        "{message}"
    );
}

#[test]
fn lint_of_a_clean_policy_exits_zero() {
    let clean = policy_file(
        "clean.json",
        r#"{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": "ssm:StartSession", "Resource": "arn:aws:ec2:*:*:instance/*", "Condition": {"StringEquals": {"aws:ResourceTag/Env": "dev"}}},
  {"Effect": "Allow", "Action": "ssm:StartSession", "Resource": "arn:aws:ssm:*:*:document/SSM-SessionManagerRunShell"},
  {"Effect": "Allow", "Action": ["ssm:TerminateSession", "ssm:ResumeSession"], "Resource": "arn:aws:ssm:*:*:session/${aws:username}-*"}]}"#,
    );
    let out = ssmgo()
        .args(["policy", "lint", "--json"])
        .args([&clean])
        .run()
        .expect_success();
    assert_eq!(out.json(), serde_json::json!([]));
}

#[test]
fn fix_prints_a_policy_that_lints_clean_and_proves_it_on_stderr() {
    let broken = policy_file("broken.json", BROKEN);
    let out = ssmgo()
        .args(["policy", "fix"])
        .args([&broken])
        .run()
        .expect_success();
    let fixed: serde_json::Value = out.json();
    let statements = fixed["Statement"].as_array().unwrap();
    assert_eq!(statements.len(), 3, "the document's own statement is added");
    assert_eq!(
        statements[0]["Resource"],
        "arn:aws:ec2:us-east-1:123456789012:instance/*"
    );
    assert_eq!(
        statements[0]["Condition"]["StringEquals"]["aws:ResourceTag/Team"],
        "data"
    );
    assert_eq!(statements[1]["Resource"], DOC);
    assert!(statements[1].get("Condition").is_none());
    assert!(
        out.stderr.contains("the session document"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("implicitDeny  -> allowed"),
        "{}",
        out.stderr
    );

    let fixed_file = policy_file("fixed.json", &out.stdout);
    let lint = ssmgo()
        .args(["policy", "lint", "--json"])
        .args([&fixed_file])
        .run();
    assert!(!lint.stdout.contains("SSM001"), "{}", lint.stdout);
    ssmgo()
        .args(["policy", "eval", "--policy"])
        .args([&fixed_file])
        .args(["--action", "ssm:StartSession", "--resource", DOC])
        .run()
        .expect_success();
}

#[test]
fn ecs_execs_cluster_mistake_is_linted_and_fixed_with_its_proof() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let broken = root.join("tests/emu/policies/ecs-broken.json");
    ssmgo()
        .args(["policy", "lint"])
        .args([&broken])
        .run()
        .expect_success()
        .stdout_has("ecs-broken.json:4:5: warning ECS001: statement 1 (\"ExecDev\") allows ecs:ExecuteCommand on the cluster \"arn:aws:ecs:us-east-1:123456789012:cluster/*\" only under StringEquals ecs:ResourceTag/Env;");
    let out = ssmgo()
        .args(["policy", "fix"])
        .args([&broken])
        .run()
        .expect_success()
        .stderr_has("Fixed statement(s) 1 of ")
        .stderr_has("ecs-broken.json: the cluster now has its own statement without the resource-tag condition.\necs:ExecuteCommand, before and after the fix:\n  the cluster ");
    assert!(
        out.stderr.contains("implicitDeny  -> allowed"),
        "{}",
        out.stderr
    );
    let fixed = policy_file("fixed.json", &out.stdout);
    let lint = ssmgo()
        .args(["policy", "lint", "--json"])
        .args([&fixed])
        .run()
        .expect_success();
    assert_eq!(lint.json(), serde_json::json!([]));
    for (resource, decision) in [
        ("arn:aws:ecs:us-east-1:123456789012:cluster/demo", 0),
        (
            "arn:aws:ecs:us-east-1:123456789012:task/demo/0123456789abcdef0123456789abcdef",
            3,
        ),
    ] {
        // The task still needs its tag: the fix allows nothing more on tasks.
        ssmgo()
            .args(["policy", "eval", "--policy"])
            .args([&fixed])
            .args(["--action", "ecs:ExecuteCommand", "--resource", resource])
            .run()
            .expect_code(decision);
    }
}

#[test]
fn fix_with_nothing_to_fix_says_so_and_keeps_the_policy() {
    let text = r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "ec2:*", "Resource": "*"}}"#;
    let p = policy_file("fine.json", text);
    let out = ssmgo()
        .args(["policy", "fix"])
        .args([&p])
        .run()
        .expect_success()
        .stderr_has("nothing to fix");
    assert_eq!(out.stdout, text);
}

fn eval(policy: &std::path::Path) -> crate::support::Outcome {
    ssmgo()
        .args(["policy", "eval", "--policy"])
        .args([policy])
        .args(["--action", "ssm:StartSession", "--resource", DOC])
        .args(["--context", "aws:MultiFactorAuthAge=5"])
        .run()
}

#[test]
fn eval_refuses_a_document_iam_would_reject_instead_of_deciding_it() {
    let duplicate = policy_file(
        "dup.json",
        r#"{"Version": "2012-10-17", "Statement": [],
            "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}"#,
    );
    eval(&duplicate)
        .expect_code(2)
        .stderr_has(r#"the key "Statement" appears twice, at 1:27 and 2:13"#)
        .stderr_has("ssmgo policy lint");
    for not_a_policy in ["null", "[]", "\"x\"", "{}"] {
        let path = policy_file("odd.json", not_a_policy);
        let out = eval(&path).expect_code(2);
        assert!(out.stdout.is_empty(), "{not_a_policy}: {}", out.stdout);
    }
}

#[test]
fn eval_reads_only_regular_files_of_a_policy_size() {
    eval(std::path::Path::new("/dev/zero"))
        .expect_code(2)
        .stderr_has("not a regular file");
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(status.success());
    eval(&fifo).expect_code(2).stderr_has("not a regular file");
    let huge = policy_file("huge.json", &" ".repeat(200 * 1024));
    eval(&huge).expect_code(2).stderr_has("larger than 128 KiB");
}

#[test]
fn a_number_iam_cannot_compare_is_explained_as_never_matching() {
    let path = policy_file(
        "num.json",
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ssm:StartSession",
            "Resource": "*", "Condition": {"NumericLessThan": {"aws:MultiFactorAuthAge": "1e999"}}}]}"#,
    );
    eval(&path)
        .expect_code(3)
        .stdout_has(r#"NumericLessThan aws:MultiFactorAuthAge: the policy's value "1e999" is not a number IAM can compare, so this condition never holds"#);
}

#[test]
fn a_config_file_that_is_a_device_or_pipe_fails_at_once() {
    ssmgo()
        .env("SSMGO_CONFIG", "/dev/zero")
        .args(["list"])
        .run()
        .expect_code(2)
        .stderr_has("not a regular file");
}

#[test]
fn eval_without_a_policy_is_an_implicit_deny_not_a_usage_error() {
    ssmgo()
        .args([
            "policy",
            "eval",
            "--action",
            "ssm:StartSession",
            "--resource",
            DOC,
        ])
        .run()
        .expect_code(3)
        .stdout_has("implicitDeny");
    let boundary = policy_file(
        "boundary.json",
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}"#,
    );
    ssmgo()
        .args(["policy", "eval", "--boundary"])
        .args([&boundary])
        .args(["--action", "ssm:StartSession", "--resource", INSTANCE])
        .run()
        .expect_code(3)
        .stdout_has("implicitDeny");
}

#[test]
fn hostile_policy_files_are_refused_in_a_sentence_or_read_never_a_crash() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let duplicates = r#"{"Version": "2012-10-17", "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Effect": "Deny",
        "Action": "ssm:StartSession", "Resource": "*", "Condition": {"StringEquals": {"k": "a", "k": "b"}}}]}"#;
    let utf16: Vec<u8> = r#"{"Version": "2012-10-17", "Statement": []}"#
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let mut bom = b"\xef\xbb\xbf".to_vec();
    bom.extend_from_slice(BROKEN.as_bytes());
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty", Vec::new()),
        ("deep", deep.into_bytes()),
        ("bom", bom),
        ("utf16", [b"\xff\xfe".to_vec(), utf16].concat()),
        ("invalid-utf8", b"{\"Version\": \"\xff\xfe\"}".to_vec()),
        ("duplicates", duplicates.as_bytes().to_vec()),
        ("huge-number", br#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"NumericLessThan": {"n": 1e999}}}]}"#.to_vec()),
        ("ten-megabytes", vec![b' '; 10 * 1024 * 1024]),
    ];
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in cases {
        let path = dir.path().join(format!("{name}.json"));
        std::fs::write(&path, bytes).unwrap();
        let file = path.to_str().unwrap();
        for args in [
            vec!["policy", "lint", file],
            vec!["policy", "fix", file],
            vec![
                "policy",
                "eval",
                "--policy",
                file,
                "--action",
                "ssm:StartSession",
                "--resource",
                "*",
            ],
        ] {
            let out = ssmgo().args(&args).run();
            let code = out.code.expect("ended by itself, not by a signal");
            assert!(
                [0, 2, 3].contains(&code) && !out.stderr.contains("panicked"),
                "{name} {args:?}: exit {code}\n{}",
                out.stderr
            );
            if code == 2 {
                let first = out.stderr.lines().next().unwrap_or_default();
                assert!(
                    first.starts_with("ssmgo: ") && first.contains(&format!("{name}.json")),
                    "{name} {args:?}: a sentence naming the file: {}",
                    out.stderr
                );
            }
        }
    }
}
