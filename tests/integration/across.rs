//! Every command across the organization: `check`, `doctor`, `forward`, `ssh-config` and `run`
//! find their targets in any account and region of it (through the role assumed there);
//! several profiles named by a glob at once; and a listing or run that had to leave an account
//! out says so in its exit status and its JSON.

use std::time::Duration;

use serde_json::Value;

use crate::org::org_config;
use crate::support::fault::{Fault, FaultProxy};
use crate::support::pty::Pty;
use crate::support::{emu, ssmgo};

const WAIT: Duration = Duration::from_secs(30);

#[test]
fn check_and_doctor_find_an_instance_in_a_member_account_by_its_name_alone() {
    crate::needs_emulator!();
    let group = emu().group("across-examine");
    let dev = emu().member_account(&group.name("dev"));
    let id = group.in_account(dev).instance("web").launch();
    let name = group.name("web");
    let config = org_config(&[&dev.account], "");
    // The profile's own account has no such instance.
    ssmgo()
        .config(&config)
        .args(["check", &name])
        .run()
        .expect_code(4)
        .stderr_has(&format!("no instance has the id or Name {name:?}"));

    let out = ssmgo()
        .config(&config)
        .args(["--org", "check", "--json", &name])
        .run()
        .expect_success();
    let check = out.json();
    assert_eq!(check["decision"], "allowed", "{check}");
    let role = format!(
        "arn:aws:iam::{}:role/OrganizationAccountAccessRole",
        dev.account
    );
    assert_eq!(check["policy_source_arn"], role.as_str(), "{check}");
    let arns: Vec<&str> = check["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["arn"].as_str().unwrap())
        .collect();
    assert!(
        arns.contains(&format!("arn:aws:ec2:us-east-1:{}:instance/{id}", dev.account).as_str()),
        "simulated on the member account's instance: {arns:?}"
    );

    let out = ssmgo()
        .config(&config)
        .args(["--org", "doctor", &name])
        .run()
        .expect_success()
        .stdout_has("No problem found.");
    assert!(
        out.stdout
            .contains("instance profile ssmgo-test-agent, role ssmgo-test-agent-role"),
        "the member account's instance role was read: {}",
        out.stdout
    );

    // A Name that is nowhere says where it was looked for.
    ssmgo()
        .config(&config)
        .args([
            "--org",
            "--region",
            "us-east-1,eu-west-1",
            "doctor",
            "nowhere-at-all",
        ])
        .run()
        .expect_code(4)
        .stderr_has("no instance has the id or Name \"nowhere-at-all\" in eu-west-1, us-east-1");
}

#[test]
fn a_target_that_is_nowhere_names_the_accounts_that_could_not_be_searched() {
    crate::needs_emulator!();
    let group = emu().group("across-unsearched");
    let dev = emu().member_account(&group.name("dev"));
    let locked = emu().member_account(&group.name("locked"));
    group.in_account(locked).instance("hidden").launch();
    let config = org_config(
        &[&dev.account, &locked.account],
        &format!("{:?} = \"NoSuchRole\"", locked.account),
    );
    ssmgo()
        .config(&config)
        .args(["--org", "check", &group.name("hidden")])
        .run()
        .expect_code(4)
        .stderr_has(&format!(
            "ssmgo: warning: account {} left out: could not assume",
            locked.account
        ))
        .stderr_has(&format!(
            "(these could not be searched: account {}; the warnings above say why)",
            locked.account
        ));
}

/// The `--json` rows of a run: (account, region, instance, status, exit code).
fn results(rows: &Value) -> Vec<(String, String, String, String, i64)> {
    let text = |r: &Value, key: &str| r[key].as_str().unwrap_or("-").to_owned();
    let mut out: Vec<_> = rows
        .as_array()
        .expect("an array of results")
        .iter()
        .map(|r| {
            (
                text(r, "account"),
                text(r, "region"),
                text(r, "instance_id"),
                text(r, "status"),
                r["exit_code"].as_i64().unwrap_or(-1),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn run_over_two_member_accounts_and_two_regions_gives_each_target_its_own_exit_code() {
    crate::needs_emulator!();
    let group = emu().group("across-run");
    let dev = emu().member_account(&group.name("dev"));
    let prod = emu().member_account(&group.name("prod"));
    let launch = |account: &'static crate::support::Emu, name: &str, region: &str| {
        group
            .in_account(account)
            .instance(name)
            .tag("Env", "prod")
            .in_region(region)
            .launch()
    };
    let dev_us = launch(dev, "dev-us", "us-east-1");
    let dev_eu = launch(dev, "dev-eu", "eu-west-1");
    let prod_us = launch(prod, "prod-us", "us-east-1");
    let prod_eu = launch(prod, "prod-eu", "eu-west-1");
    // Not Env=prod: not run.
    group
        .in_account(prod)
        .instance("staging")
        .tag("Env", "staging")
        .launch();
    let config = org_config(&[&dev.account, &prod.account], "");
    // Each instance's copy exits with its own status: 0, except 3 on one of them.
    let script =
        format!("hostname >/dev/null; test \"$INSTANCE_ID\" = {prod_eu} && exit 3; exit 0");
    let out = ssmgo()
        .config(&config)
        .args([
            "--org",
            "--region",
            "us-east-1,eu-west-1",
            "run",
            "-t",
            "Env=prod",
        ])
        .args(["-t", &group.filter(), "--json", "--", &script])
        .run()
        .expect_code(7);
    let mut expected = vec![
        (
            dev.account.clone(),
            "us-east-1".into(),
            dev_us.clone(),
            "Success".into(),
            0,
        ),
        (
            dev.account.clone(),
            "eu-west-1".into(),
            dev_eu.clone(),
            "Success".into(),
            0,
        ),
        (
            prod.account.clone(),
            "us-east-1".into(),
            prod_us.clone(),
            "Success".into(),
            0,
        ),
        (
            prod.account.clone(),
            "eu-west-1".into(),
            prod_eu.clone(),
            "Failed".into(),
            3,
        ),
    ];
    expected.sort();
    assert_eq!(results(&out.json()), expected, "{}", out.stderr);

    // Each account's command was sent, and pre-checked, as that account's role.
    let log = emu().log();
    for (account, ids) in [
        (&dev.account, [&dev_us, &dev_eu]),
        (&prod.account, [&prod_us, &prod_eu]),
    ] {
        let role = format!("arn:aws:sts::{account}:assumed-role/OrganizationAccountAccessRole/");
        for id in ids {
            assert!(
                log.iter().any(|v| v["op"] == "SendCommand"
                    && v["caller"].as_str().is_some_and(|c| c.starts_with(&role))
                    && v["targets"]
                        .as_array()
                        .is_some_and(|t| t.iter().any(|t| t == id.as_str()))),
                "{id} was sent its command as {role}"
            );
        }
        let source = format!("arn:aws:iam::{account}:role/OrganizationAccountAccessRole");
        assert!(
            log.iter()
                .any(|v| v["op"] == "SimulatePrincipalPolicy" && v["source"] == source.as_str()),
            "pre-checked as {source}"
        );
    }

    // For people: the summary says where each ran.
    let out = ssmgo()
        .config(&config)
        .env("COLUMNS", "200")
        .args([
            "--org",
            "--region",
            "us-east-1,eu-west-1",
            "run",
            "-t",
            "Env=prod",
        ])
        .args(["-t", &group.filter(), "--", &script])
        .run()
        .expect_code(7)
        .stdout_has("ACCOUNT/REGION")
        .stdout_has("4 targets: 3 succeeded, 1 failed");
    let line = out
        .stdout
        .lines()
        .find(|l| l.contains(&prod_eu) && !l.contains(" | "))
        .unwrap_or_else(|| panic!("a summary line for {prod_eu}: {}", out.stdout));
    assert!(
        line.contains(&format!("{}/eu-west-1", prod.account)) && line.contains("Failed"),
        "{line}"
    );
}

/// A profile written the way tools like granted write SSO profiles: credentials come from a
/// `credential_process`, here one that prints `account`'s role credentials.
fn sso_style_profile(dir: &std::path::Path, name: &str, account: &crate::support::Emu) -> String {
    let script = dir.join(format!("creds-{name}"));
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\ncat <<'EOF'\n{}\nEOF\n",
            account.credential_process_output()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    format!(
        "[profile {name}]\ngranted_sso_start_url = https://example.awsapps.com/start\n\
         granted_sso_region = us-east-1\ngranted_sso_account_id = {}\n\
         granted_sso_role_name = OrganizationAccountAccessRole\ncommon_fate_generated_from = aws_sso\n\
         credential_process = {} --profile {name}\nregion = us-east-1\n",
        account.account,
        script.display()
    )
}

#[test]
fn a_profile_glob_lists_every_profile_it_matches_at_once() {
    crate::needs_emulator!();
    let group = emu().group("across-glob");
    let dir = tempfile::tempdir().unwrap();
    let mut aws_config = String::new();
    let mut expected = Vec::new();
    for short in ["a", "b", "c"] {
        let account = emu().member_account(&group.name(short));
        let id = group.in_account(account).instance(short).launch();
        let profile = format!("{}-{short}", group.name("team"));
        aws_config.push_str(&sso_style_profile(dir.path(), &profile, account));
        expected.push((profile, account.account.clone(), id));
    }
    // A profile the glob doesn't match is not listed.
    let other = emu().member_account(&group.name("other"));
    group.in_account(other).instance("other").launch();
    aws_config.push_str(&sso_style_profile(dir.path(), &group.name("other"), other));

    let glob = format!("{}-*", group.name("team"));
    let out = ssmgo()
        .aws_config(&aws_config)
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .args(["--profile", &glob, "list", "--json", "-t", &group.filter()])
        .run()
        .expect_success();
    let mut got: Vec<(String, String, String)> = out
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let text = |k: &str| r[k].as_str().unwrap_or("-").to_owned();
            (text("profile"), text("account"), text("instance_id"))
        })
        .collect();
    got.sort();
    expected.sort();
    assert_eq!(got, expected, "{}", out.stderr);

    // A glob that matches nothing is a mistake, with the profiles there are.
    ssmgo()
        .aws_config(&aws_config)
        .args(["--profile", "nothing-like-it-*", "list"])
        .run()
        .expect_code(2)
        .stderr_has("no AWS profile matches \"nothing-like-it-*\"")
        .stderr_has(&format!("{0}-a, {0}-b, {0}-c", group.name("team")));
}

#[test]
fn a_listing_that_left_an_account_out_exits_8_and_names_it_in_its_report() {
    crate::needs_emulator!();
    let group = emu().group("across-partial");
    let dev = emu().member_account(&group.name("dev"));
    let locked = emu().member_account(&group.name("locked"));
    let in_dev = group.in_account(dev).instance("web").launch();
    group.in_account(locked).instance("hidden").launch();
    let config = org_config(
        &[&dev.account, &locked.account],
        &format!("{:?} = \"NoSuchRole\"", locked.account),
    );
    let out = ssmgo()
        .config(&config)
        .args(["list", "--org", "--json=report", "-t", &group.filter()])
        .run()
        .expect_code(8)
        .stderr_has(&format!(
            "ssmgo: warning: account {} left out: could not assume",
            locked.account
        ))
        .stderr_has(&format!(
            "1 account/region could not be listed (account {}), so the listing is not complete",
            locked.account
        ));
    let report = out.json();
    assert_eq!(report["complete"], false, "{report}");
    let left_out = report["left_out"].as_array().unwrap();
    assert_eq!(left_out.len(), 1, "{report}");
    assert_eq!(left_out[0]["account"], locked.account.as_str());
    assert_eq!(left_out[0]["region"], Value::Null, "every region of it");
    assert_eq!(left_out[0]["exit_code"], 3);
    assert!(
        left_out[0]["error"].as_str().unwrap().starts_with(&format!(
            "could not assume arn:aws:iam::{}:role/NoSuchRole",
            locked.account
        )),
        "{report}"
    );
    let ids: Vec<&str> = report["instances"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["instance_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [in_dev.as_str()]);

    // Complete: the same object says so, and the status is 0.
    let out = ssmgo()
        .config(&org_config(&[&dev.account], ""))
        .args(["list", "--org", "--json=report", "-t", &group.filter()])
        .run()
        .expect_success();
    assert_eq!(out.json()["complete"], true);
    assert_eq!(out.json()["left_out"], serde_json::json!([]));
}

#[test]
fn an_account_whose_role_was_withdrawn_is_said_even_when_a_row_is_picked_at_once() {
    crate::needs_emulator!();
    let group = emu().group("across-quick");
    let dev = emu().member_account(&group.name("dev"));
    let gone = emu().member_account(&group.name("gone"));
    let id = group.in_account(dev).instance("web").launch();
    group.in_account(gone).instance("old").launch();
    let home = tempfile::tempdir().unwrap();
    let config = org_config(&[&dev.account, &gone.account], "");
    // The proxy holds AssumeRole into `gone` until the picker has closed: the pick comes first.
    let held = std::sync::Arc::new((std::sync::Mutex::new(true), std::sync::Condvar::new()));
    let proxy = {
        let held = held.clone();
        let gone_account = gone.account.clone();
        FaultProxy::start(&emu().endpoint, move |call| {
            if call.operation == "AssumeRole" && call.body.contains(&gone_account) {
                let (hold, released) = &*held;
                let hold = hold.lock().unwrap();
                let _ = released
                    .wait_timeout_while(hold, Duration::from_secs(60), |hold| *hold)
                    .unwrap();
            }
            Fault::Forward
        })
    };
    let ssmgo_here = || {
        ssmgo()
            .in_home(home.path())
            .config(&config)
            .env("AWS_ENDPOINT_URL", &proxy.url)
    };
    // Both accounts are listed, and remembered.
    *held.0.lock().unwrap() = false;
    ssmgo_here()
        .args(["list", "--org", "--json", "-t", &group.filter()])
        .run()
        .expect_success();
    *held.0.lock().unwrap() = true;
    gone.distrust_role();

    let mut run = ssmgo_here().args(["--org", "connect", "-t", &group.filter()]);
    let mut pty = Pty::spawn(run.command());
    pty.wait_for(&group.name("web"), WAIT);
    pty.type_keys("web");
    pty.wait_for("> web", WAIT);
    pty.type_keys("\r");
    // The picker has closed (the alternate screen left) before `gone` answered.
    let start = std::time::Instant::now();
    while !pty.screen().contains("\x1b[?1049l") {
        assert!(
            start.elapsed() < WAIT,
            "the picker never closed: {}",
            pty.tail()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    *held.0.lock().unwrap() = false;
    held.1.notify_all();
    let status = pty.wait(WAIT);
    assert_eq!(status.code(), Some(0), "{}", pty.tail());
    assert!(
        pty.text().contains(&format!(
            "ssmgo: warning: {}/us-east-1 left out: could not assume arn:aws:iam::{}:role/OrganizationAccountAccessRole",
            gone.account, gone.account
        )),
        "{}",
        pty.text()
    );
    let out = run.outcome(status.code(), Vec::new(), Vec::new());
    assert_eq!(out.connected_target(), id);
}

#[test]
fn an_organization_listing_on_a_terminal_shows_its_progress_and_clears_it() {
    crate::needs_emulator!();
    let group = emu().group("across-progress");
    let dev = emu().member_account(&group.name("dev"));
    group.in_account(dev).instance("web").launch();
    let config = org_config(&[&dev.account], "");
    let mut run = ssmgo().config(&config).args([
        "list",
        "--org",
        "--region",
        "us-east-1,eu-west-1",
        "-t",
        &group.filter(),
    ]);
    let mut pty = Pty::spawn(run.command());
    let status = pty.wait(WAIT);
    assert_eq!(status.code(), Some(0), "{}", pty.tail());
    let screen = pty.screen();
    // The configured account × two regions; the line ends with everything answered.
    assert!(
        screen.contains(
            "\r\x1b[2Kssmgo: listing 2 accounts/regions: 2 answered, 0 failed, 1 instances"
        ),
        "{screen:?}"
    );
    // It is erased before the table, which stays.
    let table = pty.rendered();
    assert!(!table.contains("ssmgo: listing"), "{table}");
    assert!(table.contains(&group.name("web")), "{table}");
}

#[test]
fn forwards_several_tunnels_go_to_the_one_instance_found_in_its_account() {
    crate::needs_emulator!();
    let group = emu().group("across-forward");
    let dev = emu().member_account(&group.name("dev"));
    let id = group.in_account(dev).instance("db").launch();
    let config = org_config(&[&dev.account], "");
    ssmgo()
        .config(&config)
        .args([
            "--org",
            "forward",
            &group.name("db"),
            "15432:5432",
            "16379:6379",
        ])
        .args(["--no-reconnect"])
        .run()
        .expect_success();
    let sessions = dev.sessions_on(&id);
    assert_eq!(
        sessions.len(),
        2,
        "one session per tunnel, in the member account: {sessions:?}"
    );
    assert!(emu().sessions_on(&id).is_empty());
}

#[test]
fn a_name_running_in_two_accounts_is_a_choice_not_a_guess() {
    crate::needs_emulator!();
    let group = emu().group("across-twice");
    let dev = emu().member_account(&group.name("dev"));
    let prod = emu().member_account(&group.name("prod"));
    let in_dev = group.in_account(dev).instance("web").launch();
    let in_prod = group.in_account(prod).instance("web").launch();
    let config = org_config(&[&dev.account, &prod.account], "");
    // Without a terminal to choose on: the candidates, each with where it is.
    ssmgo()
        .config(&config)
        .args(["--org", "check", &group.name("web")])
        .run()
        .expect_code(4)
        .stderr_has("matches 2 running instances")
        .stderr_has(&format!("{}/us-east-1  {in_dev}", dev.account))
        .stderr_has(&format!("{}/us-east-1  {in_prod}", prod.account));
    // On a terminal: asked, and the one chosen is checked in its account.
    let mut run = ssmgo()
        .config(&config)
        .args(["--org", "check", "--json", &group.name("web")]);
    let mut pty = Pty::spawn(run.command());
    pty.wait_for("2 running instances are named", WAIT);
    pty.wait_for(&in_prod, WAIT);
    let first_is_dev = {
        let text = pty.text();
        text.find(&in_dev) < text.find(&in_prod)
    };
    // The second line of the choice.
    pty.type_keys("j\r");
    let status = pty.wait(WAIT);
    assert_eq!(status.code(), Some(0), "{}", pty.tail());
    let chosen = if first_is_dev { &prod } else { &dev };
    let role = format!(
        "arn:aws:iam::{}:role/OrganizationAccountAccessRole",
        chosen.account
    );
    assert!(
        pty.text().contains(&role),
        "checked as {role}: {}",
        pty.tail()
    );
}

#[test]
fn a_run_that_could_not_search_an_account_exits_8_and_names_it_in_its_report() {
    crate::needs_emulator!();
    let group = emu().group("across-run-partial");
    let dev = emu().member_account(&group.name("dev"));
    let locked = emu().member_account(&group.name("locked"));
    let in_dev = group.in_account(dev).instance("web").launch();
    group.in_account(locked).instance("hidden").launch();
    let config = org_config(
        &[&dev.account, &locked.account],
        &format!("{:?} = \"NoSuchRole\"", locked.account),
    );
    let out = ssmgo()
        .config(&config)
        .args([
            "--org",
            "run",
            "-t",
            &group.filter(),
            "--json=report",
            "--",
            "true",
        ])
        .run()
        .expect_code(8)
        .stderr_has(&format!(
            "account {} left out: could not assume",
            locked.account
        ))
        .stderr_has("could not be searched");
    let report = out.json();
    assert_eq!(report["complete"], false, "{report}");
    assert_eq!(report["left_out"][0]["account"], locked.account.as_str());
    assert_eq!(
        results(&report["results"]),
        [(
            dev.account.clone(),
            "us-east-1".into(),
            in_dev,
            "Success".into(),
            0
        )]
    );
}

#[test]
fn one_concurrency_bound_holds_for_the_whole_run_across_accounts() {
    crate::needs_emulator!();
    let group = emu().group("across-bound");
    let dev = emu().member_account(&group.name("dev"));
    let prod = emu().member_account(&group.name("prod"));
    let mut ids = group.in_account(dev).instance("a").times(2).launch_all();
    ids.extend(group.in_account(prod).instance("b").times(2).launch_all());
    let config = org_config(&[&dev.account, &prod.account], "");
    let out = ssmgo()
        .config(&config)
        .args([
            "--org",
            "run",
            "-t",
            &group.filter(),
            "--max-concurrency",
            "1",
        ])
        .args(["--json", "--", "sleep 0.5"])
        .run()
        .expect_success();
    assert_eq!(out.json().as_array().unwrap().len(), 4, "{}", out.stderr);
    let runs = crate::run::invocations(&ids);
    assert_eq!(runs.len(), 4, "{runs:?}");
    assert_eq!(
        crate::run::most_at_once(&runs),
        1,
        "--max-concurrency 1 is the whole run's, not each account's: {runs:?}"
    );
}
