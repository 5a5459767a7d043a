//! The README is tested like code: a newcomer copies its try-it block line by line and gets a
//! shell, and every console example in it is what ssmgo prints.
//!
//! Both tests start an emulator of their own (tests/emu/emu.sh with its own `SSMGO_EMU_RUN`
//! directory), seeded by the block's own `tests/emu/emu.sh demo`, so the demo fleet never meets
//! the suite's instances and the block's last line (`emu.sh stop`) stops only its emulator.
//!
//! Console examples: each `$ COMMAND` line of a ```console block runs under a pseudo-terminal
//! (as typed, with NO_COLOR), in a directory holding the demo's policy files, and what follows it
//! up to the next `$` line is its output. A `$` line with a `# comment` shows something typed
//! into a terminal (the picker, a shell) and is not run. Values that differ from one emulator to
//! the next (instance ids, addresses, ports, times) are compared by their place, not their
//! digits, and runs of spaces as one. `SSMGO_REGENERATE=1` writes the outputs into README.md.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::support::pty::Pty;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn readme() -> String {
    std::fs::read_to_string(root().join("README.md")).unwrap()
}

/// A directory the README's commands run with: the built ssmgo first on PATH (what
/// `cargo install --path .` gives a newcomer), its own HOME and XDG directories, and an emulator
/// of its own, stopped when the test ends however it ends.
struct Newcomer {
    dir: tempfile::TempDir,
}

