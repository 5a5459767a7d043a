//! ssmgo when the network and AWS misbehave: a StartSession answer lost after AWS carried it
//! out, throttling, HTML error pages from something in between, calls that never answer, a
//! credential_process that hangs. Each runs the real binary through a fault-injecting proxy in
//! front of the emulator (support/fault.rs), all on loopback.

use std::time::{Duration, Instant};

use crate::support::fault::{Fault, FaultProxy};
use crate::support::{emu, ssmgo};

fn through(proxy: &FaultProxy) -> crate::support::Ssmgo {
    ssmgo().env("AWS_ENDPOINT_URL", &proxy.url)
}

#[test]
fn a_lost_start_session_answer_leaves_no_session_open_and_is_not_retried() {
    crate::needs_emulator!();
    let group = emu().group("lostanswer");
    let id = group.instance("web").launch();
    let proxy = FaultProxy::start(&emu().endpoint, |call| match call.operation.as_str() {
        "StartSession" => Fault::ForwardThenDrop,
        _ => Fault::Forward,
    });
    let out = through(&proxy)
        .args(["connect", &id, "--no-check"])
        .run()
        .expect_code(1)
        .stderr_has("the answer to StartSession on")
        .stderr_has("was lost")
        .stderr_has("the 1 session(s) it had started were terminated, so none is left open");
    assert!(out.plugin.is_none(), "no plugin without a session");
    assert_eq!(
        proxy.count("StartSession"),
        1,
        "StartSession is never retried blindly"
    );
    let sessions = emu().sessions_on(&id);
    assert_eq!(sessions.len(), 1, "{sessions:?}");
    assert!(
        sessions.iter().all(|s| s.status == "Terminated"),
        "{sessions:?}"
    );
}

#[test]
fn a_throttled_start_session_is_tried_again_and_starts_exactly_one_session() {
    crate::needs_emulator!();
    let group = emu().group("throttledstart");
    let id = group.instance("web").launch();
    let proxy = FaultProxy::start(&emu().endpoint, |call| {
        if call.operation == "StartSession" && call.nth <= 2 {
            Fault::throttled(true)
        } else {
            Fault::Forward
        }
    });
    through(&proxy)
        .args(["connect", &id, "--no-check"])
        .run()
        .expect_success();
    assert_eq!(proxy.count("StartSession"), 3);
    let sessions = emu().sessions_on(&id);
    assert_eq!(sessions.len(), 1, "{sessions:?}");
}

/// A test's own 40 instances, listed 5 to a page (8 pages of DescribeInstances and more of
/// SSM), through `endpoint`.
fn paged_listing(group: &crate::support::Group, endpoint: &str) -> crate::support::Ssmgo {
    ssmgo().env("AWS_ENDPOINT_URL", endpoint).args([
        "list",
        "--page-size",
        "5",
        "-t",
        &group.filter(),
    ])
}

fn launch_40(group: &crate::support::Group) {
    // One reservation each: moto pages DescribeInstances by reservation.
    for n in 0..40 {
        group.instance(&format!("web-{n}")).launch();
    }
}

/// Lists a group's 40 instances without faults, then through a proxy that applies `rule`:
/// the listing must be the same. Returns the proxies, for counting requests.
fn whole_despite(
    test: &str,
    rule: impl Fn(&crate::support::fault::Call) -> Fault + Send + Sync + 'static,
) -> (FaultProxy, FaultProxy) {
    let group = emu().group(test);
    launch_40(&group);
    let clean = FaultProxy::start(&emu().endpoint, |_| Fault::Forward);
    let expected = paged_listing(&group, &clean.url).run().expect_success();
    let proxy = FaultProxy::start(&emu().endpoint, rule);
    let out = paged_listing(&group, &proxy.url).run().expect_success();
    assert_eq!(
        out.json(),
        expected.json(),
        "the same listing as without faults"
    );
    (clean, proxy)
}

#[test]
fn a_connection_reset_on_page_3_is_retried_and_the_listing_is_whole() {
    crate::needs_emulator!();
    let (clean, proxy) = whole_despite("reset3", |call| {
        if call.operation == "DescribeInstances" && call.nth == 3 {
            Fault::Reset
        } else {
            Fault::Forward
        }
    });
    assert_eq!(
        proxy.count("DescribeInstances"),
        clean.count("DescribeInstances") + 1,
        "page 3 asked once more, nothing else"
    );
}

