//! `ssmgo list`: filters, pagination, JSON shape, and what is shown to a terminal.

use crate::support::{emu, sorted, ssmgo};

#[test]
fn key_equals_value_lists_exactly_the_instances_with_that_tag_value() {
    crate::needs_emulator!();
    let group = emu().group("kv");
    let dev = group.instance("a").tag("Env", "dev").launch();
    group.instance("b").tag("Env", "prod").launch();
    group.instance("c").launch();

    let out = ssmgo()
        .args(["list", "-t", &group.filter(), "-t", "Env=dev"])
        .run()
        .expect_success();
    assert_eq!(out.listed_ids(), [dev]);
}

#[test]
fn a_key_alone_lists_instances_that_carry_the_tag_whatever_its_value() {
    crate::needs_emulator!();
    let group = emu().group("key");
    let a = group.instance("a").tag("Owner", "ann").launch();
    let b = group.instance("b").tag("Owner", "").launch();
    group.instance("c").launch();

    let out = ssmgo()
        .args(["list", "-t", &group.filter(), "-t", "Owner"])
        .run()
        .expect_success();
    assert_eq!(out.listed_ids(), sorted(vec![a, b]));
}

#[test]
fn globs_and_comma_separated_alternatives_match_on_the_aws_side() {
    crate::needs_emulator!();
    let group = emu().group("glob");
    let web1 = group.instance("web-1").tag("Env", "dev").launch();
    let web2 = group.instance("web-2").tag("Env", "staging").launch();
    group.instance("web-3").tag("Env", "prod").launch();
    group.instance("db-1").tag("Env", "dev").launch();

    let name_glob = format!("Name={}-web-?", group.scope);
    let out = ssmgo()
        .args([
            "list",
            "-t",
            &group.filter(),
            "-t",
            &name_glob,
            "-t",
            "Env=dev,staging",
        ])
        .run()
        .expect_success();
    assert_eq!(out.listed_ids(), sorted(vec![web1, web2]));
}

#[test]
fn several_tags_are_all_required() {
    crate::needs_emulator!();
    let group = emu().group("and");
    let both = group
        .instance("a")
        .tag("Env", "dev")
        .tag("Team", "data")
        .launch();
    group.instance("b").tag("Env", "dev").launch();
    group.instance("c").tag("Team", "data").launch();

    let out = ssmgo()
        .args([
            "list",
            "-t",
            &group.filter(),
            "-t",
            "Env",
            "-t",
            "Team=data",
        ])
        .run()
        .expect_success();
    assert_eq!(out.listed_ids(), [both]);
}

#[test]
fn every_page_of_a_large_fleet_is_listed_and_joined_with_ssm() {
    crate::needs_emulator!();
    let group = emu().group("pages");
    // 30 reservations of 4: with --page-size 25, EC2 answers in 5 pages (it pages by
    // reservation); SSM's 50-per-page limit makes 3 pages of its own.
    let mut expected = Vec::new();
    for _ in 0..30 {
        expected.extend(group.unnamed().times(4).launch_all());
    }
    assert_eq!(expected.len(), 120);

    let out = ssmgo()
        .args(["list", "--json", "--page-size", "25", "-t", &group.filter()])
        .run()
        .expect_success();
    assert_eq!(out.listed_ids(), sorted(expected.clone()));
    let rows = out.json();
    assert!(rows
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["ping_status"] == "Online" && r["managed"] == true));

    let default_pages = ssmgo()
        .args(["list", "-t", &group.filter()])
        .run()
        .expect_success();
    assert_eq!(default_pages.listed_ids(), sorted(expected));
}

#[test]
fn a_fleet_of_several_pages_is_listed_zone_by_zone_with_none_missing() {
    crate::needs_emulator!();
    let group = emu().group("zones");
    // 3 zones × 6: a first page of 5 has a next page, so the rest is listed zone by zone, each
    // zone in its own sequence of pages, without the first page's rows again.
    let mut expected = Vec::new();
    for zone in ["us-east-1a", "us-east-1b", "us-east-1c"] {
        expected.extend(group.unnamed().in_zone(zone).times(6).launch_all());
    }
    let out = ssmgo()
        .args([
            "-v",
            "list",
            "--json",
            "--page-size",
            "5",
            "-t",
            &group.filter(),
        ])
        .run()
        .expect_success()
        .stderr_has("ec2 DescribeAvailabilityZones → HTTP 200");
    assert_eq!(out.listed_ids(), sorted(expected));
    let rows = out.json();
    let zones: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["availability_zone"].as_str().unwrap_or("-"))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    assert_eq!(zones, ["us-east-1a", "us-east-1b", "us-east-1c"]);
}

