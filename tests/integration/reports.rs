//! The main error reports, compared whole (ids and scopes redacted): a report is read by people,
//! and a line that goes missing or changes should be a decision, not an accident.

use crate::precheck::{broken, user};
use crate::support::{emu, ssmgo};

#[test]
fn the_motivating_denial_is_reported_in_full() {
    crate::needs_emulator!();
    let group = emu().group("rep-broken");
    let id = group.instance("web").tag("Env", "dev").launch();
    let alice = user(&group, "alice", &broken());
    ssmgo()
        .signed_in_as(&alice)
        .args(["connect", &id])
        .run()
        .expect_code(3)
        .expect_stderr(&[(&id, "i-ID"), (&group.scope, "SCOPE")], r#"Access pre-check: ssm:StartSession on SCOPE-web (i-ID) would be DENIED for arn:aws:iam::123456789012:user/SCOPE-alice.
  DENIED session document arn:aws:ssm:us-east-1:123456789012:document/SSM-SessionManagerRunShell: implicitDeny
           no policy allows ssm:StartSession on the session document
           inline policy "ssm-access" of user SCOPE-alice statement 1 "Connect" (line 4, column 5) would allow it, but:
             - StringEquals aws:ResourceTag/Env: expected "dev", request has no such key
           the session document carries none of the instance's tags, so a resource-tag condition in a statement that also names the document can never hold for it
  ok     instance arn:aws:ec2:us-east-1:123456789012:instance/i-ID: allowed

Fix: give the session document its own statement without the resource-tag condition. Corrected inline policy "ssm-access" of user SCOPE-alice:
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "Connect",
      "Effect": "Allow",
      "Action": "ssm:StartSession",
      "Resource": "arn:aws:ec2:us-east-1:123456789012:instance/*",
      "Condition": {
        "StringEquals": {
          "aws:ResourceTag/Env": "dev"
        }
      }
    },
    {
      "Sid": "ConnectDocument",
      "Effect": "Allow",
      "Action": "ssm:StartSession",
      "Resource": "arn:aws:ssm:us-east-1:123456789012:document/SSM-SessionManagerRunShell"
    },
    {
      "Effect": "Allow",
      "Action": [
        "ec2:DescribeInstances",
        "ssm:DescribeInstanceInformation",
        "ssm:ListTagsForResource",
        "sts:GetCallerIdentity",
        "iam:SimulatePrincipalPolicy",
        "iam:GetUser",
        "iam:GetRole",
        "iam:ListUserPolicies",
        "iam:GetUserPolicy",
        "iam:ListAttachedUserPolicies",
        "iam:ListGroupsForUser",
        "iam:ListRolePolicies",
        "iam:GetRolePolicy",
        "iam:ListAttachedRolePolicies",
        "iam:GetPolicy",
        "iam:GetPolicyVersion",
        "iam:ListUserTags",
        "iam:ListRoleTags",
        "ssm:TerminateSession"
      ],
      "Resource": "*"
    }
  ]
}
ssm:StartSession on this request, before and after the fix:
  the session document  implicitDeny  -> allowed        arn:aws:ssm:us-east-1:123456789012:document/SSM-SessionManagerRunShell
  this instance         allowed       -> allowed        arn:aws:ec2:us-east-1:123456789012:instance/i-ID
ssmgo: ssm:StartSession would be denied on SCOPE-web (i-ID), so no session was started
  Fix the policy as shown above, then check again with `ssmgo check i-ID`; to let AWS decide anyway, pass --no-check (or set `check = "off"` in the config file)
"#);
}

