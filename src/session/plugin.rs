//! AWS's session-manager-plugin, driven exactly as the AWS CLI drives it.
//!
//! The contract (aws-cli `customizations/sessionmanager.py`): six arguments — the StartSession
//! response JSON, the region, `StartSession`, the profile name ("" when none), the request JSON
//! and the SSM endpoint URL. Plugins newer than 1.2.497.0 accept, instead of the response JSON,
//! the *name* of an environment variable that holds it, which keeps the session token off every
//! command line (`ps` shows argv to all local users).

use std::io;
use std::path::PathBuf;
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use crate::error::{Error, Result};
use crate::output::terminal::TerminalModes;

/// The executable the AWS CLI looks for.
pub const PLUGIN_NAME: &str = "session-manager-plugin";
/// The environment variable that carries the StartSession response to newer plugins.
pub const RESPONSE_ENV: &str = "AWS_SSM_START_SESSION_RESPONSE";
/// The last plugin version that only understands the response JSON in argv.
const LAST_VERSION_WITHOUT_ENV: &str = "1.2.497.0";

/// An installed plugin, probed once.
#[derive(Debug, Clone)]
pub struct Plugin {
    pub path: PathBuf,
    pub version: String,
    /// Whether the response goes in [`RESPONSE_ENV`] rather than on the command line.
    pub response_in_env: bool,
}

/// How the plugin will be started: program, arguments and the extra environment.
#[derive(Debug, Clone)]
pub struct Invocation {
    pub program: PathBuf,
    pub args: Vec<String>,
    pub env: Vec<(String, String)>,
    /// Variables the plugin must not inherit: a profile that would point it at another account
    /// than the credentials in `env`.
    pub env_clear: Vec<&'static str>,
}

/// The variables that carry a secret, shown redacted.
const SECRET_VARIABLES: [&str; 2] = ["AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"];

impl Plugin {
    /// Finds the plugin on PATH and asks its version. Done before StartSession, so a missing
    /// plugin never leaves an orphaned session behind (the AWS CLI starts one first).
    ///
    /// A plugin that does not answer `--version` within [`VERSION_DEADLINE`] is killed and
    /// reported, rather than blocking ssmgo forever.
    pub fn find() -> Result<Plugin> {
        let path = which::which(PLUGIN_NAME).map_err(|_| match not_executable_on_path() {
            // `which` passes over a file that can't be run: say that one is there.
            Some(path) => Error::PluginUnusable {
                path: path.display().to_string(),
                detail: "it is not executable: chmod +x it".into(),
            },
            None => Error::PluginMissing,
        })?;
        let unusable = |detail: String| Error::PluginUnusable {
            path: path.display().to_string(),
            detail,
        };
        let stdout = ask_version(&path, VERSION_DEADLINE).map_err(unusable)?;
        let version = String::from_utf8_lossy(&stdout).trim().to_owned();
        let response_in_env = match parse_version(&version) {
            Some(v) => v > parse_version(LAST_VERSION_WITHOUT_ENV).expect("a valid baseline"),
            None => {
                // Putting the token on argv shows it to every local user: when in doubt, keep it
                // in the environment (what every release since 2023 expects) and say so.
                crate::say!(
                    "ssmgo: warning: could not read the version of {} from {:?}; passing the session token in the environment, as plugins newer than {LAST_VERSION_WITHOUT_ENV} expect (if the session fails to start, update the plugin)",
                    path.display(),
                    crate::output::sanitize::truncated(&version, 40)
                );
                true
            }
        };
        Ok(Plugin {
            path,
            version,
            response_in_env,
        })
    }

    /// Stands for a plugin that is not installed, in a dry run: shown as a current plugin would be
    /// started.
    pub fn not_installed() -> Plugin {
        Plugin {
            path: PLUGIN_NAME.into(),
            version: "not installed".into(),
            response_in_env: true,
        }
    }