#[test]
fn a_burst_of_internal_errors_is_retried_and_the_listing_is_whole() {
    crate::needs_emulator!();
    // Requests 3 to 6 of every operation fail with AWS's 500, in its own protocol.
    let (clean, proxy) = whole_despite("burst500", |call| {
        if (3..=6).contains(&call.nth) {
            Fault::internal_error(call.json_protocol)
        } else {
            Fault::Forward
        }
    });
    let extra = proxy.total() - clean.total();
    assert!(
        extra <= 4 * 4,
        "each failed request retried, no storm: {extra} extra requests"
    );
}

#[test]
fn a_listing_survives_30_percent_throttling_quickly_without_a_storm() {
    crate::needs_emulator!();
    let group = emu().group("throttle30");
    launch_40(&group);
    let list = |endpoint: &str| paged_listing(&group, endpoint);
    let clean = FaultProxy::start(&emu().endpoint, |_| Fault::Forward);
    let expected = list(&clean.url).run().expect_success();
    assert!(
        clean.count("DescribeInstances") >= 8,
        "paged: {}",
        clean.total()
    );
    assert!(
        !expected.stderr.contains("throttling"),
        "{}",
        expected.stderr
    );

    // Three requests in ten, in both protocols, are answered with AWS's throttling error.
    let proxy = FaultProxy::start(&emu().endpoint, |call| {
        if matches!(call.total % 10, 1 | 4 | 7) {
            Fault::throttled(call.json_protocol)
        } else {
            Fault::Forward
        }
    });
    let started = Instant::now();
    let out = list(&proxy.url).run().expect_success();
    let took = started.elapsed();
    assert_eq!(
        out.json(),
        expected.json(),
        "the same listing as without faults"
    );
    let out = out.stderr_has("ssmgo: AWS is throttling");
    assert_eq!(
        out.stderr.matches("AWS is throttling").count(),
        1,
        "said once: {}",
        out.stderr
    );
    // Each throttled request is retried once more, not in a storm.
    assert!(
        proxy.total() <= clean.total() * 2,
        "{} requests with faults, {} without",
        proxy.total(),
        clean.total()
    );
    eprintln!(
        "30% throttling: {} requests (fault-free {}), {:.2} s",
        proxy.total(),
        clean.total(),
        took.as_secs_f64()
    );
}

#[test]
fn an_html_error_page_is_one_sentence_without_the_sdk_dump() {
    crate::needs_emulator!();
    let group = emu().group("html500");
    let id = group.instance("web").launch();
    for (failing, args) in [
        ("DescribeInstances", vec!["list".to_owned()]),
        ("DescribeInstanceInformation", vec!["list".to_owned()]),
        (
            "StartSession",
            vec!["connect".to_owned(), id.clone(), "--no-check".to_owned()],
        ),
    ] {
        let proxy = FaultProxy::start(&emu().endpoint, move |call| {
            if call.operation == failing {
                Fault::html_500()
            } else {
                Fault::Forward
            }
        });
        let out = through(&proxy)
            .args(&args)
            .args(["-t", &group.filter()])
            .run()
            .expect_code(1);
        let err = &out.stderr;
        assert!(
            err.contains(&format!("AWS call {failing} failed"))
                && err.contains("HTTP 500")
                && err.contains("\n  "),
            "{failing}: {err}"
        );
        for dump in [
            "ResponseError",
            "<html>",
            "headers",
            "SdkBody",
            "Unknown: \n",
        ] {
            assert!(!err.contains(dump), "{failing}: {dump:?} in {err}");
        }
        assert!(err.lines().count() <= 3, "{failing}: {err}");
        // --verbose shows what the endpoint answered.
        let verbose = through(&proxy)
            .args(["-v"])
            .args(&args)
            .args(["-t", &group.filter()])
            .run()
            .expect_code(1);
        assert!(verbose.stderr.contains("500"), "{}", verbose.stderr);
    }
    assert!(emu().sessions_on(&id).is_empty());
}

#[test]
fn a_call_that_never_answers_is_given_up_after_the_timeout_naming_the_endpoint() {
    crate::needs_emulator!();
    let group = emu().group("hang");
    group.instance("web").launch();
    let proxy = FaultProxy::start(&emu().endpoint, |call| {
        if call.operation == "DescribeInstances" {
            Fault::Hang
        } else {
            Fault::Forward
        }
    });
    // The proxy holds the call for 300 s: the message below only comes from ssmgo's own
    // timeout (a connection the proxy closed would be another error).
    through(&proxy)
        .env("SSMGO_TIMEOUT", "2s")
        .args(["list", "-t", &group.filter()])
        .run()
        .expect_code(1)
        .stderr_has(&format!(
            "no answer from {} to DescribeInstances within 2 s",
            proxy.url
        ))
        .stderr_has("SSMGO_TIMEOUT");
    assert!(proxy.count("DescribeInstances") <= 3);
    ssmgo()
        .env("SSMGO_TIMEOUT", "0s")
        .args(["list"])
        .run()
        .expect_code(2)
        .stderr_has("SSMGO_TIMEOUT");
}

