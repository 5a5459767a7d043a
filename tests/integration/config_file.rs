//! The config file: precedence, presets, and malformed files named by line and key.

use crate::support::{emu, sorted, ssmgo};

#[test]
fn the_config_files_tag_filter_applies_until_a_flag_replaces_it() {
    crate::needs_emulator!();
    let group = emu().group("cfgtag");
    let web = group.instance("web").tag("Team", "web").launch();
    let db = group.instance("db").tag("Team", "db").launch();
    let config = format!("tag = [\"{}\"]\n", group.filter());

    let out = ssmgo().config(&config).args(["list", "--json"]).run();
    assert_eq!(
        out.expect_success().listed_ids(),
        sorted(vec![web.clone(), db])
    );

    let out = ssmgo()
        .config(&config)
        .args(["list", "--json", "-t", &group.filter(), "-t", "Team=web"])
        .run();
    assert_eq!(out.expect_success().listed_ids(), [web]);
}

#[test]
fn a_preset_brings_its_filters_and_the_environment_beats_the_config() {
    crate::needs_emulator!();
    let group = emu().group("preset");
    let db = group.instance("db").tag("Team", "db").launch();
    group.instance("web").tag("Team", "web").launch();
    let config = format!(
        "region = \"eu-west-3\"\n\n[preset.dbs]\nregion = \"eu-west-2\"\ntag = [\"{}\", \"Team=db\"]\n",
        group.filter()
    );
    // AWS_REGION (us-east-1, where the group is) is set by the harness and beats the config's,
    // and ssmgo says so: a preset is meant to fix the account and region.
    let out = ssmgo()
        .config(&config)
        .args(["-P", "dbs", "list", "--json"])
        .run()
        .expect_success()
        .stderr_has("note: AWS_REGION=us-east-1 overrides preset dbs's \"eu-west-2\"");
    assert_eq!(out.listed_ids(), [db]);

    let out = ssmgo()
        .config(&config)
        .args(["--preset", "nope", "list"])
        .run();
    out.expect_code(2)
        .stderr_has("no preset \"nope\"")
        .stderr_has("Known presets: dbs");
}

#[test]
fn config_show_says_where_every_value_came_from() {
    let config = "profile = \"ops\"\nregion = \"eu-west-1\"\ncache-ttl = \"15m\"\n[preset.prod]\nregion = \"eu-central-1\"\ndocument = \"Ops-Shell\"\n";
    // (arguments, environment AWS_REGION, expected region line)
    let table: [(&[&str], Option<&str>, &str); 4] = [
        (&["config", "show"], None, "eu-west-1"),
        (&["-P", "prod", "config", "show"], None, "eu-central-1"),
        (
            &["-P", "prod", "config", "show"],
            Some("ap-south-1"),
            "ap-south-1",
        ),
        (
            &["--region", "sa-east-1", "config", "show"],
            Some("ap-south-1"),
            "sa-east-1",
        ),
    ];
    let sources = [
        "(config)",
        "(config [preset.prod])",
        "(environment AWS_REGION)",
        "(flag --region)",
    ];
    for ((args, env, region), source) in table.into_iter().zip(sources) {
        let mut run = ssmgo().config(config).env_remove("AWS_REGION");
        if let Some(r) = env {
            run = run.env("AWS_REGION", r);
        }
        let out = run.args(args).run().expect_success();
        let line = out
            .stdout
            .lines()
            .find(|l| l.starts_with("region "))
            .unwrap_or_else(|| panic!("no region line:\n{}", out.stdout))
            .to_owned();
        assert!(
            line.contains(region) && line.ends_with(source),
            "{args:?} {env:?}: {line}"
        );
    }
    let out = ssmgo()
        .config(config)
        .args(["config", "show"])
        .run()
        .expect_success();
    out.stdout_has("cache-ttl")
        .stdout_has("900s")
        .stdout_has("# presets: prod");
}

#[test]
fn a_malformed_config_is_an_error_naming_file_line_and_key_but_config_path_still_works() {
    let run = || ssmgo().config("region = \"eu-west-1\"\n\n[preset.prod]\ntags = [\"Env=prod\"]\n");
    let out = run().args(["list"]).run();
    out.expect_code(2)
        .stderr_has("ssmgo/config.toml is invalid, line 4, key `preset.prod.tags`")
        .stderr_has("unknown field `tags`")
        .stderr_has("ssmgo config show");
    let out = run().args(["config", "path"]).run().expect_success();
    assert!(
        out.stdout.trim_end().ends_with("config/ssmgo/config.toml"),
        "{}",
        out.stdout
    );
    run().args(["config", "show"]).run().expect_code(2);
    // Offline commands don't read the config at all.
    run().args(["completions", "bash"]).run().expect_success();
}

#[test]
fn ssmgo_config_environment_variable_points_at_another_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("team.toml");
    std::fs::write(&file, "colour = \"never\"\n").unwrap();
    let out = ssmgo().env("SSMGO_CONFIG", &file).args(["list"]).run();
    out.expect_code(2)
        .stderr_has("team.toml is invalid, line 1, key `colour`");
}