    /// The command line for a started session.
    pub fn invocation(
        &self,
        response_json: &str,
        region: &str,
        profile: &str,
        request_json: &str,
        endpoint: &str,
    ) -> Invocation {
        let (first, env) = if self.response_in_env {
            (
                RESPONSE_ENV.to_owned(),
                vec![(RESPONSE_ENV.to_owned(), response_json.to_owned())],
            )
        } else {
            (response_json.to_owned(), Vec::new())
        };
        Invocation {
            program: self.path.clone(),
            args: vec![
                first,
                region.to_owned(),
                "StartSession".to_owned(),
                profile.to_owned(),
                request_json.to_owned(),
                endpoint.to_owned(),
            ],
            env,
            env_clear: Vec::new(),
        }
    }
}

impl Invocation {
    /// The plugin acts with `credentials` (an assumed role's, as AWS_* variables): they go in its
    /// environment, never on its command line, and no profile of ssmgo's environment overrides
    /// them.
    pub fn with_credentials(mut self, credentials: Vec<(String, String)>) -> Invocation {
        if !credentials.is_empty() {
            self.env.extend(credentials);
            self.env_clear = vec!["AWS_PROFILE", "AWS_DEFAULT_PROFILE"];
        }
        self
    }
}

/// How long `session-manager-plugin --version` may take (it answers at once when healthy).
const VERSION_DEADLINE: Duration = Duration::from_secs(5);

/// The first file named session-manager-plugin on PATH, when it is there but not executable.
fn not_executable_on_path() -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(PLUGIN_NAME))
        .find(|file| {
            file.metadata()
                .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 == 0)
        })
}
/// Runs `path --version` and returns its stdout; kills it after `deadline`.
fn ask_version(path: &std::path::Path, deadline: Duration) -> std::result::Result<Vec<u8>, String> {
    use std::io::Read;
    let mut child = Command::new(path)
        .arg("--version")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| match e.raw_os_error() {
            Some(libc::ENOEXEC) => {
                "it is not a program this machine can run: built for another architecture?"
                    .to_owned()
            }
            _ => e.to_string(),
        })?;
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if started.elapsed() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "`--version` gave no answer within {} s, so it was stopped",
                    deadline.as_secs_f32()
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(e) => return Err(e.to_string()),
        }
    }
    let mut out = Vec::new();
    if let Some(stdout) = child.stdout.take() {
        // The version is one short line; a child that floods stdout is not read further.
        stdout
            .take(4096)
            .read_to_end(&mut out)
            .map_err(|e| e.to_string())?;
    }
    Ok(out)
}

/// A plugin version as its releases write it: `1.2.694.0`, also `v1.2.694.0` or
/// `1.2.694.0-beta` (the suffix is ignored); 1 to 4 numbers, missing ones are 0. `None` when no
/// version can be read.
pub fn parse_version(text: &str) -> Option<[u64; 4]> {
    let text = text.trim();
    let text = text.strip_prefix(['v', 'V']).unwrap_or(text);
    let end = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let numeric = &text[..end];
    // A suffix must be separated (`-beta`, `+build`, ` (linux)`), not glued to a number.
    if end < text.len() && !text[end..].starts_with(['-', '+', ' ', '_']) {
        return None;
    }
    let mut parts = [0u64; 4];
    for (i, part) in numeric.split('.').enumerate() {
        *parts.get_mut(i)? = part.parse().ok()?;
    }
    Some(parts)
}