#[test]
fn a_hung_credential_process_is_named_and_stopped() {
    let dir = tempfile::tempdir().unwrap();
    let (run, pid_file) = ssmgo().with_hanging_credential_process(dir.path());
    let out = run
        .env("SSMGO_TIMEOUT", "1s")
        .args(["--profile", "hang", "list"])
        .run()
        .expect_code(1)
        .stderr_has("ssmgo: waiting for AWS credentials from profile hang")
        .stderr_has("no AWS credentials came from profile hang within 4 s")
        .stderr_has("were stopped");
    assert!(!out.stderr.contains("could not reach"), "{}", out.stderr);
    // Stopped means killed: gone, or a zombie that only waits for init to reap it. ssmgo sends
    // SIGKILL to its descendants and does not wait for them (they are not all its children),
    // so the process may die a moment after ssmgo has exited; it would sleep for minutes yet.
    let pid = std::fs::read_to_string(&pid_file).unwrap();
    let pid: i32 = pid.trim().parse().unwrap();
    assert!(
        crate::support::stops_within(pid, Duration::from_secs(30)),
        "the credential_process {pid} was left running"
    );
}

#[test]
fn missing_credentials_read_as_sentences_not_escaped_dumps() {
    let out = ssmgo()
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .args(["list"])
        .run()
        .expect_code(1)
        .stderr_has("no AWS credentials were found");
    assert!(!out.stderr.contains("\\x0a"), "{}", out.stderr);
    assert!(out.stderr.lines().count() <= 3, "{}", out.stderr);
}

#[test]
fn credentials_that_expire_before_start_session_say_so_and_start_nothing() {
    crate::needs_emulator!();
    let group = emu().group("expired");
    let id = group.instance("web").launch();
    // The listing and the pre-check pass; then AWS finds the session token expired.
    let proxy = FaultProxy::start(&emu().endpoint, |call| {
        match call.operation.as_str() {
        "StartSession" => Fault::Respond {
            status: 400,
            content_type: "application/x-amz-json-1.1",
            body: r#"{"__type":"ExpiredTokenException","message":"The security token included in the request is expired"}"#.into(),
        },
        _ => Fault::Forward,
    }
    });
    let out = through(&proxy)
        .args(["connect", &id, "--no-check"])
        .run()
        .expect_code(1)
        .expect_stderr(
            &[(&group.scope, "SCOPE"), (&id, "i-ID")],
            "ssmgo: starting a session on SCOPE-web (i-ID)\nssmgo: AWS rejected the credentials during StartSession (ExpiredTokenException: The security token included in the request is expired)\n  The keys are invalid or the session token has expired: refresh them (e.g. `aws sso login`, or a new `aws sts` session) and try again\n",
        );
    assert!(out.plugin.is_none(), "no plugin without a session");
    assert_eq!(
        proxy.count("StartSession"),
        1,
        "not retried with the same keys"
    );
    assert_eq!(emu().sessions_on(&id), []);
}

#[test]
fn keys_aws_does_not_know_are_refused_in_a_sentence() {
    crate::needs_emulator!();
    let group = emu().group("badkeys");
    group.instance("web").launch();
    // As EC2 and SSM answer a request signed with an access key IAM never issued.
    let proxy = FaultProxy::start(&emu().endpoint, |call| {
        if call.json_protocol {
            Fault::Respond {
                status: 400,
                content_type: "application/x-amz-json-1.1",
                body: r#"{"__type":"UnrecognizedClientException","message":"The security token included in the request is invalid."}"#.into(),
            }
        } else {
            Fault::Respond {
                status: 401,
                content_type: "text/xml",
                body: "<Response><Errors><Error><Code>AuthFailure</Code><Message>AWS was not able to validate the provided access credentials</Message></Error></Errors><RequestID>1</RequestID></Response>".into(),
            }
        }
    });
    let out = through(&proxy)
        .args(["list", "-t", &group.filter()])
        .run()
        .expect_code(1);
    let first = out.stderr.lines().next().unwrap_or_default();
    assert!(
        first.starts_with("ssmgo: AWS rejected the credentials during ")
            && first.contains("not able to validate")
            || first.contains("token included in the request is invalid"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("The keys are invalid"),
        "{}",
        out.stderr
    );
    assert!(
        proxy.total() <= 4,
        "no retry storm on bad keys: {}",
        proxy.total()
    );
}
