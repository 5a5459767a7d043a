//! `--org`: every account of the emulator's organization × every region, each account through
//! the role AWS makes in it; accounts that can't be reached, and regions an account hasn't
//! enabled, are warnings beside the rows of the rest; a session in a member account is handed
//! to the plugin with that account's credentials, in its environment only.

use std::time::Duration;

use serde_json::Value;

use crate::support::fault::{Fault, FaultProxy, Gate};
use crate::support::pty::Pty;
use crate::support::{emu, ssmgo};

/// `[org]` listing exactly these accounts, with `roles` as `[org.roles]` lines.
pub(crate) fn org_config(accounts: &[&str], roles: &str) -> String {
    let accounts: Vec<String> = accounts.iter().map(|a| format!("{a:?}")).collect();
    format!(
        "[org]\naccounts = [{}]\n[org.roles]\n{roles}\n",
        accounts.join(", ")
    )
}

/// `ssmgo list --org --region us-east-1,eu-west-1 --json -t FILTER`, with `config` if any.
fn list_org_in_two_regions(config: Option<&str>, filter: &str) -> crate::support::Outcome {
    let run = match config {
        Some(text) => ssmgo().config(text),
        None => ssmgo(),
    };
    run.args([
        "list",
        "--org",
        "--region",
        "us-east-1,eu-west-1",
        "--json=report",
        "-t",
        filter,
    ])
    .run()
}

/// A listing of the whole organization (organizations:ListAccounts) sees every test's member
/// accounts, and some tests break theirs on purpose (a withdrawn role, a region not enabled):
/// it must be complete for `accounts`, whatever the others. The run wrote `--json=report`.
pub(crate) fn expect_complete_for(
    out: crate::support::Outcome,
    accounts: &[&str],
) -> crate::support::Outcome {
    let report = out.json();
    let left_out = report["left_out"].as_array().expect("a report's left_out");
    let ours: Vec<&Value> = left_out
        .iter()
        .filter(|l| accounts.contains(&l["account"].as_str().unwrap_or("")))
        .collect();
    assert!(ours.is_empty(), "{ours:?} left out: {}", out.stderr);
    let status = if left_out.is_empty() { 0 } else { 8 };
    out.expect_code(status)
}