impl Invocation {
    /// Starts the plugin in the foreground, with no shell. The keys that stop a local program
    /// (Ctrl-C, Ctrl-\, Ctrl-Z) belong to the remote shell while it runs: ssmgo ignores them
    /// until the plugin is waited for; the plugin gets the default dispositions back.
    /// Starts the plugin. ssmgo ignores the terminal's signals (Ctrl-C, Ctrl-\\, Ctrl-Z) while
    /// it runs, as the AWS CLI does: they are the plugin's, or the remote shell's; but those in
    /// `handled`, which ssmgo listens for itself and passes on (see
    /// [`super::start_and_hand_off`]).
    pub fn spawn(&self, handled: &[libc::c_int]) -> io::Result<Running> {
        let mut cmd = Command::new(&self.program);
        cmd.args(&self.args);
        for k in &self.env_clear {
            cmd.env_remove(k);
        }
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        let guard = IgnoreTerminalSignals::new(handled);
        #[cfg(unix)]
        {
            use std::os::unix::process::CommandExt;
            // SAFETY: only async-signal-safe calls (signal) between fork and exec.
            unsafe {
                cmd.pre_exec(|| {
                    for sig in TERMINAL_SIGNALS {
                        libc::signal(sig, libc::SIG_DFL);
                    }
                    Ok(())
                });
            }
        }
        let terminal = TerminalModes::save();
        Ok(Running {
            child: cmd.spawn()?,
            _guard: guard,
            terminal,
        })
    }

    /// The command line for display, with the session token redacted and each argument quoted
    /// for a POSIX shell (for reading and copying; ssmgo itself never uses a shell).
    pub fn display_redacted(&self, token: &str) -> String {
        let mut parts: Vec<String> = Vec::new();
        for (k, v) in &self.env {
            let v = match SECRET_VARIABLES.contains(&k.as_str()) {
                true => "<redacted>".to_owned(),
                false => redact(v, token),
            };
            parts.push(format!("{k}={}", shell_quote(&v)));
        }
        parts.push(shell_quote(&self.program.display().to_string()));
        parts.extend(self.args.iter().map(|a| shell_quote(&redact(a, token))));
        parts.join(" ")
    }
}

fn redact(text: &str, token: &str) -> String {
    if token.is_empty() {
        text.to_owned()
    } else {
        text.replace(token, "<redacted>")
    }
}