impl Newcomer {
    fn new() -> Newcomer {
        Newcomer {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn home(&self) -> PathBuf {
        self.dir.path().join("home")
    }

    fn emu_run(&self) -> PathBuf {
        self.dir.path().join("emu-run")
    }

    fn env(&self) -> Vec<(String, String)> {
        let bin = Path::new(env!("CARGO_BIN_EXE_ssmgo")).parent().unwrap();
        let home = self.home();
        // The emulator's virtualenv is the suite's (installed once), not a new one in this HOME.
        let real_home = std::env::var("HOME").unwrap_or_default();
        let cache = std::env::var("SSMGO_CACHE").unwrap_or(format!("{real_home}/.cache/ssmgo"));
        vec![
            (
                "PATH".into(),
                format!("{}:/usr/local/bin:/usr/bin:/bin", bin.display()),
            ),
            ("HOME".into(), home.display().to_string()),
            (
                "XDG_CONFIG_HOME".into(),
                home.join("config").display().to_string(),
            ),
            (
                "XDG_CACHE_HOME".into(),
                home.join("cache").display().to_string(),
            ),
            (
                "XDG_STATE_HOME".into(),
                home.join("state").display().to_string(),
            ),
            ("SSMGO_CACHE".into(), cache),
            ("SSMGO_EMU_RUN".into(), self.emu_run().display().to_string()),
            ("TERM".into(), "xterm".into()),
            ("NO_COLOR".into(), "1".into()),
            // Anything that tried to leave the machine would fail fast instead.
            ("HTTPS_PROXY".into(), "http://127.0.0.1:9".into()),
            ("HTTP_PROXY".into(), "http://127.0.0.1:9".into()),
            ("NO_PROXY".into(), "127.0.0.1,localhost".into()),
        ]
    }

    /// `cmd` in bash, as typed in this newcomer's terminal, from `cwd`.
    fn bash(&self, cwd: &Path, line: &str, extra: &[(String, String)]) -> Command {
        std::fs::create_dir_all(self.home()).unwrap();
        let mut cmd = Command::new("bash");
        cmd.env_clear()
            .envs(self.env())
            .envs(extra.iter().cloned())
            .current_dir(cwd)
            .args(["--norc", "--noprofile", "-c", line]);
        cmd
    }
}

impl Drop for Newcomer {
    fn drop(&mut self) {
        let _ = Command::new(root().join("tests/emu/emu.sh"))
            .arg("stop")
            .env("SSMGO_EMU_RUN", self.emu_run())
            .status();
    }
}

/// The shell lines of the README's try-it block.
fn try_it_block(readme: &str) -> Vec<String> {
    let at = readme
        .find("To try it without an AWS account")
        .expect("the README has a try-it block");
    let start = readme[at..].find("```sh\n").unwrap() + at + "```sh\n".len();
    let end = readme[start..].find("```").unwrap() + start;
    readme[start..end]
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_owned)
        .collect()
}

/// How many times `marker` has been written to the terminal.
fn count(pty: &Pty, marker: &str) -> usize {
    pty.text().matches(marker).count()
}

#[track_caller]
fn wait_count(pty: &Pty, marker: &str, n: usize, limit: Duration) {
    let start = Instant::now();
    while count(pty, marker) < n {
        assert!(
            start.elapsed() < limit,
            "{marker:?} was not written {n} times; the terminal ends with:\n{}",
            pty.tail()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The directory of AWS's real plugin as the try-it block names it (beside the repository), if
/// it is there; CI must have it.
fn plugin_dir() -> Option<PathBuf> {
    let dir = root().join("../shared/session-manager-plugin");
    if dir.join("session-manager-plugin").is_file() {
        return Some(dir);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "CI needs AWS's real session-manager-plugin in {}",
        dir.display()
    );
    eprintln!(
        "skipped: the README's examples run AWS's real plugin from {}",
        dir.display()
    );
    None
}

#[test]
fn the_try_it_block_run_line_by_line_lists_online_instances_and_opens_a_real_shell() {
    crate::needs_emulator!();
    let lines = try_it_block(&readme());
    let shell_line = lines
        .iter()
        .position(|l| l.contains("session-manager-plugin") && l.contains("ssmgo"))
        .expect("the block connects with AWS's plugin on PATH");
    if plugin_dir().is_none() {
        return;
    }
    let newcomer = Newcomer::new();
    // One interactive bash, as a newcomer's terminal: each line typed in turn, and after each
    // the prompt says its exit status, so the test knows when a line has ended and how.
    std::fs::create_dir_all(newcomer.home()).unwrap();
    let mut bash = Command::new("bash");
    bash.env_clear()
        .envs(newcomer.env())
        .env("PS1", "")
        .env("PROMPT_COMMAND", "printf '<<rc=%s>>\\n' $?")
        .current_dir(root())
        .args(["--norc", "--noprofile", "-i"]);
    let mut pty = Pty::spawn(&mut bash);
    wait_count(&pty, "<<rc=", 1, Duration::from_secs(20));
    let limit = Duration::from_secs(180);
    for (n, line) in lines.iter().enumerate() {
        let before = count(&pty, "<<rc=");
        pty.type_keys(line);
        pty.type_keys("\r");
        if n == shell_line {
            // The picker opens on the demo fleet; a person types a name and presses Enter.
            pty.wait_for("web-dev-0000", limit);
            pty.type_keys("web-dev-0000");
            std::thread::sleep(Duration::from_millis(300));
            pty.type_keys("\r");
            pty.wait_for("sh-remote$", limit);
            pty.type_keys("echo $((6*7))\r");
            pty.wait_for("\n42", limit);
            pty.type_keys("stty size\r");
            pty.wait_for("30 120", limit);
            pty.type_keys("exit\r");
        }
        wait_count(&pty, "<<rc=", before + 1, limit);
        let text = pty.text();
        let status = text.rsplit("<<rc=").next().unwrap();
        assert!(
            status.starts_with("0>>"),
            "line {} of the try-it block failed: {line}\nthe terminal ends with:\n{}",
            n + 1,
            pty.tail()
        );
        if line.trim_start().starts_with("ssmgo list") {
            let listing = text.rsplit("ssmgo list").next().unwrap();
            let rows: Vec<&str> = listing.lines().filter(|l| l.contains(" i-")).collect();
            let online = rows.iter().filter(|l| l.contains(" Online ")).count();
            assert!(
                online * 10 >= rows.len() * 9 && online > 100,
                "the demo fleet should list mostly Online instances ({online} of {}):\n{listing}",
                rows.len()
            );
        }
    }
    pty.type_keys("exit\r");
    pty.wait(Duration::from_secs(20));
}

/// A value that differs from one emulator to the next, compared by its place in the output.
struct Volatile {
    pattern: regex_lite::Regex,
    label: &'static str,
}

fn volatiles() -> Vec<Volatile> {
    let v = |p: &str, label| Volatile {
        pattern: regex_lite::Regex::new(p).unwrap(),
        label,
    };
    vec![
        v(r"http://127\.0\.0\.1:\d+", "endpoint"),
        v(
            r"\b(?:i|vpc|subnet|sg|igw|rtb|nat|vpce|eni|r)-[0-9a-f]{8,17}\b",
            "id",
        ),
        // ECS task ids: AWS's 32 hex digits, the emulator's UUIDs; a runtime id adds a number.
        v(
            r"\b(?:[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:-\d+)?\b",
            "task",
        ),
        v(r"\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b", "ip"),
        v(
            r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)?",
            "time",
        ),
        v(r"\b\d+ (?:s|min|h|d) ago\b", "age"),
        v(r"\b[A-Z0-9]{20}\b", "key"),
        v(r#"/[^\s'"]*/session-manager-plugin\b"#, "plugin path"),
    ]
}

/// The output with its volatile values replaced by their label and the order in which each
/// distinct value first appears (`<id 1>`, `<id 2>` …), runs of spaces as one, no trailing spaces.
fn normalized(text: &str) -> String {
    let mut text = text.replace("\r\n", "\n");
    for v in volatiles() {
        let mut seen: HashMap<String, usize> = HashMap::new();
        text = v
            .pattern
            .replace_all(&text, |c: &regex_lite::Captures| {
                let next = seen.len() + 1;
                let n = *seen.entry(c[0].to_owned()).or_insert(next);
                format!("<{} {n}>", v.label)
            })
            .into_owned();
    }
    let spaces = regex_lite::Regex::new(" {2,}").unwrap();
    text.lines()
        .map(|l| spaces.replace_all(l.trim_end(), " ").into_owned())
        .collect::<Vec<_>>()
        .join("\n")
        .trim_matches('\n')
        .to_owned()
}

/// One `$ COMMAND` of a console block with the output the README shows for it.
struct Example {
    command: String,
    shown: String,
    /// Where the shown output is in README.md (a byte range), to rewrite it.
    range: std::ops::Range<usize>,
    /// The block's indent (inside a list item).
    indent: usize,
    /// The last command of its block (no blank line after its output).
    last: bool,
}

fn console_examples(readme: &str) -> Vec<Example> {
    let mut examples = Vec::new();
    let mut at = 0;
    while let Some(found) = readme[at..].find("```console\n") {
        let fence = at + found;
        // A block inside a list item is indented; its lines are read without that indent.
        let indent = fence - readme[..fence].rfind('\n').map_or(0, |n| n + 1);
        let start = fence + "```console\n".len();
        let end = start + readme[start..].find("```").unwrap() - indent;
        at = end + indent + 3;
        let mut current: Option<(String, usize)> = None;
        let mut finish = |current: &mut Option<(String, usize)>, upto: usize| {
            if let Some((command, from)) = current.take() {
                examples.push(Example {
                    command,
                    shown: unindent(&readme[from..upto], indent),
                    range: from..upto,
                    indent,
                    last: upto == end,
                });
            }
        };
        let mut offset = start;
        let mut lines = readme[start..end].split_inclusive('\n');
        while let Some(line) = lines.next() {
            let here = offset;
            offset += line.len();
            if let Some(command) = line.get(indent..).and_then(|l| l.strip_prefix("$ ")) {
                finish(&mut current, here);
                // A line ending in `\` goes on on the next one, as in a shell.
                let mut command = command.trim_end().to_owned();
                while command.ends_with('\\') {
                    let next = lines.next().unwrap();
                    offset += next.len();
                    command.push('\n');
                    command.push_str(next.trim_end());
                }
                if !command.contains(" #") {
                    current = Some((command, offset));
                }
            }
        }
        finish(&mut current, end);
    }
    examples
}

fn unindent(text: &str, indent: usize) -> String {
    text.split_inclusive('\n')
        // A blank line has no indent to take off, and keeps its line end.
        .map(|l| l.get(indent..).unwrap_or(l.trim_start_matches(' ')))
        .collect()
}

fn indented(text: &str, indent: usize) -> String {
    let pad = " ".repeat(indent);
    text.split_inclusive('\n')
        .map(|l| match l.trim().is_empty() {
            true => l.trim_start_matches(' ').to_owned(),
            false => format!("{pad}{l}"),
        })
        .collect()
}

/// What `command` prints on a terminal, its exit status aside.
fn run_example(
    newcomer: &Newcomer,
    cwd: &Path,
    exports: &[(String, String)],
    command: &str,
) -> String {
    let mut pty = Pty::spawn(&mut newcomer.bash(cwd, command, exports));
    pty.wait(Duration::from_secs(120));
    let text = pty.text().replace("\r\n", "\n");
    // The shown output ends with the blank line that separates it from the next command.
    format!("{}\n\n", text.trim_end())
}

/// The exports `tests/emu/emu.sh demo` prints, as name/value pairs (`unset` lines dropped:
/// the newcomer's environment here has none of them).
fn demo_exports(newcomer: &Newcomer) -> Vec<(String, String)> {
    let out = newcomer
        .bash(root(), "tests/emu/emu.sh demo", &[])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "emu.sh demo failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter_map(|l| l.strip_prefix("export "))
        .flat_map(|l| l.split_whitespace())
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

#[test]
fn every_console_example_in_the_readme_is_what_ssmgo_prints() {
    crate::needs_emulator!();
    let Some(plugin) = plugin_dir() else {
        return;
    };
    let newcomer = Newcomer::new();
    let mut exports = demo_exports(&newcomer);
    // A user of the README has AWS's plugin installed (the try-it block puts it on PATH).
    let path = newcomer
        .env()
        .into_iter()
        .find(|(k, _)| k == "PATH")
        .unwrap()
        .1;
    exports.push(("PATH".into(), format!("{}:{path}", plugin.display())));
    // The policy examples read the demo's policy files by name, as a platform team's would.
    let work = newcomer.dir.path().join("work");
    std::fs::create_dir_all(&work).unwrap();
    std::fs::copy(
        root().join("tests/emu/policies/broken.json"),
        work.join("broken.json"),
    )
    .unwrap();
    let text = readme();
    let examples = console_examples(&text);
    assert!(examples.len() >= 8, "{} console examples", examples.len());
    let regenerate = std::env::var_os("SSMGO_REGENERATE").is_some();
    let mut rewritten = text.clone();
    let mut differ = Vec::new();
    // From the end, so that earlier ranges stay where they are while later ones are rewritten.
    for example in examples.iter().rev() {
        let printed = run_example(&newcomer, &work, &exports, &example.command);
        if normalized(&printed) != normalized(&example.shown) {
            differ.push(format!(
                "$ {}\n--- README.md shows:\n{}\n--- ssmgo printed:\n{}",
                example.command, example.shown, printed
            ));
        }
        // Every example from one run, so that the ids of one agree with the next; the plugin
        // where a user has it installed rather than where this checkout found it.
        let printed = printed.replace(
            &plugin.join("session-manager-plugin").display().to_string(),
            "/usr/local/bin/session-manager-plugin",
        );
        let printed = match example.shown.ends_with("\n\n") || !example.last {
            true => printed,
            false => format!("{}\n", printed.trim_end()),
        };
        rewritten.replace_range(example.range.clone(), &indented(&printed, example.indent));
    }
    if regenerate {
        std::fs::write(root().join("README.md"), rewritten).unwrap();
        return;
    }
    assert!(
        differ.is_empty(),
        "README.md's console examples differ from what ssmgo prints (SSMGO_REGENERATE=1 rewrites them):\n\n{}",
        differ.join("\n\n")
    );
}

#[test]
fn normalizing_compares_volatile_values_by_place() {
    let a = "web  i-0123456789abcdef0  10.0.0.1  i-0123456789abcdef0\nsaw 41 s ago at 2026-12-02T10:00:00Z  \n";
    let b = "web i-fedcba98765432100 10.9.8.7 i-fedcba98765432100\nsaw 3 s ago at 2025-01-01T00:00:00Z\n";
    assert_eq!(normalized(a), normalized(b));
    let swapped =
        "web i-0123456789abcdef0 10.0.0.1 i-1111111111abcdef0\nsaw 3 s ago at 2025-01-01T00:00:00Z";
    assert_ne!(normalized(a), normalized(swapped));
}