#[test]
fn json_rows_have_the_stable_fields_with_nulls_where_nothing_is_known() {
    crate::needs_emulator!();
    let group = emu().group("json");
    let named = group.instance("a").tag("Env", "dev").launch();
    let unmanaged = group.unnamed().unmanaged().launch();

    let out = ssmgo()
        .args(["list", "--json", "-t", &group.filter()])
        .run()
        .expect_success();
    let rows = out.json();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    let find = |id: &str| {
        rows.iter()
            .find(|r| r["instance_id"] == id)
            .unwrap()
            .clone()
    };

    let a = find(&named);
    for field in [
        "instance_id",
        "name",
        "state",
        "ping_status",
        "managed",
        "private_ip",
        "platform",
        "availability_zone",
        "tags",
    ] {
        assert!(a.get(field).is_some(), "missing {field} in {a}");
    }
    assert_eq!(a["name"], group.name("a"));
    assert_eq!(a["state"], "running");
    assert_eq!(a["ping_status"], "Online");
    assert_eq!(a["managed"], true);
    assert_eq!(a["tags"]["Env"], "dev");
    assert!(a["private_ip"].as_str().unwrap().starts_with("10."));
    assert!(a["availability_zone"]
        .as_str()
        .unwrap()
        .starts_with("us-east-1"));

    let u = find(&unmanaged);
    assert_eq!(u["name"], serde_json::Value::Null);
    assert_eq!(u["ping_status"], serde_json::Value::Null);
    assert_eq!(u["managed"], false);
}

#[test]
fn stopped_instances_are_hidden_unless_all_is_asked_and_then_say_why() {
    crate::needs_emulator!();
    let group = emu().group("all");
    let running = group.instance("up").launch();
    let stopped = group.instance("down").stopped().launch();

    let default = ssmgo()
        .args(["list", "-t", &group.filter()])
        .run()
        .expect_success();
    assert_eq!(default.listed_ids(), std::slice::from_ref(&running));

    let all = ssmgo()
        .args(["list", "--all", "-t", &group.filter()])
        .run()
        .expect_success();
    assert_eq!(all.listed_ids(), sorted(vec![running, stopped.clone()]));
    let rows = all.json();
    let down = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["instance_id"] == stopped.as_str())
        .unwrap();
    assert_eq!(down["state"], "stopped");
    assert_eq!(down["ping_status"], "ConnectionLost");
}