/// Quotes `s` for a POSIX shell when it needs it.
pub fn shell_quote(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@%+,".contains(c));
    if plain {
        s.to_owned()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

#[cfg(unix)]
const TERMINAL_SIGNALS: [libc::c_int; 3] = [libc::SIGINT, libc::SIGQUIT, libc::SIGTSTP];

/// A running plugin; the terminal's keys stay ignored by ssmgo until it has been waited for.
pub struct Running {
    child: std::process::Child,
    _guard: IgnoreTerminalSignals,
    /// The terminal's modes before the plugin ran: it makes the terminal raw for a shell and
    /// puts it back when it ends normally, but not when a signal ends it.
    terminal: TerminalModes,
}

impl Running {
    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// Waits for the plugin to end, then puts the terminal back as it was.
    pub fn wait(mut self) -> io::Result<ExitStatus> {
        let status = self.child.wait();
        self.terminal.restore();
        status
    }
}

/// Ignores the terminal's job-control signals while alive (all but those `handled`); puts the
/// previous actions back exactly on drop.
struct IgnoreTerminalSignals {
    #[cfg(unix)]
    previous: Vec<(libc::c_int, libc::sigaction)>,
}

impl IgnoreTerminalSignals {
    fn new(handled: &[libc::c_int]) -> Self {
        #[cfg(unix)]
        {
            let previous = TERMINAL_SIGNALS
                .iter()
                .filter(|sig| !handled.contains(sig))
                .filter_map(|&sig| {
                    // SAFETY: sigaction with structs we own; SIG_IGN runs no handler code.
                    unsafe {
                        let mut ignore: libc::sigaction = std::mem::zeroed();
                        ignore.sa_sigaction = libc::SIG_IGN;
                        libc::sigemptyset(&mut ignore.sa_mask);
                        let mut old: libc::sigaction = std::mem::zeroed();
                        (libc::sigaction(sig, &ignore, &mut old) == 0).then_some((sig, old))
                    }
                })
                .collect();
            IgnoreTerminalSignals { previous }
        }
        #[cfg(not(unix))]
        IgnoreTerminalSignals {}
    }
}

impl Drop for IgnoreTerminalSignals {
    fn drop(&mut self) {
        #[cfg(unix)]
        for (sig, old) in &self.previous {
            // SAFETY: restores the exact action saved above.
            unsafe {
                libc::sigaction(*sig, old, std::ptr::null_mut());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plugin(version: &str) -> Plugin {
        Plugin {
            path: "/usr/local/bin/session-manager-plugin".into(),
            version: version.into(),
            response_in_env: parse_version(version) > parse_version(LAST_VERSION_WITHOUT_ENV),
        }
    }

    #[test]
    fn versions_are_read_as_the_plugin_releases_write_them() {
        let v = |s| parse_version(s);
        assert_eq!(v("1.2.694.0"), Some([1, 2, 694, 0]));
        assert_eq!(v(" 1.2.500.0\n"), Some([1, 2, 500, 0]));
        assert_eq!(v("v1.2.694.0"), Some([1, 2, 694, 0]));
        assert_eq!(v("1.2.694.0-beta"), Some([1, 2, 694, 0]));
        assert_eq!(v("1.10"), Some([1, 10, 0, 0]));
        assert!(v("1.2.694.0") > v("1.2.497.0"));
        assert!(v("1.2.497.1") > v("1.2.497.0"));
        assert!(v("1.2.497") == v("1.2.497.0"));
        assert!(v("1.1.61.0") < v("1.2.497.0"));
        for bad in ["", "1.2.x", "1.2.3.4.5", "unknown", "1..2", "1.2.3beta"] {
            assert_eq!(v(bad), None, "{bad:?}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_plugin_that_hangs_on_version_is_stopped() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(PLUGIN_NAME);
        std::fs::write(&path, "#!/bin/sh\nexec sleep 30\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        let started = Instant::now();
        let err = ask_version(&path, Duration::from_millis(300)).unwrap_err();
        assert!(err.contains("no answer within"), "{err}");
        assert!(started.elapsed() < Duration::from_secs(10));
    }

    #[test]
    fn a_new_plugin_gets_the_response_through_the_environment() {
        let inv = plugin("1.2.694.0").invocation(
            r#"{"TokenValue":"SECRET"}"#,
            "eu-west-1",
            "",
            r#"{"Target":"i-1"}"#,
            "https://ssm.eu-west-1.amazonaws.com",
        );
        assert_eq!(
            inv.args,
            [
                RESPONSE_ENV,
                "eu-west-1",
                "StartSession",
                "",
                r#"{"Target":"i-1"}"#,
                "https://ssm.eu-west-1.amazonaws.com"
            ]
        );
        assert_eq!(
            inv.env,
            [(
                RESPONSE_ENV.to_string(),
                r#"{"TokenValue":"SECRET"}"#.to_string()
            )]
        );
        assert!(inv.args.iter().all(|a| !a.contains("SECRET")));
    }

    #[test]
    fn an_old_plugin_gets_the_response_as_its_first_argument() {
        let inv = plugin("1.2.497.0").invocation(
            "{}",
            "us-east-1",
            "dev",
            r#"{"Target":"i-1"}"#,
            "https://x",
        );
        assert_eq!(inv.args[0], "{}");
        assert_eq!(inv.args[3], "dev");
        assert!(inv.env.is_empty());
    }

    #[test]
    fn the_displayed_command_never_shows_the_token() {
        let inv = plugin("1.2.497.0").invocation(
            r#"{"TokenValue":"SECRET"}"#,
            "us-east-1",
            "",
            "{}",
            "https://x",
        );
        let shown = inv.display_redacted("SECRET");
        assert!(!shown.contains("SECRET"), "{shown}");
        assert!(shown.contains("<redacted>"), "{shown}");
        assert!(shown.contains(" '' "), "empty profile is visible: {shown}");
    }

    #[test]
    fn shell_quoting_is_only_for_what_needs_it() {
        assert_eq!(shell_quote("us-east-1"), "us-east-1");
        assert_eq!(shell_quote(""), "''");
        assert_eq!(shell_quote(r#"{"a":"it's"}"#), r#"'{"a":"it'\''s"}'"#);
    }
}
