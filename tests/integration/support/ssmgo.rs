//! Running the real ssmgo binary: a builder for one run's environment (dummy credentials, a
//! private HOME, the fake plugin on PATH, the emulator as every endpoint) and how the run ended.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

use super::{Principal, REGION};

/// Where ssmgo's AWS requests go: the emulator when the run has one, else a loopback port
/// nothing listens on, so that an offline test that reached AWS would fail at once.
fn endpoint() -> String {
    std::env::var("SSMGO_TEST_ENDPOINT").unwrap_or_else(|_| "http://127.0.0.1:9".into())
}

/// AWS's real plugin, if the test run has one (`SSMGO_TEST_REAL_PLUGIN`). With CI=true a missing
/// plugin fails the test that asked; elsewhere the test says why it did not run.
pub fn real_plugin() -> Option<PathBuf> {
    let path = std::env::var_os("SSMGO_TEST_REAL_PLUGIN").map(PathBuf::from);
    match path {
        Some(p) if p.is_file() => Some(p),
        other => {
            let why = match other {
                Some(p) => format!("SSMGO_TEST_REAL_PLUGIN={} is not a file", p.display()),
                None => "SSMGO_TEST_REAL_PLUGIN is not set (scripts/test sets it to ../shared/session-manager-plugin/session-manager-plugin when that exists)".into(),
            };
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "CI needs AWS's real session-manager-plugin: {why}"
            );
            eprintln!("skipped: this test needs AWS's real session-manager-plugin: {why}");
            None
        }
    }
}

/// The fake session-manager-plugin's directory (put on PATH).
pub fn fake_plugin_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fake-plugin")
}

/// Runs the real ssmgo binary against the emulator, with a clean environment: dummy credentials,
/// no config files of the user's, a private HOME, the fake plugin on PATH.
#[must_use = "ssmgo runs only on .run() (or .into_command())"]
pub struct Ssmgo {
    cmd: Command,
    dir: tempfile::TempDir,
}

/// How a run ended.
#[derive(Debug)]
pub struct Outcome {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    /// What the fake plugin recorded, when it ran.
    pub plugin: Option<Value>,
}

pub fn ssmgo() -> Ssmgo {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ssmgo"));
    cmd.env_clear()
        .env(
            "PATH",
            format!(
                "{}:/usr/local/bin:/usr/bin:/bin",
                fake_plugin_dir().display()
            ),
        )
        .env("HOME", dir.path())
        .env("XDG_CONFIG_HOME", dir.path().join("config"))
        .env("XDG_CACHE_HOME", dir.path().join("cache"))
        .env("XDG_STATE_HOME", dir.path().join("state"))
        .env("AWS_ENDPOINT_URL", endpoint())
        .env("AWS_REGION", REGION)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", dir.path().join("aws-config"))
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            dir.path().join("aws-credentials"),
        )
        .env("FAKE_SMP_RECORD", dir.path().join("plugin-record.json"))
        // Anything that tried to leave the machine would fail fast instead.
        .env("HTTPS_PROXY", "http://127.0.0.1:9")
        .env("HTTP_PROXY", "http://127.0.0.1:9")
        .env("NO_PROXY", "127.0.0.1,localhost")
        .stdin(Stdio::null());
    Ssmgo { cmd, dir }
}

impl Ssmgo {
    /// Uses `home` for HOME and the XDG directories, so that several runs share config,
    /// history and cache, as one person's successive commands do.
    pub fn in_home(mut self, home: &Path) -> Self {
        self.cmd
            .env("HOME", home)
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("XDG_CACHE_HOME", home.join("cache"))
            .env("XDG_STATE_HOME", home.join("state"));
        self
    }

