//! What every integration test stands on: the emulator (seeded per test, so tests stay
//! independent), a builder that runs the real ssmgo binary, and the fake plugin's record.
//!
//! The emulator is started by `scripts/test` (tests/emu/emu.sh) and found through
//! `SSMGO_TEST_ENDPOINT`; every request goes to 127.0.0.1.

#![allow(dead_code)] // each test module uses a different part of this

pub mod agent;
pub mod fault;
pub mod pty;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use aws_sdk_ec2::types::{ResourceType, Tag, TagSpecification};
use serde_json::Value;

pub const REGION: &str = "us-east-1";

/// The running emulator, and SDK clients to seed it.
pub struct Emu {
    pub endpoint: String,
    /// The account these clients act in: the emulator's default one, or a member account of
    /// its organization ([`Emu::member_account`]).
    pub account: String,
    /// The healthy instance profile, once made in this account.
    healthy: OnceLock<()>,
    rt: tokio::runtime::Runtime,
    ec2: aws_sdk_ec2::Client,
    ssm: aws_sdk_ssm::Client,
    iam: aws_sdk_iam::Client,
    sts: aws_sdk_sts::Client,
    sdk: aws_config::SdkConfig,
}

/// The emulator, connected once per test binary.
pub fn emu() -> &'static Emu {
    static EMU: OnceLock<Emu> = OnceLock::new();
    EMU.get_or_init(|| {
        let endpoint = std::env::var("SSMGO_TEST_ENDPOINT").expect(
            "SSMGO_TEST_ENDPOINT is not set: run the suite with ./scripts/test, which starts the AWS emulator",
        );
        assert!(
            endpoint.starts_with("http://127.0.0.1:"),
            "tests only talk to loopback, not {endpoint}"
        );
        Emu::connect(
            endpoint,
            aws_sdk_ec2::config::Credentials::new("testing", "testing", None, None, "tests"),
            "123456789012".into(),
        )
    })
}

impl Emu {
    fn connect(
        endpoint: String,
        credentials: aws_sdk_ec2::config::Credentials,
        account: String,
    ) -> Emu {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let config = rt.block_on(
            aws_config::defaults(aws_config::BehaviorVersion::latest())
                .region(aws_config::Region::new(REGION))
                .endpoint_url(&endpoint)
                .credentials_provider(credentials)
                .load(),
        );
        Emu {
            ec2: aws_sdk_ec2::Client::new(&config),
            ssm: aws_sdk_ssm::Client::new(&config),
            iam: aws_sdk_iam::Client::new(&config),
            sts: aws_sdk_sts::Client::new(&config),
            sdk: config,
            endpoint,
            account,
            healthy: OnceLock::new(),
            rt,
        }
    }

    /// A new member account of the emulator's organization (made by organizations
    /// CreateAccount, which the default account manages), and clients acting in it through the
    /// role AWS makes there, OrganizationAccountAccessRole. Each test makes its own.
    pub fn member_account(&self, name: &str) -> &'static Emu {
        let (account, credentials) = self.rt.block_on(async {
            let org = aws_sdk_organizations::Client::new(&self.sdk);
            // Every test asks; the first one makes it.
            let _ = org
                .create_organization()
                .feature_set(aws_sdk_organizations::types::OrganizationFeatureSet::All)
                .send()
                .await;
            let made = org
                .create_account()
                .account_name(name)
                .email(format!("{name}@example.com"))
                .send()
                .await
                .expect("CreateAccount on the emulator");
            let account = made
                .create_account_status()
                .and_then(|s| s.account_id())
                .expect("an account id")
                .to_owned();
            let assumed = self
                .sts
                .assume_role()
                .role_arn(format!(
                    "arn:aws:iam::{account}:role/OrganizationAccountAccessRole"
                ))
                .role_session_name("tests")
                .send()
                .await
                .expect("AssumeRole into the member account");
            let c = assumed.credentials().expect("credentials");
            let credentials = aws_sdk_ec2::config::Credentials::new(
                c.access_key_id(),
                c.secret_access_key(),
                Some(c.session_token().to_owned()),
                None,
                "tests",
            );
            (account, credentials)
        });
        Box::leak(Box::new(Emu::connect(
            self.endpoint.clone(),
            credentials,
            account,
        )))
    }

    /// The account these credentials act in (sts:GetCallerIdentity).
    pub fn account_of(&self, key: &str, secret: &str, token: &str) -> String {
        let credentials = aws_sdk_ec2::config::Credentials::new(
            key,
            secret,
            Some(token.to_owned()),
            None,
            "plugin",
        );
        let config = aws_sdk_sts::config::Builder::from(&self.sdk)
            .credentials_provider(credentials)
            .build();
        self.rt.block_on(async {
            aws_sdk_sts::Client::from_conf(config)
                .get_caller_identity()
                .send()
                .await
                .expect("GetCallerIdentity with the plugin's credentials")
                .account()
                .expect("an account")
                .to_owned()
        })
    }

    /// Tags this (member) account in the organization: `ssmgo:disabled-regions` makes the
    /// emulator refuse its requests to those regions, as AWS does in regions an account has
    /// not enabled.
    pub fn disable_regions(&self, regions: &str) {
        let management = emu();
        management.rt.block_on(async {
            aws_sdk_organizations::Client::new(&management.sdk)
                .tag_resource()
                .resource_id(&self.account)
                .tags(
                    aws_sdk_organizations::types::Tag::builder()
                        .key("ssmgo:disabled-regions")
                        .value(regions)
                        .build()
                        .unwrap(),
                )
                .send()
                .await
                .expect("TagResource on the emulator's organization")
        });
    }
}