/// (account, account_name, region, instance_id) of every row, sorted.
fn origins(rows: &Value) -> Vec<(String, String, String, String)> {
    let text = |row: &Value, key: &str| row[key].as_str().unwrap_or("-").to_owned();
    let mut out: Vec<_> = rows
        .as_array()
        .expect("a JSON array")
        .iter()
        .map(|r| {
            (
                text(r, "account"),
                text(r, "account_name"),
                text(r, "region"),
                text(r, "instance_id"),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn the_organizations_accounts_and_regions_are_listed_at_once_each_row_saying_where() {
    crate::needs_emulator!();
    let group = emu().group("org-list");
    let dev = emu().member_account(&group.name("dev"));
    let prod = emu().member_account(&group.name("prod"));
    let own = group.instance("mgmt").launch();
    let in_dev = group.in_account(dev).instance("web").launch();
    let prod_group = group.in_account(prod);
    let in_prod = prod_group.instance("db").launch();
    let in_prod_eu = prod_group.instance("db-eu").in_region("eu-west-1").launch();
    let out = list_org_in_two_regions(None, &group.filter());
    let out = expect_complete_for(out, &[&emu().account, &dev.account, &prod.account]);
    let dev_name = group.name("dev");
    let prod_name = group.name("prod");
    let mut expected = vec![
        (
            dev.account.clone(),
            dev_name,
            "us-east-1".to_owned(),
            in_dev,
        ),
        (
            prod.account.clone(),
            prod_name.clone(),
            "eu-west-1".to_owned(),
            in_prod_eu,
        ),
        (
            prod.account.clone(),
            prod_name,
            "us-east-1".to_owned(),
            in_prod,
        ),
        (
            emu().account.clone(),
            "-".to_owned(),
            "us-east-1".to_owned(),
            own,
        ),
    ];
    // The management account's name is whatever the emulator calls it: only its id matters.
    let mut got = origins(&out.json()["instances"]);
    for row in &mut got {
        if row.0 == emu().account {
            row.1 = "-".into();
        }
    }
    expected.sort();
    assert_eq!(got, expected, "{}", out.stderr);
}

#[test]
fn an_account_whose_role_cant_be_assumed_is_a_warning_beside_the_others_rows() {
    crate::needs_emulator!();
    let group = emu().group("org-denied");
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
        .args(["list", "--org", "--json", "-t", &group.filter()])
        .run()
        .expect_code(8)
        .stderr_has(&format!(
            "ssmgo: warning: account {} left out: could not assume arn:aws:iam::{}:role/NoSuchRole",
            locked.account, locked.account
        ))
        .stderr_has("trust policy must name your account");
    assert_eq!(out.listed_ids(), [in_dev]);
}

#[test]
fn a_region_the_account_has_not_enabled_is_a_warning_and_the_others_are_listed() {
    crate::needs_emulator!();
    let group = emu().group("org-region");
    let dev = emu().member_account(&group.name("dev"));
    let in_dev = group.in_account(dev).instance("web").launch();
    dev.disable_regions("eu-west-1");
    let config = org_config(&[&dev.account], "");
    let out = list_org_in_two_regions(Some(&config), &group.filter())
        .expect_code(8)
        .stderr_has(&format!(
            "ssmgo: warning: {}/eu-west-1 left out: the region eu-west-1 is not enabled in account {}",
            dev.account, dev.account
        ));
    let report = out.json();
    assert_eq!(report["left_out"][0]["region"], "eu-west-1", "{report}");
    assert_eq!(report["left_out"][0]["account"], dev.account.as_str());
    let ids: Vec<&str> = report["instances"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["instance_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [in_dev.as_str()]);
}

#[test]
fn when_no_account_can_be_reached_the_listing_fails_with_the_reason() {
    crate::needs_emulator!();
    let group = emu().group("org-none");
    let dev = emu().member_account(&group.name("dev"));
    ssmgo()
        .config(&format!(
            "[org]\nenabled = true\nrole = \"NoSuchRole\"\naccounts = [{:?}]\n",
            dev.account
        ))
        .args(["list", "--json", "-t", &group.filter()])
        .run()
        .expect_code(3)
        .stderr_has(&format!(
            "could not assume arn:aws:iam::{}:role/NoSuchRole",
            dev.account
        ));
}

#[test]
fn a_session_in_a_member_account_gives_the_plugin_its_credentials_in_the_environment_only() {
    crate::needs_emulator!();
    let group = emu().group("org-connect");
    let dev = emu().member_account(&group.name("dev"));
    let id = group.in_account(dev).instance("web").launch();
    let home = tempfile::tempdir().unwrap();
    let config = org_config(&[&dev.account], "");
    let connect = |args: &[&str]| {
        let out = ssmgo()
            .in_home(home.path())
            .config(&config)
            .args(args)
            .run()
            .expect_success();
        let plugin = out.plugin().clone();
        (out, plugin)
    };
    let check = |plugin: &Value| {
        let env = &plugin["env"];
        let key = env["AWS_ACCESS_KEY_ID"].as_str().expect("an access key id");
        let secret = env["AWS_SECRET_ACCESS_KEY"].as_str().expect("a secret key");
        let token = env["AWS_SESSION_TOKEN"].as_str().expect("a session token");
        assert_ne!(key, "testing", "the caller's own keys, not the account's");
        assert!(env.get("AWS_PROFILE").is_none(), "{env}");
        let argv = plugin["argv"].to_string();
        assert!(
            !argv.contains(secret) && !argv.contains(token) && !argv.contains(key),
            "credentials on the command line: {argv}"
        );
        // The profile argument is empty: the plugin takes the environment's credentials.
        assert_eq!(plugin["argv"][4], "", "{argv}");
        assert_eq!(emu().account_of(key, secret, token), dev.account);
    };
    let (out, plugin) = connect(&["--org", &id]);
    assert_eq!(out.connected_target(), id);
    check(&plugin);
    // `ssmgo -` goes back through the same role.
    let (out, plugin) = connect(&["-"]);
    assert_eq!(out.connected_target(), id);
    check(&plugin);
}

#[test]
fn the_real_plugin_opens_a_shell_in_a_member_account() {
    crate::needs_emulator!();
    let group = emu().group("org-real");
    let dev = emu().member_account(&group.name("dev"));
    let id = group.in_account(dev).instance("web").launch();
    let Some(run) = ssmgo().with_real_plugin() else {
        return;
    };
    let mut run = run.config(&org_config(&[&dev.account], ""));
    let wait = Duration::from_secs(30);
    let mut pty = Pty::spawn(run.command().args(["--org", &id]));
    pty.wait_for("sh-remote$", wait);
    pty.type_keys("echo in-$((40+2))\r");
    pty.wait_for("in-42", wait);
    pty.type_keys("exit\r");
    let status = pty.wait(wait);
    assert!(status.success(), "{}", pty.tail());
    let sessions = dev.sessions_on(&id);
    assert_eq!(sessions.len(), 1, "the session is the member account's");
    assert!(emu().sessions_on(&id).is_empty());
}

#[test]
fn the_picker_opens_on_the_last_organization_listing_without_asking_organizations_again() {
    crate::needs_emulator!();
    let group = emu().group("org-picker");
    let dev = emu().member_account(&group.name("dev"));
    let id = group.in_account(dev).instance("web").launch();
    let home = tempfile::tempdir().unwrap();
    // Both runs go through a proxy (the endpoint is part of what a cache is for). Once armed,
    // it holds DescribeInstances until the test has seen the cached rows: they are shown only
    // until the fresh listing is in, which may be at once.
    let gate = Gate::default();
    let proxy = {
        let gate = gate.clone();
        FaultProxy::start(&emu().endpoint, move |call| {
            if call.operation == "DescribeInstances" {
                gate.hold();
            }
            Fault::Forward
        })
    };
    // A listing of the organization: its accounts are remembered, each listing cached.
    let listed = ssmgo()
        .in_home(home.path())
        .env("AWS_ENDPOINT_URL", &proxy.url)
        .args(["list", "--org", "--json=report", "-t", &group.filter()])
        .run();
    expect_complete_for(listed, &[&emu().account, &dev.account]);
    gate.arm();
    let mut run = ssmgo()
        .in_home(home.path())
        .env("AWS_ENDPOINT_URL", &proxy.url)
        .args(["-v", "--org", "connect", "-t", &group.filter()]);
    let mut pty = Pty::spawn(run.command());
    pty.wait_for(&group.name("web"), Duration::from_secs(30));
    // The picker opened on the cached rows, before the fresh listing.
    pty.wait_for("cached", Duration::from_secs(30));
    gate.open();
    pty.type_keys("web");
    pty.wait_for("> web", Duration::from_secs(30));
    pty.type_keys("\r");
    let status = pty.wait(Duration::from_secs(30));
    assert_eq!(status.code(), Some(0), "{}", pty.tail());
    let text = pty.text();
    // The picker opened on the cached rows; the accounts came from the last listing, not from
    // AWS Organizations; the member's role was assumed when its requests first needed it.
    assert!(!text.contains("ListAccounts"), "{text}");
    assert!(
        text.contains(&format!(
            "aws:PrincipalArn = arn:aws:iam::{}:role/OrganizationAccountAccessRole",
            dev.account
        )),
        "the pre-check asked as the member account's role: {text}"
    );
    let out = run.outcome(status.code(), Vec::new(), Vec::new());
    assert_eq!(out.connected_target(), id);
    let env = &out.plugin()["env"];
    let key = env["AWS_ACCESS_KEY_ID"].as_str().expect("an access key id");
    let secret = env["AWS_SECRET_ACCESS_KEY"].as_str().expect("a secret key");
    let token = env["AWS_SESSION_TOKEN"].as_str().expect("a session token");
    assert_eq!(emu().account_of(key, secret, token), dev.account);
}