#[test]
fn no_match_says_where_it_looked_and_how_to_widen() {
    crate::needs_emulator!();
    let group = emu().group("rep-nomatch");
    group.instance("web").tag("Env", "dev").launch();
    ssmgo()
        .args(["list", "-t", &group.filter(), "-t", "Env=prod"])
        .run()
        .expect_code(4)
        .expect_stderr(&[(&group.scope, "SCOPE")], r#"ssmgo: no instance matches ssmgo-test=SCOPE and Env=prod among running instances in us-east-1
  List what is there with `ssmgo list --all -t 'ssmgo-test=SCOPE' -t 'Env=prod'`, then loosen the filters
"#);
}

#[test]
fn an_unknown_target_names_the_region() {
    crate::needs_emulator!();
    let group = emu().group("rep-unknown");
    ssmgo()
        .args(["connect", &group.name("nothing")])
        .run()
        .expect_code(4)
        .expect_stderr(
            &[(&group.scope, "SCOPE")],
            r#"ssmgo: no instance has the id or Name "SCOPE-nothing" in us-east-1
  Run `ssmgo list` to see the instances you can connect to, or pass an instance id (i-…)
"#,
        );
}

#[test]
fn a_stopped_target_says_to_start_it_and_no_session_is_started() {
    crate::needs_emulator!();
    let group = emu().group("rep-stopped");
    let id = group.instance("db").stopped().launch();
    ssmgo()
        .args(["connect", &id])
        .run()
        .expect_code(4)
        .expect_stderr(
            &[(&id, "i-ID"), (&group.scope, "SCOPE")],
            r#"ssmgo: SCOPE-db (i-ID) cannot be connected to: it is stopped
  Start it and connect in one go with `ssmgo connect i-ID --start` (or: aws ec2 start-instances --instance-ids i-ID)
"#,
        );
    assert_eq!(emu().sessions_on(&id), []);
}

#[test]
fn a_bad_tag_spec_shows_the_forms_it_takes() {
    ssmgo()
        .args(["list", "-t", "=x"])
        .run()
        .expect_code(2)
        .expect_stderr(&[], r#"ssmgo: invalid --tag "=x": the tag key is empty
  Use KEY=VALUE (VALUE may use * and ? globs, a,b for alternatives) or KEY alone, e.g. -t Env=prod -t 'Name=web-*'
"#);
}

#[test]
fn an_unknown_preset_lists_the_known_ones() {
    let home = tempfile::tempdir().unwrap();
    let home_text = home.path().display().to_string();
    ssmgo()
        .in_home(home.path())
        .config("[preset.prod]\nregion = \"eu-west-1\"\n")
        .args(["-P", "stage", "list"])
        .run()
        .expect_code(2)
        .expect_stderr(
            &[(&home_text, "HOME")],
            r#"ssmgo: there is no preset "stage" in HOME/config/ssmgo/config.toml
  Known presets: prod. Add a [preset.stage] table to the config file, or check the name
"#,
        );
}

#[test]
fn a_missing_plugin_says_how_to_install_it_and_no_session_is_started() {
    crate::needs_emulator!();
    let group = emu().group("rep-noplugin");
    let id = group.instance("web").launch();
    ssmgo()
        .without_plugin()
        .args(["connect", &id])
        .run()
        .expect_code(1)
        .expect_stderr(&[(&id, "i-ID")], r#"ssmgo: session-manager-plugin was not found on PATH, so no session was started
  Install it: https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-working-with-install-plugin.html (macOS: `brew install --cask session-manager-plugin`; Debian/Ubuntu: the .deb from that page)
"#);
    assert_eq!(emu().sessions_on(&id), []);
}

/// `connect` with only the session-manager-plugin that `install` puts in an empty directory on
/// PATH: it must be named, with `reason`, and no session started.
fn a_broken_plugin_is_named(test: &str, install: impl FnOnce(&std::path::Path), reason: &str) {
    let group = emu().group(test);
    let id = group.instance("web").launch();
    let bin = tempfile::tempdir().unwrap();
    install(&bin.path().join("session-manager-plugin"));
    let bin_text = bin.path().display().to_string();
    ssmgo()
        .env("PATH", bin.path())
        .args(["connect", &id])
        .run()
        .expect_code(1)
        .expect_stderr(
            &[(&bin_text, "BIN")],
            &format!("ssmgo: session-manager-plugin at BIN/session-manager-plugin could not be run ({reason}), so no session was started\n  Reinstall the plugin, or fix its permissions\n"),
        );
    assert_eq!(emu().sessions_on(&id), []);
}

#[test]
fn a_plugin_that_is_not_executable_is_named_and_no_session_is_started() {
    crate::needs_emulator!();
    a_broken_plugin_is_named(
        "rep-noexec",
        |plugin| std::fs::write(plugin, "#!/bin/sh\necho 1.2.707.0\n").unwrap(),
        "it is not executable: chmod +x it",
    );
}

#[test]
fn a_plugin_for_another_architecture_is_named_and_no_session_is_started() {
    crate::needs_emulator!();
    a_broken_plugin_is_named(
        "rep-arch",
        |plugin| {
            // An ELF header for another machine (e_machine 0xB7, AArch64, or 0x3E, x86-64:
            // whichever this is not), then nothing: the kernel refuses to run it.
            let machine: u8 = if cfg!(target_arch = "aarch64") {
                0x3e
            } else {
                0xb7
            };
            let mut elf = vec![0x7f, b'E', b'L', b'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0];
            elf.extend_from_slice(&[2, 0, machine, 0, 1, 0, 0, 0]);
            elf.resize(64, 0);
            std::fs::write(plugin, elf).unwrap();
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(plugin, std::fs::Permissions::from_mode(0o755)).unwrap();
        },
        "it is not a program this machine can run: built for another architecture?",
    );
}