/// Where ssmgo's AWS requests go: the emulator when the run has one, else a loopback port
/// nothing listens on, so that an offline test that reached AWS would fail at once.
fn endpoint() -> String {
    std::env::var("SSMGO_TEST_ENDPOINT").unwrap_or_else(|_| "http://127.0.0.1:9".into())
}

/// Whether this test must be skipped: it needs the AWS emulator and the run has none (plain
/// `cargo test`). It says so; with CI=true a missing emulator is a failure instead.
pub fn without_emulator() -> bool {
    if std::env::var_os("SSMGO_TEST_ENDPOINT").is_some() {
        return false;
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "CI needs the AWS emulator: run the suite with ./scripts/test"
    );
    eprintln!("skipped: this test needs the AWS emulator; run ./scripts/test to start it");
    true
}

/// First line of a test that needs the AWS emulator: without one (plain `cargo test`) the test
/// returns, saying why, instead of failing.
#[macro_export]
macro_rules! needs_emulator {
    () => {
        if $crate::support::without_emulator() {
            return;
        }
    };
}

/// A session as the emulator's SSM recorded it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedSession {
    pub id: String,
    pub target: String,
    pub status: String,
}

impl Emu {
    /// A fresh, uniquely tagged group of instances for one test.
    pub fn group(&'static self, test: &str) -> Group {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        Group {
            emu: self,
            scope: format!("{test}-{}-{nanos:x}", std::process::id()),
        }
    }

    /// Terminates an instance (it leaves the running listing).
    pub fn terminate(&self, id: &str) {
        self.rt.block_on(async {
            self.ec2
                .terminate_instances()
                .instance_ids(id)
                .send()
                .await
                .expect("TerminateInstances on the emulator");
        });
    }

    /// An S3 bucket in the emulator (for Run Command's output).
    pub fn bucket(&self, name: &str) {
        self.rt.block_on(async {
            let config = aws_sdk_s3::config::Builder::from(&self.sdk)
                .force_path_style(true)
                .build();
            aws_sdk_s3::Client::from_conf(config)
                .create_bucket()
                .bucket(name)
                .send()
                .await
                .expect("CreateBucket on the emulator");
        });
    }

    /// Terminates a session, as an administrator (or Session Manager's idle timeout) would.
    pub fn terminate_session(&self, session_id: &str) {
        self.rt.block_on(async {
            self.ssm
                .terminate_session()
                .session_id(session_id)
                .send()
                .await
                .expect("TerminateSession on the emulator");
        });
    }

    /// Every session ever started on `target`, active or terminated.
    pub fn sessions_on(&self, target: &str) -> Vec<RecordedSession> {
        self.rt.block_on(async {
            let mut out = Vec::new();
            for state in [
                aws_sdk_ssm::types::SessionState::Active,
                aws_sdk_ssm::types::SessionState::History,
            ] {
                let resp = self
                    .ssm
                    .describe_sessions()
                    .state(state)
                    .send()
                    .await
                    .unwrap();
                for s in resp.sessions() {
                    if s.target() == Some(target) {
                        out.push(RecordedSession {
                            id: s.session_id().unwrap_or_default().into(),
                            target: target.into(),
                            status: s
                                .status()
                                .map(|x| x.as_str().to_owned())
                                .unwrap_or_default(),
                        });
                    }
                }
            }
            out
        })
    }
}

