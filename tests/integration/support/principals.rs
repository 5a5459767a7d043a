//! Who a test signs in as: IAM users and roles made in the emulator with the policies the test
//! gives them, and the emulator's call log, which says what each of them asked and what it was
//! authorized for.

use std::path::Path;

use serde_json::Value;

use super::Emu;

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
