//! Fitting the shell: completion scripts that load in real bash and zsh, dynamic completion of
//! instance names from the cache, colour that obeys --color and NO_COLOR, and -v's call trace.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use crate::support::pty::Pty;
use crate::support::{emu, ssmgo};

const WAIT: Duration = Duration::from_secs(20);

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A directory with `ssmgo` in it, for a shell's PATH.
fn bin_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_ssmgo"), dir.path().join("ssmgo")).unwrap();
    dir
}

/// An interactive `shell` under a pty, in `home`, with `rc` as its startup file, once it has
/// printed READY. Keep the returned directory alive while the shell runs.
fn interactive_shell(shell: &str, rc: &str, home: &Path) -> (Pty, tempfile::TempDir) {
    let bin = bin_dir();
    let mut cmd = Command::new(shell);
    match shell {
        "bash" => {
            std::fs::write(home.join(".rc"), rc).unwrap();
            cmd.args(["--noprofile", "--rcfile"])
                .arg(home.join(".rc"))
                .arg("-i");
        }
        "zsh" => {
            std::fs::write(home.join(".zshrc"), rc).unwrap();
            cmd.env("ZDOTDIR", home).args(["-i"]);
        }
        "fish" => {
            let dir = home.join("config/fish");
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(dir.join("config.fish"), rc).unwrap();
            cmd.args(["-i", "--private"]);
        }
        "elvish" => {
            let dir = home.join("config/elvish");
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(dir.join("rc.elv"), rc).unwrap();
            cmd.args(["-norc=false"]);
        }
        other => panic!("no such shell in these tests: {other}"),
    }
    cmd.env_clear()
        .current_dir(home)
        .env("PATH", format!("{}:/usr/bin:/bin", bin.path().display()))
        .env("HOME", home)
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("TERM", "xterm")
        .env("PS1", "$ ");
    let pty = Pty::spawn(&mut cmd);
    pty.wait_for("READY", WAIT);
    (pty, bin)
}

/// An interactive shell under a pty with `rc` as its startup file, after typing `keys`.
fn shell_completes(shell: &str, rc: &str, keys: &str, expected: &str, home: &Path) {
    let (mut pty, _bin) = interactive_shell(shell, rc, home);
    pty.type_keys(keys);
    pty.type_keys("\t");
    // Nothing shows that the first Tab is done (it may only ring the bell): a pause it is.
    std::thread::sleep(Duration::from_millis(300));
    pty.type_keys("\t");
    pty.wait_for(expected, WAIT);
    pty.kill();
}

#[test]
fn the_committed_bash_completion_completes_a_subcommand() {
    let home = tempfile::tempdir().unwrap();
    let rc = format!(
        "source {}\necho READY\n",
        root().join("completions/ssmgo.bash").display()
    );
    shell_completes("bash", &rc, "ssmgo ssh-c", "ssmgo ssh-config", home.path());
}

#[test]
fn the_committed_zsh_completion_completes_a_subcommand() {
    let home = tempfile::tempdir().unwrap();
    let rc = format!(
        "fpath=({} $fpath)\nautoload -U compinit && compinit -u\necho READY\n",
        root().join("completions").display()
    );
    shell_completes("zsh", &rc, "ssmgo forw", "ssmgo forward", home.path());
}

#[test]
fn dynamic_completion_offers_instance_names_from_the_cache() {
    crate::needs_emulator!();
    let group = emu().group("complete");
    group.instance("zebra-unique").launch();
    let home = tempfile::tempdir().unwrap();
    ssmgo()
        .in_home(home.path())
        .args(["list", "-t", &group.filter()])
        .run()
        .expect_success();
    let rc = "source <(COMPLETE=bash ssmgo)\necho READY\n";
    let prefix = group.name("zebra");
    shell_completes(
        "bash",
        rc,
        &format!("ssmgo connect {}", &prefix[..prefix.len() - 2]),
        &group.name("zebra-unique"),
        home.path(),
    );
}

#[test]
fn dynamic_completion_offers_ecs_task_ids_from_the_cache() {
    crate::needs_emulator!();
    let g = emu().group("complete-ecs");
    let cluster = emu().ecs_cluster(&g.name("c"));
    let task = emu().ecs_task(&cluster, &g.name("web")).launch();
    let home = tempfile::tempdir().unwrap();
    ssmgo()
        .in_home(home.path())
        .args(["ecs", "list", "--cluster", &cluster])
        .run()
        .expect_success();
    let rc = "source <(COMPLETE=bash ssmgo)\necho READY\n";
    shell_completes(
        "bash",
        rc,
        &format!("ssmgo ecs check {}", &task.id[..8]),
        &task.id,
        home.path(),
    );
}

/// Name tags written by someone who may call ec2:CreateTags, each of which would run `touch` if
/// a shell pasted it into the command line unquoted. `{n}` is the marker file's number.
const HOSTILE: &[&str] = &[
    "$(touch${IFS}pwned-{n})",
    "`touch pwned-{n}`",
    ";touch pwned-{n};",
    "|touch pwned-{n}|",
    "&touch pwned-{n}&",
    "'$(touch pwned-{n})'",
    "\"$(touch pwned-{n})\"",
    "x touch pwned-{n}",
    "\ntouch pwned-{n}\n",
    "*[?]{a,b}$(touch pwned-{n})",
];