/// Credentials of an IAM principal created in the emulator for one test.
#[derive(Debug, Clone)]
pub struct Principal {
    pub arn: String,
    pub access_key_id: String,
    pub secret_access_key: String,
    pub session_token: Option<String>,
}

/// One call the emulator logged (tests/emu/run/calls.jsonl).
#[derive(Debug, Clone)]
pub struct LoggedCall {
    pub op: String,
    pub caller: Option<String>,
    pub target: Option<String>,
    pub source: Option<String>,
    pub resources: Vec<String>,
    pub actions: Vec<String>,
    pub start: f64,
    pub end: f64,
}

impl Emu {
    /// An IAM user with these inline policies (name → JSON) and an access key.
    pub fn user(&self, name: &str, policies: &[(&str, &str)]) -> Principal {
        self.rt.block_on(async {
            let user = self
                .iam
                .create_user()
                .user_name(name)
                .send()
                .await
                .expect("CreateUser");
            for (policy, doc) in policies {
                self.iam
                    .put_user_policy()
                    .user_name(name)
                    .policy_name(*policy)
                    .policy_document(*doc)
                    .send()
                    .await
                    .expect("PutUserPolicy");
            }
            let key = self
                .iam
                .create_access_key()
                .user_name(name)
                .send()
                .await
                .expect("CreateAccessKey");
            let key = key.access_key().unwrap();
            Principal {
                arn: user.user().unwrap().arn().to_owned(),
                access_key_id: key.access_key_id().to_owned(),
                secret_access_key: key.secret_access_key().to_owned(),
                session_token: None,
            }
        })
    }

    /// An IAM user with these inline policies, these IAM tags and an access key.
    pub fn tagged_user(
        &self,
        name: &str,
        policies: &[(&str, &str)],
        tags: &[(&str, &str)],
    ) -> Principal {
        let principal = self.user(name, policies);
        self.rt.block_on(async {
            for (k, v) in tags {
                self.iam
                    .tag_user()
                    .user_name(name)
                    .tags(
                        aws_sdk_iam::types::Tag::builder()
                            .key(*k)
                            .value(*v)
                            .build()
                            .unwrap(),
                    )
                    .send()
                    .await
                    .expect("TagUser");
            }
        });
        principal
    }

    /// A role under `path` with these inline policies, assumed through sts:AssumeRole.
    pub fn assumed_role(
        &self,
        name: &str,
        path: &str,
        policies: &[(&str, &str)],
    ) -> (String, Principal) {
        self.assumed_role_with_session_policy(name, path, policies, None)
    }