    /// Writes ssmgo's config file (in this run's own home unless [`Ssmgo::in_home`] came first).
    pub fn config(self, text: &str) -> Self {
        let dir = self
            .cmd
            .get_envs()
            .find(|(k, _)| *k == "XDG_CONFIG_HOME")
            .and_then(|(_, v)| v.map(PathBuf::from))
            .unwrap()
            .join("ssmgo");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("config.toml"), text).unwrap();
        self
    }

    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        self.cmd.args(args);
        self
    }

    pub fn env(mut self, key: &str, value: impl AsRef<std::ffi::OsStr>) -> Self {
        self.cmd.env(key, value);
        self
    }

    /// Runs with this principal's credentials instead of the dummy admin ones.
    pub fn signed_in_as(mut self, p: &Principal) -> Self {
        self.cmd.env("AWS_ACCESS_KEY_ID", &p.access_key_id);
        self.cmd.env("AWS_SECRET_ACCESS_KEY", &p.secret_access_key);
        match &p.session_token {
            Some(t) => self.cmd.env("AWS_SESSION_TOKEN", t),
            None => self.cmd.env_remove("AWS_SESSION_TOKEN"),
        };
        self
    }

    pub fn env_remove(mut self, key: &str) -> Self {
        self.cmd.env_remove(key);
        self
    }

    /// Writes the AWS config file the run sees.
    pub fn aws_config(self, text: &str) -> Self {
        std::fs::write(self.dir.path().join("aws-config"), text).unwrap();
        self
    }

    /// Signed in only through profile `hang`, whose credential_process (made in `dir`, which
    /// outlives the run) never answers; it writes its pid to the returned file (whole, or not at
    /// all) once it runs.
    pub fn with_hanging_credential_process(self, dir: &Path) -> (Self, std::path::PathBuf) {
        let pid_file = dir.join("cred.pid");
        let script = dir.join("creds.sh");
        std::fs::write(
            &script,
            format!(
                "#!/bin/sh\necho $$ > {}.part && mv {0}.part {0}\nexec sleep 300\n",
                pid_file.display()
            ),
        )
        .unwrap();
        std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755))
            .unwrap();
        let run = self
            .aws_config(&format!(
                "[profile hang]\nregion = us-east-1\ncredential_process = {}\n",
                script.display()
            ))
            .env_remove("AWS_ACCESS_KEY_ID")
            .env_remove("AWS_SECRET_ACCESS_KEY");
        (run, pid_file)
    }

    /// No session-manager-plugin anywhere on PATH.
    pub fn without_plugin(mut self) -> Self {
        let empty = self.dir.path().join("empty-bin");
        std::fs::create_dir_all(&empty).unwrap();
        self.cmd.env("PATH", empty);
        self
    }

    /// AWS's real session-manager-plugin on PATH instead of the recorder: the one
    /// `SSMGO_TEST_REAL_PLUGIN` names (scripts/test points it at ../shared). None when there is
    /// none: outside CI the caller says why its test did not run; with CI=true that is a failure.
    pub fn with_real_plugin(mut self) -> Option<Self> {
        let plugin = real_plugin()?;
        let dir = self.dir.path().join("real-plugin-bin");
        std::fs::create_dir_all(&dir).unwrap();
        std::os::unix::fs::symlink(&plugin, dir.join("session-manager-plugin")).unwrap();
        self.cmd.env(
            "PATH",
            format!("{}:/usr/local/bin:/usr/bin:/bin", dir.display()),
        );
        Some(self)
    }

    pub fn plugin_version(self, version: &str) -> Self {
        self.env("FAKE_SMP_VERSION", version)
    }

    pub fn plugin_exits_with(self, code: i32) -> Self {
        self.env("FAKE_SMP_EXIT", code.to_string())
    }

    pub fn plugin_killed_by(self, signal: i32) -> Self {
        self.env("FAKE_SMP_SIGNAL", signal.to_string())
    }

    /// The command itself, to run in ways `run` doesn't (spawned, in a process group).
    pub fn into_command(self) -> Command {
        // The private directory must outlive the command: it holds HOME and the plugin's link.
        std::mem::forget(self.dir);
        self.cmd
    }

    /// The environment this run would have, for a program that starts ssmgo itself (ssh).
    pub fn envs(&self) -> Vec<(std::ffi::OsString, std::ffi::OsString)> {
        self.cmd
            .get_envs()
            .filter_map(|(k, v)| Some((k.to_owned(), v?.to_owned())))
            .collect()
    }

    /// ssh's ProxyCommand running this ssmgo binary with `args`.
    pub fn proxy_command(&self, args: &[&str]) -> String {
        std::iter::once(env!("CARGO_BIN_EXE_ssmgo"))
            .chain(args.iter().copied())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The path the fake plugin records to.
    pub fn record_path(&self) -> PathBuf {
        self.dir.path().join("plugin-record.json")
    }

    /// The command, for running under a pseudo-terminal; keep `self` alive meanwhile.
    pub fn command(&mut self) -> &mut Command {
        &mut self.cmd
    }

    #[must_use = "a run proves nothing until its outcome is checked"]
    pub fn run(mut self) -> Outcome {
        let Output {
            status,
            stdout,
            stderr,
        } = self.cmd.output().expect("ssmgo runs");
        self.outcome(status.code(), stdout, stderr)
    }

    pub fn outcome(&self, code: Option<i32>, stdout: Vec<u8>, stderr: Vec<u8>) -> Outcome {
        let plugin = std::fs::read_to_string(self.record_path())
            .ok()
            .map(|t| serde_json::from_str(&t).expect("the fake plugin writes JSON"));
        Outcome {
            code,
            stdout: String::from_utf8_lossy(&stdout).into_owned(),
            stderr: String::from_utf8_lossy(&stderr).into_owned(),
            plugin,
        }
    }
}