/// Per shell: the dynamic hook (as the README says to load it), a scope-safe Name that must
/// complete (so the shell's completion is proven active), then each hostile Name's prefix
/// completed and entered. Nothing may be created.
fn hostile_names_never_run_in(shell: &str, hook: &str) {
    let group = emu().group(&format!("hostile-{shell}"));
    group.instance("safe-one").launch();
    for (n, payload) in HOSTILE.iter().enumerate() {
        let name = format!(
            "{}-h{n}-{}",
            group.scope,
            payload.replace("{n}", &n.to_string())
        );
        group.unnamed().tag("Name", &name).launch();
    }
    let home = tempfile::tempdir().unwrap();
    let listed = ssmgo()
        .in_home(home.path())
        .args(["list", "-t", &group.filter()])
        .run()
        .expect_success();
    assert_eq!(listed.listed_ids().len(), HOSTILE.len() + 1);

    let (mut pty, _bin) = interactive_shell(shell, &format!("{hook}\necho READY\n"), home.path());
    pty.type_keys(&format!("ssmgo check {}", group.name("safe-o")));
    pty.type_keys("\t");
    pty.wait_for(&group.name("safe-one"), WAIT);
    pty.type_keys("\x15");
    for n in 0..HOSTILE.len() {
        pty.type_keys(&format!("ssmgo check {}-h{n}-", group.scope));
        // As above, no event marks a Tab done: a hostile Name must have had time to act.
        pty.type_keys("\t");
        std::thread::sleep(Duration::from_millis(400));
        pty.type_keys("\t");
        std::thread::sleep(Duration::from_millis(400));
        pty.type_keys("\r");
        // Computed, so that the typed line itself never shows the marker (fish has no $((…))).
        if shell == "fish" {
            pty.type_keys(&format!("echo done-(math 40+{n})\r"));
        } else if shell == "elvish" {
            pty.type_keys(&format!("echo done-(+ 40 {n})\r"));
        } else {
            pty.type_keys(&format!("echo done-$((40+{n}))\r"));
        }
        pty.wait_for(&format!("done-{}", 40 + n), WAIT);
    }
    pty.kill();
    let created: Vec<String> = std::fs::read_dir(home.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|f| f.starts_with("pwned"))
        .collect();
    assert!(
        created.is_empty(),
        "{shell} ran code from a Name tag: {created:?}\n{}",
        pty.tail()
    );
}

#[test]
fn bash_completion_never_runs_code_from_name_tags() {
    crate::needs_emulator!();
    hostile_names_never_run_in("bash", "source <(COMPLETE=bash ssmgo)");
}

#[test]
fn zsh_completion_never_runs_code_from_name_tags() {
    crate::needs_emulator!();
    hostile_names_never_run_in(
        "zsh",
        "autoload -U compinit && compinit -u\nsource <(COMPLETE=zsh ssmgo)",
    );
}

#[test]
fn fish_completion_never_runs_code_from_name_tags() {
    crate::needs_emulator!();
    hostile_names_never_run_in("fish", "COMPLETE=fish ssmgo | source");
}

#[test]
fn elvish_completion_never_runs_code_from_name_tags() {
    crate::needs_emulator!();
    hostile_names_never_run_in(
        "elvish",
        "set edit:rprompt = { }\neval (env COMPLETE=elvish ssmgo | slurp)",
    );
}

#[test]
fn completions_subcommand_prints_the_committed_scripts() {
    crate::needs_emulator!();
    for (shell, file) in [
        ("bash", "ssmgo.bash"),
        ("zsh", "_ssmgo"),
        ("fish", "ssmgo.fish"),
    ] {
        let out = ssmgo().args(["completions", shell]).run().expect_success();
        let committed = std::fs::read_to_string(root().join("completions").join(file)).unwrap();
        assert_eq!(out.stdout, committed, "{shell}");
    }
}

#[test]
fn colour_follows_the_flag_and_no_color() {
    crate::needs_emulator!();
    let group = emu().group("color");
    group.instance("web").launch();
    let list = || ssmgo().args(["list", "-t", &group.filter()]);
    // stdout is a pipe here, so `list` writes JSON; the table is what --json's absence on a
    // terminal gives. Force the table through the pty instead.
    let mut run = list().args(["--color", "always"]);
    let mut pty = Pty::spawn(run.command());
    pty.wait(WAIT);
    assert!(
        pty.screen().contains("\x1b[32mOnline\x1b[0m"),
        "{:?}",
        pty.screen()
    );

    let mut run = list().env("NO_COLOR", "1");
    let mut pty = Pty::spawn(run.command());
    pty.wait(WAIT);
    let text = pty.screen();
    assert!(
        text.contains("Online") && !text.contains("\x1b[32m"),
        "{text:?}"
    );

    let mut run = list().args(["--color", "always"]).env("NO_COLOR", "1");
    let mut pty = Pty::spawn(run.command());
    pty.wait(WAIT);
    assert!(pty.screen().contains("\x1b[32m"), "the flag beats NO_COLOR");
}

#[test]
fn verbose_shows_each_aws_call_without_secrets() {
    crate::needs_emulator!();
    let group = emu().group("verbose");
    group.instance("web").launch();
    let out = ssmgo()
        .args(["-v", "list", "-t", &group.filter()])
        .env("AWS_SESSION_TOKEN", "SECRET-TOKEN-VALUE")
        .run()
        .expect_success();
    let out = out
        .stderr_has("ssmgo: aws: ec2 DescribeInstances → HTTP 200 in ")
        .stderr_has("ssmgo: aws: ssm DescribeInstanceInformation → HTTP 200");
    assert!(!out.stderr.contains("SECRET-TOKEN-VALUE"));
    assert!(
        !out.stderr.contains("testing"),
        "no access key id in the trace"
    );
}