    /// The same, the session limited by a session policy passed to AssumeRole.
    pub fn assumed_role_with_session_policy(
        &self,
        name: &str,
        path: &str,
        policies: &[(&str, &str)],
        session_policy: Option<&str>,
    ) -> (String, Principal) {
        self.rt.block_on(async {
            let trust = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "sts:AssumeRole"}]}"#;
            let role = self
                .iam
                .create_role()
                .role_name(name)
                .path(path)
                .assume_role_policy_document(trust)
                .send()
                .await
                .expect("CreateRole");
            for (policy, doc) in policies {
                self.iam
                    .put_role_policy()
                    .role_name(name)
                    .policy_name(*policy)
                    .policy_document(*doc)
                    .send()
                    .await
                    .expect("PutRolePolicy");
            }
            let role_arn = role.role().unwrap().arn().to_owned();
            let assumed = self
                .sts
                .assume_role()
                .role_arn(&role_arn)
                .role_session_name("tester")
                .set_policy(session_policy.map(str::to_owned))
                .send()
                .await
                .expect("AssumeRole");
            let creds = assumed.credentials().unwrap();
            let principal = Principal {
                arn: assumed.assumed_role_user().unwrap().arn().to_owned(),
                access_key_id: creds.access_key_id().to_owned(),
                secret_access_key: creds.secret_access_key().to_owned(),
                session_token: Some(creds.session_token().to_owned()),
            };
            (role_arn, principal)
        })
    }

    /// Every entry of the emulator's call log (tests/emu/run/calls.jsonl).
    pub fn log(&self) -> Vec<Value> {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/emu/run/calls.jsonl");
        // Fails closed: a missing log must not read as "nothing happened".
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "the emulator's call log {} can't be read ({e}): start the emulator with tests/emu/emu.sh",
                path.display()
            )
        });
        text.lines()
            .filter_map(|l| serde_json::from_str::<Value>(l).ok())
            .collect()
    }

    /// The calls the emulator logged for `caller`.
    pub fn calls_by(&self, caller: &str) -> Vec<LoggedCall> {
        let strings = |v: &Value| -> Vec<String> {
            v.as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|x| x.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default()
        };
        self.log()
            .into_iter()
            .filter(|v| v["caller"].as_str() == Some(caller))
            .map(|v| LoggedCall {
                op: v["op"].as_str().unwrap_or_default().to_owned(),
                caller: v["caller"].as_str().map(str::to_owned),
                target: v["target"].as_str().map(str::to_owned),
                source: v["source"].as_str().map(str::to_owned),
                resources: strings(&v["resources"]),
                actions: strings(&v["actions"]),
                start: v["start"].as_f64().unwrap_or_default(),
                end: v["end"].as_f64().unwrap_or_default(),
            })
            .collect()
    }
}

/// One test's instances: all carry the tag `ssmgo-test=<scope>`, and their names start with the
/// scope, so no other test's instances can match.
pub struct Group {
    emu: &'static Emu,
    pub scope: String,
}

/// An instance to launch, described fluently.
#[must_use = "instances are launched only by .launch() or .launch_all()"]
pub struct Launch<'a> {
    group: &'a Group,
    name: Option<String>,
    tags: Vec<(String, String)>,
    stopped: bool,
    count: i32,
    region: Option<String>,
    /// The instance profile: the healthy one unless a test asks for another or none.
    profile: Option<String>,
    default_profile: bool,
    subnet: Option<String>,
    groups: Vec<String>,
    imdsv2: bool,
    zone: Option<String>,
}

impl Group {
    /// `-t ssmgo-test=<scope>`: the filter that selects exactly this test's instances.
    pub fn filter(&self) -> String {
        format!("ssmgo-test={}", self.scope)
    }

    /// The same group (one filter, `-t ssmgo-test=…`) in another account of the organization.
    pub fn in_account(&self, account: &'static Emu) -> Group {
        Group {
            emu: account,
            scope: self.scope.clone(),
        }
    }

    /// A name unique to this test.
    pub fn name(&self, short: &str) -> String {
        format!("{}-{short}", self.scope)
    }

    /// An instance named `<scope>-<short>`.
    pub fn instance(&self, short: &str) -> Launch<'_> {
        Launch {
            group: self,
            name: Some(self.name(short)),
            tags: Vec::new(),
            stopped: false,
            count: 1,
            region: None,
            profile: None,
            default_profile: true,
            subnet: None,
            groups: Vec::new(),
            imdsv2: false,
            zone: None,
        }
    }

    /// An instance with no Name tag.
    pub fn unnamed(&self) -> Launch<'_> {
        Launch {
            name: None,
            ..self.instance("")
        }
    }
}