impl Outcome {
    #[track_caller]
    pub fn expect_code(self, code: i32) -> Self {
        assert_eq!(
            self.code,
            Some(code),
            "expected exit {code}\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout,
            self.stderr
        );
        self
    }

    #[track_caller]
    pub fn expect_success(self) -> Self {
        self.expect_code(0)
    }

    #[track_caller]
    pub fn stderr_has(self, text: &str) -> Self {
        assert!(
            self.stderr.contains(text),
            "stderr lacks {text:?}:\n{}",
            self.stderr
        );
        self
    }

    #[track_caller]
    pub fn stdout_has(self, text: &str) -> Self {
        assert!(
            self.stdout.contains(text),
            "stdout lacks {text:?}:\n{}",
            self.stdout
        );
        self
    }

    /// stderr is exactly `expected` once each `(value, placeholder)` of `redact` is replaced
    /// (instance ids, a test's scope: what changes from run to run).
    #[track_caller]
    pub fn expect_stderr(self, redact: &[(&str, &str)], expected: &str) -> Self {
        let mut stderr = self.stderr.clone();
        for (value, placeholder) in redact {
            stderr = stderr.replace(value, placeholder);
        }
        assert!(
            stderr == expected,
            "stderr differs.\n--- expected\n{expected}\n--- actual (redacted)\n{stderr}"
        );
        self
    }

    /// stdout as JSON.
    #[track_caller]
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }

    /// The instance ids in a `list --json` output, sorted.
    pub fn listed_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self
            .json()
            .as_array()
            .expect("a JSON array")
            .iter()
            .map(|o| o["instance_id"].as_str().unwrap().to_owned())
            .collect();
        ids.sort();
        ids
    }

    /// The fake plugin's record; panics if the plugin never ran.
    #[track_caller]
    pub fn plugin(&self) -> &Value {
        self.plugin
            .as_ref()
            .unwrap_or_else(|| panic!("the plugin did not run\n--- stderr\n{}", self.stderr))
    }

    /// The StartSession request the plugin was handed (its fifth argument), as JSON.
    pub fn started_request(&self) -> Value {
        let argv = self.plugin()["argv"].as_array().expect("argv").clone();
        serde_json::from_str(argv[5].as_str().expect("a request argument")).expect("JSON")
    }

    /// The instance the plugin was asked to connect to.
    pub fn connected_target(&self) -> String {
        self.started_request()["Target"]
            .as_str()
            .expect("a Target")
            .to_owned()
    }
}
