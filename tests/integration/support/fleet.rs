//! A test's own instances: a group tagged with the test's scope, so that no other test's
//! instances can match, and a fluent description of each instance to launch.

use std::time::{SystemTime, UNIX_EPOCH};

use aws_sdk_ec2::types::{ResourceType, Tag, TagSpecification};

use super::{agent, Emu, REGION};

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