impl Launch<'_> {
    pub fn tag(mut self, key: &str, value: &str) -> Self {
        self.tags.push((key.into(), value.into()));
        self
    }

    pub fn stopped(mut self) -> Self {
        self.stopped = true;
        self
    }

    /// Not an SSM managed node (no agent).
    pub fn unmanaged(self) -> Self {
        self.tag("ssmgo:unmanaged", "1")
    }

    /// Managed, but its agent is offline: SSM says ConnectionLost and refuses sessions.
    pub fn agent_offline(self) -> Self {
        self.tag("ssmgo:agent", "offline")
    }

    /// With this instance profile instead of the healthy one (None: no profile at all).
    pub fn profile(mut self, name: Option<&str>) -> Self {
        self.profile = name.map(str::to_owned);
        self.default_profile = false;
        self
    }

    /// In this subnet (of a network from `Emu::private_network`), with these security groups.
    pub fn in_network(mut self, net: &agent::Network, groups: &[&str]) -> Self {
        self.subnet = Some(net.subnet.clone());
        self.groups = groups.iter().map(|g| (*g).to_owned()).collect();
        self
    }

    /// Requiring IMDSv2 (HttpTokens=required).
    pub fn imdsv2(mut self) -> Self {
        self.imdsv2 = true;
        self
    }

    /// Running for an hour already (EC2's LaunchTime), so that an agent not Online is no longer
    /// one that may still be booting.
    pub fn running_for_an_hour(self) -> Self {
        let hour_ago = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs()
            - 3600;
        let at = aws_smithy_types::DateTime::from_secs(hour_ago as i64)
            .fmt(aws_smithy_types::date_time::Format::DateTime)
            .unwrap();
        self.tag("ssmgo:launched", &at)
    }

    /// In this Availability Zone.
    pub fn in_zone(mut self, zone: &str) -> Self {
        self.zone = Some(zone.into());
        self
    }

    /// Launched in `region` instead of the tests' default one.
    pub fn in_region(mut self, region: &str) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Several identical instances in one reservation.
    pub fn times(mut self, count: i32) -> Self {
        self.count = count;
        self
    }

    /// Launches and returns the instance ids.
    pub fn launch_all(self) -> Vec<String> {
        let emu = self.group.emu;
        let mut tags = vec![Tag::builder()
            .key("ssmgo-test")
            .value(&self.group.scope)
            .build()];
        if let Some(name) = &self.name {
            tags.push(Tag::builder().key("Name").value(name).build());
        }
        tags.extend(
            self.tags
                .iter()
                .map(|(k, v)| Tag::builder().key(k).value(v).build()),
        );
        let profile = match self.default_profile {
            true => Some(emu.healthy_profile().to_owned()),
            false => self.profile.clone(),
        };
        emu.rt.block_on(async {
            let out = emu
                .ec2
                .run_instances()
                .set_iam_instance_profile(profile.map(|name| {
                    aws_sdk_ec2::types::IamInstanceProfileSpecification::builder()
                        .name(name)
                        .build()
                }))
                .set_subnet_id(self.subnet.clone())
                .set_placement(self.zone.as_ref().map(|zone| {
                    aws_sdk_ec2::types::Placement::builder()
                        .availability_zone(zone)
                        .build()
                }))
                .set_security_group_ids((!self.groups.is_empty()).then(|| self.groups.clone()))
                .set_metadata_options(self.imdsv2.then(|| {
                    aws_sdk_ec2::types::InstanceMetadataOptionsRequest::builder()
                        .http_tokens(aws_sdk_ec2::types::HttpTokensState::Required)
                        .build()
                }))
                .image_id("ami-12c6146b")
                .instance_type(aws_sdk_ec2::types::InstanceType::T3Micro)
                .min_count(self.count)
                .max_count(self.count)
                .tag_specifications(
                    TagSpecification::builder()
                        .resource_type(ResourceType::Instance)
                        .set_tags(Some(tags))
                        .build(),
                )
                .customize()
                .config_override(
                    aws_sdk_ec2::Config::builder().region(aws_config::Region::new(
                        self.region.clone().unwrap_or_else(|| REGION.to_owned()),
                    )),
                )
                .send()
                .await
                .expect("RunInstances on the emulator");
            let ids: Vec<String> = out
                .instances()
                .iter()
                .map(|i| i.instance_id().unwrap().to_owned())
                .collect();
            if self.stopped {
                emu.ec2
                    .stop_instances()
                    .set_instance_ids(Some(ids.clone()))
                    .send()
                    .await
                    .expect("StopInstances on the emulator");
            }
            ids
        })
    }

    pub fn launch(self) -> String {
        self.launch_all().remove(0)
    }
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

    /// Starts ssmgo in the background, its stdout and stderr read as they come: for a test that
    /// acts on it while it runs (a signal once it says where it is).
    pub fn spawn(mut self) -> Spawned {
        let mut child = self
            .cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("ssmgo starts");
        let collect = |mut from: Box<dyn std::io::Read + Send>| {
            let text: Arc<Mutex<Vec<u8>>> = Arc::default();
            let sink = Arc::clone(&text);
            let reader = std::thread::spawn(move || {
                let mut buf = [0u8; 4096];
                while let Ok(n) = from.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    sink.lock().unwrap().extend_from_slice(&buf[..n]);
                }
            });
            (text, reader)
        };
        let stdout = collect(Box::new(child.stdout.take().unwrap()));
        let stderr = collect(Box::new(child.stderr.take().unwrap()));
        Spawned {
            child,
            stdout,
            stderr,
            run: self,
        }
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

