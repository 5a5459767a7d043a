//! The emulator itself: one connection per test binary, a member account of its organization
//! for a test that needs several, regions an account has not enabled, and the sessions its SSM
//! recorded. The other support files seed it through the clients kept here.

use std::sync::OnceLock;

pub const REGION: &str = "us-east-1";

/// The running emulator, and SDK clients to seed it.
pub struct Emu {
    pub endpoint: String,
    /// The account these clients act in: the emulator's default one, or a member account of
    /// its organization ([`Emu::member_account`]).
    pub account: String,
    /// The healthy instance profile, once made in this account.
    pub(super) healthy: OnceLock<()>,
    pub(super) rt: tokio::runtime::Runtime,
    pub(super) ec2: aws_sdk_ec2::Client,
    pub(super) ssm: aws_sdk_ssm::Client,
    pub(super) iam: aws_sdk_iam::Client,
    pub(super) sts: aws_sdk_sts::Client,
    pub(super) sdk: aws_config::SdkConfig,
    credentials: aws_sdk_ec2::config::Credentials,
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
                .credentials_provider(credentials.clone())
                .load(),
        );
        Emu {
            ec2: aws_sdk_ec2::Client::new(&config),
            ssm: aws_sdk_ssm::Client::new(&config),
            iam: aws_sdk_iam::Client::new(&config),
            sts: aws_sdk_sts::Client::new(&config),
            sdk: config,
            credentials,
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

    /// What a `credential_process` prints to act in this account as these clients do (AWS's
    /// documented format, version 1).
    pub fn credential_process_output(&self) -> String {
        let c = &self.credentials;
        serde_json::json!({
            "Version": 1,
            "AccessKeyId": c.access_key_id(),
            "SecretAccessKey": c.secret_access_key(),
            "SessionToken": c.session_token(),
        })
        .to_string()
    }

    /// The role these clients act as in a member account.
    pub fn role_name(&self) -> &'static str {
        "OrganizationAccountAccessRole"
    }

    /// Makes this member account's role trust no one: AssumeRole into it is refused from now
    /// on, as when someone edits its trust policy (these clients keep their session).
    pub fn distrust_role(&self) {
        let nobody = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::999999999999:root"},"Action":"sts:AssumeRole"}]}"#;
        self.rt.block_on(async {
            self.iam
                .update_assume_role_policy()
                .role_name(self.role_name())
                .policy_document(nobody)
                .send()
                .await
                .expect("UpdateAssumeRolePolicy on the emulator")
        });
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