#[test]
fn ready_instances_come_first() {
    crate::needs_emulator!();
    let group = emu().group("order");
    let offline = group.instance("a-offline").agent_offline().launch();
    let unmanaged = group.instance("b-unmanaged").unmanaged().launch();
    let online = group.instance("z-online").launch();

    let out = ssmgo()
        .args(["list", "-t", &group.filter()])
        .run()
        .expect_success();
    let order: Vec<String> = out
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["instance_id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(order, [online, offline, unmanaged]);
}

#[test]
fn nothing_matching_is_exit_4_naming_the_filters() {
    crate::needs_emulator!();
    let group = emu().group("none");
    ssmgo()
        .args(["list", "-t", &group.filter(), "-t", "Env=nope"])
        .run()
        .expect_code(4)
        .stdout_has("[]")
        .stderr_has("no instance matches")
        .stderr_has("Env=nope")
        .stderr_has("ssmgo list --all");
}

#[test]
fn a_terminal_gets_an_aligned_table_with_tag_columns_and_safe_text() {
    crate::needs_emulator!();
    let group = emu().group("table");
    // EC2 speaks XML, which can't carry ESC itself; the 8-bit CSI (U+009B) it can, and some
    // terminals obey it just the same.
    group
        .instance("evil\u{9b}2J")
        .tag("Env", "prod\u{202e}dev")
        .launch();
    group.instance("down").tag("Env", "dev").stopped().launch();

    let mut run = ssmgo().args(["list", "--all", "-t", &group.filter(), "-t", "Env"]);
    let mut pty = crate::support::pty::Pty::spawn(run.command());
    let status = pty.wait(std::time::Duration::from_secs(30));
    assert!(status.success(), "{}", pty.tail());
    let screen = pty.text();
    assert!(screen.contains("NAME"), "{screen}");
    assert!(
        screen.contains("INSTANCE") && screen.contains("SSM") && screen.contains("NOTE"),
        "{screen}"
    );
    assert!(
        screen.contains("ssmgo-test") && screen.contains("Env"),
        "tag columns: {screen}"
    );
    assert!(
        screen.contains("evil\\x9b2J"),
        "escape shown, not obeyed: {screen}"
    );
    assert!(
        screen.contains("prod\\u{202e}dev"),
        "bidi override shown, not obeyed: {screen}"
    );
    assert!(
        !screen.contains('\u{9b}') && !screen.contains('\u{202e}'),
        "{screen}"
    );
    assert!(screen.contains("stopped"), "{screen}");
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    crate::needs_emulator!();
    let group = emu().group("pipe");
    // More JSON than a pipe buffer holds (64 KiB), so ssmgo is still writing when the reader leaves.
    for _ in 0..5 {
        group.unnamed().times(50).launch_all();
    }
    // Run it through a pipe that closes early and look at ssmgo's own status and stderr.
    let mut run = ssmgo().args(["list", "--json", "-t", &group.filter()]);
    let cmd = run.command();
    cmd.stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 16];
    std::io::Read::read_exact(&mut stdout, &mut first).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn concurrent_ssm_lookups_join_every_row_with_its_own_status() {
    crate::needs_emulator!();
    let group = emu().group("join");
    // More than two SSM calls' worth (50 ids a call), mixing every SSM state.
    let mut expected = std::collections::BTreeMap::new();
    for n in 0..130 {
        let launch = group.unnamed();
        let (launch, status) = match n % 5 {
            0 => (launch.unmanaged(), None),
            1 => (launch.agent_offline(), Some("ConnectionLost")),
            _ => (launch, Some("Online")),
        };
        expected.insert(launch.launch(), status);
    }
    let out = ssmgo()
        .args(["list", "--json", "-t", &group.filter()])
        .run()
        .expect_success();
    let rows = out.json();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), expected.len());
    for row in rows {
        let id = row["instance_id"].as_str().unwrap();
        let want = expected[id];
        assert_eq!(row["ping_status"].as_str(), want, "{id}");
        assert_eq!(row["managed"], want.is_some(), "{id}");
    }
}

#[test]
fn several_regions_are_listed_at_once_and_every_row_says_where_it_is() {
    crate::needs_emulator!();
    let group = emu().group("regions");
    let east = group.instance("east").launch();
    let west = group.instance("west").in_region("eu-west-1").launch();
    let out = ssmgo()
        .args([
            "list",
            "--region",
            "us-east-1,eu-west-1",
            "-t",
            &group.filter(),
            "--json",
        ])
        .run()
        .expect_success();
    assert_eq!(
        fields_of_rows(&out, ["region", "account", "instance_id"]),
        [
            ["eu-west-1", "123456789012", &west],
            ["us-east-1", "123456789012", &east],
        ]
    );

    // One region: the rows carry no origin (the output is what it always was).
    let out = ssmgo()
        .args(["list", "-t", &group.filter()])
        .run()
        .expect_success();
    assert!(out.json()[0].get("region").is_none());
    // A TARGET is looked for in every region of the list.
    ssmgo()
        .args([
            "doctor",
            &group.name("west"),
            "--region",
            "us-east-1,eu-west-1",
        ])
        .run()
        .expect_success();
    ssmgo()
        .args(["check", "x", "--region", "us-east-1,eu-west-1"])
        .run()
        .expect_code(4)
        .stderr_has("no instance has the id or Name \"x\" in us-east-1, eu-west-1");
}