/// ssmgo running in the background ([`Ssmgo::spawn`]).
pub struct Spawned {
    child: std::process::Child,
    stdout: (Arc<Mutex<Vec<u8>>>, std::thread::JoinHandle<()>),
    stderr: (Arc<Mutex<Vec<u8>>>, std::thread::JoinHandle<()>),
    /// Keeps the run's private directory (HOME, the plugin's record) alive.
    run: Ssmgo,
}

impl Spawned {
    pub fn pid(&self) -> i32 {
        self.child.id() as i32
    }

    /// What it has written to stderr so far.
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.stderr.0.lock().unwrap()).into_owned()
    }

    /// Waits until stderr holds `text` `times` times: the state it names has been reached. A
    /// run that ends first, or has not said it after `limit`, fails the test (and is stopped).
    #[track_caller]
    pub fn wait_for_stderr(&mut self, text: &str, times: usize, limit: Duration) {
        let started = Instant::now();
        while self.stderr().matches(text).count() < times {
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!(
                    "ssmgo ended ({status}) before saying {text:?} {times} times:\n{}",
                    self.stderr()
                );
            }
            if started.elapsed() > limit {
                let _ = self.child.kill();
                panic!(
                    "ssmgo did not say {text:?} {times} times within {limit:?}:\n{}",
                    self.stderr()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Sends `signal` to ssmgo alone, as a supervisor (or `kill`) does.
    pub fn signal(&self, signal: i32) {
        // SAFETY: kill(2) on the child this test started.
        unsafe {
            libc::kill(self.pid(), signal);
        }
    }

    /// Waits for ssmgo to end and returns how; a run still going after `limit` fails the test
    /// (and is killed), so that a signal it ignores can never hang the suite.
    #[track_caller]
    pub fn finish(mut self, limit: Duration) -> Outcome {
        let started = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            if started.elapsed() > limit {
                let _ = self.child.kill();
                let _ = self.child.wait();
                panic!(
                    "ssmgo was still running after {limit:?}:\n{}",
                    self.stderr()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        // Read to the end, unless a process it left behind holds the pipes open (that test
        // fails on its own account).
        let drained = Instant::now();
        while !(self.stdout.1.is_finished() && self.stderr.1.is_finished())
            && drained.elapsed() < Duration::from_secs(5)
        {
            std::thread::sleep(Duration::from_millis(20));
        }
        let stdout = self.stdout.0.lock().unwrap().clone();
        let stderr = self.stderr.0.lock().unwrap().clone();
        self.run.outcome(status.code(), stdout, stderr)
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

/// Whether process `pid` runs: one that is gone, or a zombie waiting to be reaped, does not.
pub fn is_running(pid: i32) -> bool {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let state = stat
        .rsplit_once(')')
        .and_then(|(_, rest)| rest.trim_start().chars().next());
    !stat.is_empty() && !matches!(state, Some('Z' | 'X'))
}

/// Waits, at most `limit`, until process `pid` no longer runs; whether it stopped. A process
/// sent SIGKILL by one that did not wait for it dies when the kernel next runs it, which on a
/// busy machine is not at once.
pub fn stops_within(pid: i32, limit: std::time::Duration) -> bool {
    let started = std::time::Instant::now();
    while is_running(pid) {
        if started.elapsed() > limit {
            return false;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    true
}

/// Sorted copy, for comparing id sets.
pub fn sorted(mut ids: Vec<String>) -> Vec<String> {
    ids.sort();
    ids
}
