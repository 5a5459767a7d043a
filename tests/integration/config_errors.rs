//! Configuration and input mistakes, and AWS failures: each gets a message saying what to do
//! next, and its documented exit code.

use crate::support::fault::{Fault, FaultProxy};
use crate::support::{emu, ssmgo};

#[test]
fn no_region_is_a_usage_error_saying_how_to_set_one() {
    ssmgo()
        .env_remove("AWS_REGION")
        .args(["list"])
        .run()
        .expect_code(2)
        .stderr_has("no AWS region is configured")
        .stderr_has("--region");
}

#[test]
fn an_unknown_profile_is_named_with_the_known_ones() {
    ssmgo()
        .aws_config("[profile dev]\nregion = us-east-1\n[profile prod]\nregion = us-east-1\n")
        .args(["--profile", "staging", "list"])
        .run()
        .expect_code(2)
        .stderr_has("\"staging\" does not exist")
        .stderr_has("dev, prod");
    ssmgo()
        .env("AWS_PROFILE", "nope")
        .args(["list"])
        .run()
        .expect_code(2)
        .stderr_has("\"nope\" does not exist");
}

#[test]
fn missing_credentials_say_where_credentials_come_from() {
    ssmgo()
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .args(["list"])
        .run()
        .expect_code(1)
        .stderr_has("AWS credentials")
        .stderr_has("aws configure");
}

#[test]
fn an_sso_profile_without_a_login_says_to_run_aws_sso_login() {
    ssmgo()
        .aws_config(
            "[profile corp]\nsso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\n\
             sso_account_id = 123456789012\nsso_role_name = Ops\nregion = us-east-1\n",
        )
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .args(["--profile", "corp", "list"])
        .run()
        .expect_code(1)
        .stderr_has("aws sso login --profile corp");
}

#[test]
fn an_unreachable_endpoint_names_the_endpoint() {
    ssmgo()
        .env("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
        .env("AWS_MAX_ATTEMPTS", "1")
        .args(["list"])
        .run()
        .expect_code(1)
        .stderr_has("could not reach the AWS endpoint http://127.0.0.1:9");
}

#[test]
fn malformed_endpoint_tags_and_parameters_are_usage_errors() {
    ssmgo()
        .args(["--endpoint-url", "127.0.0.1:5000", "list"])
        .run()
        .expect_code(2)
        .stderr_has("http://");
    ssmgo()
        .args(["list", "-t", "=prod"])
        .run()
        .expect_code(2)
        .stderr_has("invalid --tag");
    ssmgo()
        .args(["list", "-t", "Env=a", "-t", "Env=b"])
        .run()
        .expect_code(2)
        .stderr_has("-t Env=a,b");
    ssmgo()
        .args([
            "connect",
            "i-0123456789abcdef0",
            "--parameters",
            "{\"a\": [1,]}",
        ])
        .run()
        .expect_code(2)
        .stderr_has("invalid --parameters")
        .stderr_has("line 1 column");
    ssmgo()
        .args(["list", "--page-size", "2"])
        .run()
        .expect_code(2);
    ssmgo()
        .args(["connect", "x", "--document", "no spaces allowed"])
        .run()
        .expect_code(2)
        .stderr_has("--document");
}

#[test]
fn help_documents_the_exit_codes() {
    ssmgo()
        .args(["--help"])
        .run()
        .expect_success()
        .stdout_has(&ssmgo::error::exit::help_text());
}

#[test]
fn throttling_after_retries_says_to_wait_or_narrow_the_listing() {
    crate::needs_emulator!();
    ssmgo()
        .env(
            "AWS_ENDPOINT_URL",
            // Every request throttled, the way EC2 and SSM do it.
            FaultProxy::start(&emu().endpoint, |call| Fault::throttled(call.json_protocol)).url,
        )
        .env("AWS_MAX_ATTEMPTS", "2")
        .args(["list"])
        .run()
        .expect_code(1)
        .stderr_has("throttling")
        .stderr_has("--tag");
}

#[test]
fn every_value_taking_flag_refuses_a_malformed_value_in_a_sentence() {
    let long_reason = "r".repeat(300);
    let cases: &[&[&str]] = &[
        &["--region", "eu west 1", "list"],
        &["--region", "EU-WEST-1", "list"],
        &["--endpoint-url", "ftp://127.0.0.1", "list"],
        &["--endpoint-url", "http://", "list"],
        &["--color", "purple", "list"],
        &["--preset", "nope", "list"],
        &["list", "-t", "=x"],
        &["list", "-t", ""],
        &["list", "-t", "Env=a", "-t", "Env=b"],
        &["list", "--page-size", "0"],
        &["list", "--page-size", "many"],
        &["connect", "web", "--document", "a b"],
        &["connect", "web", "--document", "x"],
        &["connect", "web", "--parameters", "not json"],
        &["connect", "web", "--parameters", "[1]"],
        &["connect", "web", "--parameters", r#"{"a": [1]}"#],
        &["connect", "web", "--reason", &long_reason],
        &["forward", "web", "0"],
        &["forward", "web", "80:"],
        &["forward", "web", "70000"],
        &["forward", "web", "8080:80", "--to", "db;rm"],
        &["ssh-proxy", "web", "0"],
        &["ssh-proxy", "web", "ssh"],
        &["ssh-config", "a b"],
        &["completions", "tcsh"],
        &["policy", "eval", "--action", "", "--resource", "*"],
        &[
            "policy",
            "eval",
            "--action",
            "StartSession",
            "--resource",
            "*",
        ],
        &[
            "policy",
            "eval",
            "--action",
            "ssm:StartSession",
            "--resource",
            "",
        ],
        &[
            "policy",
            "eval",
            "--action",
            "a",
            "--resource",
            "*",
            "--context",
            "novalue",
        ],
        &["no-such-subcommand-or-flag", "--nope"],
    ];
    for args in cases {
        let out = ssmgo().args(*args).run();
        let first = out.stderr.lines().next().unwrap_or_default();
        assert!(
            out.code == Some(2)
                && (first.starts_with("ssmgo: ") || first.starts_with("error: "))
                && !out.stderr.contains("panicked"),
            "{args:?}: exit {:?}\n{}",
            out.code,
            out.stderr
        );
    }
    // (The environment's SSMGO_TIMEOUT is refused as strictly: see faults.rs.)
}
