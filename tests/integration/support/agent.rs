//! The instance's side of the emulator (tests/emu/agent.py): instance profiles and their roles,
//! private networks with or without a way out, VPC endpoints, security groups, and the account's
//! Session Manager settings — what decides whether an agent reaches SSM.

use aws_sdk_ec2::types::{
    IpPermission, IpRange, ResourceType, Tag, TagSpecification, VpcEndpointType,
};

use super::Emu;

/// The statements of AWS's managed policy AmazonSSMManagedInstanceCore (as of its version v2),
/// the same file the demo fleet's role gets (tests/emu/seed.py).
pub const MANAGED_INSTANCE_CORE: &str =
    include_str!("../../emu/policies/AmazonSSMManagedInstanceCore.json");

/// The instance profile every test instance gets unless it asks otherwise: a role with
/// AmazonSSMManagedInstanceCore's permissions, as a managed fleet has.
pub const HEALTHY_PROFILE: &str = "ssmgo-test-agent";

const EC2_TRUST: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}"#;

/// A private network made for one test: a VPC and one subnet, routed nowhere but inside.
pub struct Network {
    pub vpc: String,
    pub subnet: String,
    pub cidr: String,
    region: String,
}

impl Emu {
    /// The healthy profile, created once per emulator (and left alone when a previous run made it).
    pub fn healthy_profile(&self) -> &'static str {
        self.healthy.get_or_init(|| {
            self.instance_profile(HEALTHY_PROFILE, Some(MANAGED_INSTANCE_CORE));
        });
        HEALTHY_PROFILE
    }

    /// An instance profile `name` whose role `name`-role has `policy` inline (None: a profile
    /// with no role). Creating one that exists already is not an error.
    pub fn instance_profile(&self, name: &str, policy: Option<&str>) -> String {
        self.rt.block_on(async {
            let _ = self
                .iam
                .create_instance_profile()
                .instance_profile_name(name)
                .send()
                .await;
            if let Some(policy) = policy {
                let role = format!("{name}-role");
                let _ = self
                    .iam
                    .create_role()
                    .role_name(&role)
                    .assume_role_policy_document(EC2_TRUST)
                    .send()
                    .await;
                self.iam
                    .put_role_policy()
                    .role_name(&role)
                    .policy_name("agent")
                    .policy_document(policy)
                    .send()
                    .await
                    .expect("PutRolePolicy");
                let _ = self
                    .iam
                    .add_role_to_instance_profile()
                    .instance_profile_name(name)
                    .role_name(&role)
                    .send()
                    .await;
            }
        });
        name.to_owned()
    }

    /// A role an EC2 instance may assume, with `policy` inline; returns its name.
    pub fn instance_role(&self, name: &str, policy: &str) -> String {
        self.role_trusting(name, EC2_TRUST, "agent", policy);
        name.to_owned()
    }

    /// A role `name` that `trust` lets assume it, with `policy` inline as `policy_name`;
    /// returns its ARN.
    pub fn role_trusting(
        &self,
        name: &str,
        trust: &str,
        policy_name: &str,
        policy: &str,
    ) -> String {
        self.rt.block_on(async {
            let role = self
                .iam
                .create_role()
                .role_name(name)
                .assume_role_policy_document(trust)
                .send()
                .await
                .expect("CreateRole");
            self.iam
                .put_role_policy()
                .role_name(name)
                .policy_name(policy_name)
                .policy_document(policy)
                .send()
                .await
                .expect("PutRolePolicy");
            role.role().unwrap().arn().to_owned()
        })
    }

    fn ec2_in(&self, region: &str) -> aws_sdk_ec2::Client {
        let config = self
            .ec2
            .config()
            .to_builder()
            .region(aws_config::Region::new(region.to_owned()));
        aws_sdk_ec2::Client::from_conf(config.build())
    }

    fn ssm_in(&self, region: &str) -> aws_sdk_ssm::Client {
        let config = self
            .ssm
            .config()
            .to_builder()
            .region(aws_config::Region::new(region.to_owned()));
        aws_sdk_ssm::Client::from_conf(config.build())
    }

    /// A VPC with one subnet and no way out (no gateway, no endpoint), in `region`.
    pub fn private_network(&self, region: &str, second_octet: u8) -> Network {
        let ec2 = self.ec2_in(region);
        let cidr = format!("10.{second_octet}.0.0/16");
        self.rt.block_on(async {
            let vpc = ec2
                .create_vpc()
                .cidr_block(&cidr)
                .send()
                .await
                .expect("CreateVpc");
            let vpc = vpc.vpc().unwrap().vpc_id().unwrap().to_owned();
            let subnet = ec2
                .create_subnet()
                .vpc_id(&vpc)
                .cidr_block(format!("10.{second_octet}.1.0/24"))
                .send()
                .await
                .expect("CreateSubnet");
            let subnet = subnet.subnet().unwrap().subnet_id().unwrap().to_owned();
            Network {
                vpc,
                subnet,
                cidr,
                region: region.to_owned(),
            }
        })
    }

    /// A NAT gateway in `net` and a default route to it from its subnet's (main) route table.
    pub fn route_through_nat(&self, net: &Network) {
        let ec2 = self.ec2_in(&net.region);
        self.rt.block_on(async {
            let nat = ec2
                .create_nat_gateway()
                .subnet_id(&net.subnet)
                .send()
                .await
                .expect("CreateNatGateway");
            let nat = nat
                .nat_gateway()
                .unwrap()
                .nat_gateway_id()
                .unwrap()
                .to_owned();
            let tables = ec2
                .describe_route_tables()
                .filters(
                    aws_sdk_ec2::types::Filter::builder()
                        .name("vpc-id")
                        .values(&net.vpc)
                        .build(),
                )
                .send()
                .await
                .expect("DescribeRouteTables");
            let table = tables.route_tables()[0]
                .route_table_id()
                .unwrap()
                .to_owned();
            ec2.create_route()
                .route_table_id(table)
                .destination_cidr_block("0.0.0.0/0")
                .nat_gateway_id(nat)
                .send()
                .await
                .expect("CreateRoute");
        });
    }

    /// A security group in `net` with no rule at all (moto, like AWS, starts a group with
    /// "all traffic out"; that rule is revoked here), then egress on 443 to `egress_443` when given
    /// and ingress on 443 from the VPC when `ingress_443_from_vpc`.
    pub fn security_group(
        &self,
        net: &Network,
        name: &str,
        egress_443: Option<&str>,
        ingress_443_from_vpc: bool,
    ) -> String {
        let ec2 = self.ec2_in(&net.region);
        self.rt.block_on(async {
            let group = ec2
                .create_security_group()
                .group_name(name)
                .description(name)
                .vpc_id(&net.vpc)
                .send()
                .await
                .expect("CreateSecurityGroup");
            let id = group.group_id().unwrap().to_owned();
            ec2.revoke_security_group_egress()
                .group_id(&id)
                .ip_permissions(
                    IpPermission::builder()
                        .ip_protocol("-1")
                        .ip_ranges(IpRange::builder().cidr_ip("0.0.0.0/0").build())
                        .build(),
                )
                .send()
                .await
                .expect("RevokeSecurityGroupEgress");
            let https = |cidr: &str| {
                IpPermission::builder()
                    .ip_protocol("tcp")
                    .from_port(443)
                    .to_port(443)
                    .ip_ranges(IpRange::builder().cidr_ip(cidr).build())
                    .build()
            };
            if let Some(cidr) = egress_443 {
                ec2.authorize_security_group_egress()
                    .group_id(&id)
                    .ip_permissions(https(cidr))
                    .send()
                    .await
                    .expect("AuthorizeSecurityGroupEgress");
            }
            if ingress_443_from_vpc {
                ec2.authorize_security_group_ingress()
                    .group_id(&id)
                    .ip_permissions(https(&net.cidr))
                    .send()
                    .await
                    .expect("AuthorizeSecurityGroupIngress");
            }
            id
        })
    }

    /// Interface endpoints in `net` for each of `services` (ssm, ssmmessages, ec2messages), with
    /// private DNS as given, guarded by `group`.
    pub fn endpoints(&self, net: &Network, services: &[&str], private_dns: bool, group: &str) {
        let ec2 = self.ec2_in(&net.region);
        self.rt.block_on(async {
            for service in services {
                ec2.create_vpc_endpoint()
                    .vpc_id(&net.vpc)
                    .vpc_endpoint_type(VpcEndpointType::Interface)
                    .service_name(format!("com.amazonaws.{}.{service}", net.region))
                    .subnet_ids(&net.subnet)
                    .security_group_ids(group)
                    .private_dns_enabled(private_dns)
                    .tag_specifications(
                        TagSpecification::builder()
                            .resource_type(ResourceType::VpcEndpoint)
                            .tags(Tag::builder().key("Name").value(*service).build())
                            .build(),
                    )
                    .send()
                    .await
                    .expect("CreateVpcEndpoint");
            }
        });
    }

    /// The account's Session Manager preferences in `region` (the Session document
    /// SSM-SessionManagerRunShell), requiring KMS encryption with `kms_key_id`.
    pub fn session_preferences_kms(&self, region: &str, kms_key_id: &str) {
        let ssm = self.ssm_in(region);
        let content = format!(
            r#"{{"schemaVersion": "1.0", "description": "Session Manager preferences", "sessionType": "Standard_Stream", "inputs": {{"s3BucketName": "", "cloudWatchLogGroupName": "", "kmsKeyId": "{kms_key_id}", "runAsEnabled": false, "idleSessionTimeout": "20"}}}}"#
        );
        self.rt.block_on(async {
            let created = ssm
                .create_document()
                .name("SSM-SessionManagerRunShell")
                .document_type(aws_sdk_ssm::types::DocumentType::Session)
                .document_format(aws_sdk_ssm::types::DocumentFormat::Json)
                .content(content)
                .send()
                .await;
            // An emulator kept from an earlier run has them already (the same key).
            if let Err(e) = created {
                let code = aws_sdk_ssm::error::ProvideErrorMetadata::code(&e);
                assert_eq!(code, Some("DocumentAlreadyExists"), "CreateDocument: {e:?}");
            }
        });
    }

    /// Default Host Management Configuration in `region`: instances without a profile use `role`.
    pub fn default_host_management(&self, region: &str, role: &str) {
        let ssm = self.ssm_in(region);
        self.rt.block_on(async {
            ssm.update_service_setting()
                .setting_id("/ssm/managed-instance/default-ec2-instance-management-role")
                .setting_value(role)
                .send()
                .await
                .expect("UpdateServiceSetting");
        });
    }
}