#[test]
fn several_profiles_are_listed_at_once_each_with_its_own_region() {
    crate::needs_emulator!();
    let group = emu().group("profiles");
    let east = group.instance("east").launch();
    let west = group.instance("west").in_region("eu-west-1").launch();
    let out = ssmgo()
        .aws_config("[profile a]\nregion = us-east-1\n\n[profile b]\nregion = eu-west-1\n")
        .env_remove("AWS_REGION")
        .args(["list", "--profile", "a,b", "-t", &group.filter(), "--json"])
        .run()
        .expect_success();
    assert_eq!(
        fields_of_rows(&out, ["profile", "region", "instance_id"]),
        [["a", "us-east-1", &east], ["b", "eu-west-1", &west]]
    );
}

/// The named string fields of every row of `list --json`, rows sorted.
fn fields_of_rows<const N: usize>(
    out: &crate::support::Outcome,
    fields: [&str; N],
) -> Vec<[String; N]> {
    let mut rows: Vec<[String; N]> = out
        .json()
        .as_array()
        .expect("a JSON array")
        .iter()
        .map(|r| {
            fields.map(|f| {
                r[f].as_str()
                    .unwrap_or_else(|| panic!("no {f} in {r}"))
                    .to_owned()
            })
        })
        .collect();
    rows.sort();
    rows
}

#[test]
fn hostile_filters_and_tags_are_shown_harmlessly_everywhere() {
    crate::needs_emulator!();
    let group = emu().group("hostiletext");
    let long = "L".repeat(256);
    group
        .instance("web\u{200b}-prod\u{200d}-01")
        .tag("Env", "x\u{9b}2J\u{7f}")
        .tag("Long", &long)
        .launch();

    // The no-match hint echoes the filters: ESC must not reach stderr raw.
    let out = ssmgo()
        .args(["list", "-t", &group.filter(), "-t", "Env=\u{1b}[2J"])
        .run();
    assert!(!out.stderr.contains('\u{1b}'), "{:?}", out.stderr);
    assert!(out.stderr.contains("\\x1b[2J"), "{:?}", out.stderr);

    // JSON on a terminal: C1, DEL and zero-width characters are escaped, the values unchanged.
    let mut run = ssmgo().args(["list", "--json", "-t", &group.filter()]);
    let mut pty = crate::support::pty::Pty::spawn(run.command());
    assert!(pty.wait(std::time::Duration::from_secs(30)).success());
    let screen = pty.screen();
    for raw in ['\u{9b}', '\u{7f}', '\u{200b}', '\u{200d}'] {
        assert!(!screen.contains(raw), "{raw:?} raw in {screen:?}");
    }
    assert!(screen.contains("x\\u009b2J\\u007f"), "{screen}");
    let rows = ssmgo()
        .args(["list", "-t", &group.filter()])
        .run()
        .expect_success()
        .json();
    assert_eq!(rows[0]["tags"]["Env"], "x\u{9b}2J\u{7f}");
    assert_eq!(rows[0]["name"], group.name("web\u{200b}-prod\u{200d}-01"));

    // The table: zero-width characters made visible, a long value cut with a marker.
    let mut run = ssmgo().args(["list", "-t", &group.filter(), "-t", "Long"]);
    let mut pty = crate::support::pty::Pty::spawn(run.command());
    assert!(pty.wait(std::time::Duration::from_secs(30)).success());
    let screen = pty.text();
    assert!(
        screen.contains("web\\u{200b}-prod\\u{200d}-01"),
        "zero-width shown: {screen}"
    );
    assert!(screen.contains("…[+"), "long value cut: {screen}");
    assert!(!screen.contains(&long), "{screen}");
}

#[test]
fn list_takes_refresh_as_the_picker_does_and_replaces_the_cached_listing() {
    crate::needs_emulator!();
    let group = emu().group("list-refresh");
    let home = tempfile::tempdir().unwrap();
    let first = group.instance("a").launch();
    let out = ssmgo()
        .in_home(home.path())
        .args(["list", "-t", &group.filter()])
        .run()
        .expect_success();
    assert_eq!(out.listed_ids(), std::slice::from_ref(&first));
    let second = group.instance("b").launch();
    let out = ssmgo()
        .in_home(home.path())
        .args(["list", "--refresh", "-t", &group.filter()])
        .run()
        .expect_success();
    assert_eq!(out.listed_ids(), sorted(vec![first, second]));
}
