//! The EC2 and SSM reads the doctor makes, returning our own types (its IAM reads are
//! [`crate::aws::iam`]'s). Each read fails with our [`Error`]; the doctor turns an access denial
//! into an "unknown" that names the permission.

use aws_sdk_ec2::types::{Filter, IpPermission};

use crate::aws::Aws;
use crate::error::{Error, Result};

/// Where the instance sits and what it runs with, from ec2:DescribeInstances.
#[derive(Debug, Clone, Default)]
pub struct Placement {
    pub vpc: Option<String>,
    pub subnet: Option<String>,
    pub private_ip: Option<String>,
    pub public_ip: Option<String>,
    /// A stopped instance has no auto-assigned public address; it gets one again when it starts.
    pub running: bool,
    pub groups: Vec<String>,
    pub profile_arn: Option<String>,
    /// "required" when the instance accepts IMDSv2 only.
    pub http_tokens: Option<String>,
}

pub async fn placement(aws: &Aws, id: &str) -> Result<Option<Placement>> {
    let out = aws
        .ec2
        .describe_instances()
        .instance_ids(id)
        .send()
        .await
        .map_err(|e| aws.explain("ec2:DescribeInstances", e))?;
    let Some(i) = out.reservations().iter().flat_map(|r| r.instances()).next() else {
        return Ok(None);
    };
    Ok(Some(Placement {
        vpc: i.vpc_id().map(str::to_owned),
        subnet: i.subnet_id().map(str::to_owned),
        private_ip: i.private_ip_address().map(str::to_owned),
        public_ip: i.public_ip_address().map(str::to_owned),
        running: i
            .state()
            .and_then(|s| s.name())
            .is_some_and(|n| n.as_str() == "running"),
        groups: i
            .security_groups()
            .iter()
            .filter_map(|g| g.group_id().map(str::to_owned))
            .collect(),
        profile_arn: i
            .iam_instance_profile()
            .and_then(|p| p.arn())
            .map(str::to_owned),
        http_tokens: i
            .metadata_options()
            .and_then(|m| m.http_tokens())
            .map(|t| t.as_str().to_owned()),
    }))
}

/// SSM's record of the node, from ssm:DescribeInstanceInformation.
#[derive(Debug, Clone)]
pub struct AgentRecord {
    pub ping_status: String,
    /// Seconds since the Unix epoch.
    pub last_ping: Option<i64>,
    pub agent_version: Option<String>,
}

pub async fn agent_record(aws: &Aws, id: &str) -> Result<Option<AgentRecord>> {
    let out = aws
        .ssm
        .describe_instance_information()
        .filters(
            aws_sdk_ssm::types::InstanceInformationStringFilter::builder()
                .key("InstanceIds")
                .values(id)
                .build()
                .expect("key and values are set"),
        )
        .send()
        .await
        .map_err(|e| aws.explain("ssm:DescribeInstanceInformation", e))?;
    Ok(out
        .instance_information_list()
        .iter()
        .find(|i| i.instance_id() == Some(id))
        .map(|i| AgentRecord {
            ping_status: i
                .ping_status()
                .map(|p| p.as_str().to_owned())
                .unwrap_or_default(),
            last_ping: i.last_ping_date_time().map(|t| t.secs()),
            agent_version: i.agent_version().map(str::to_owned),
        }))
}

/// The service setting behind Default Host Management Configuration.
pub const DHMC_SETTING: &str = "/ssm/managed-instance/default-ec2-instance-management-role";

/// The role Default Host Management Configuration gives instances without a profile, if it is on.
pub async fn default_host_management_role(aws: &Aws) -> Result<Option<String>> {
    let out = aws
        .ssm
        .get_service_setting()
        .setting_id(DHMC_SETTING)
        .send()
        .await
        .map_err(|e| aws.explain("ssm:GetServiceSetting", e))?;
    // AWS's default value for the setting is "$None": turned off.
    Ok(out
        .service_setting()
        .and_then(|s| s.setting_value())
        .filter(|v| !v.is_empty() && *v != "$None")
        .map(str::to_owned))
}

/// Where a route sends traffic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RouteTarget {
    InternetGateway(String),
    NatGateway(String),
    /// Anything else (a transit gateway, a peering, an appliance): ssmgo can't see past it.
    Other(String),
}

/// The route table that applies to the subnet, and its default route.
#[derive(Debug, Clone)]
pub struct RouteTable {
    pub id: String,
    /// True when the subnet has no table of its own and the VPC's main table applies.
    pub main: bool,
    /// The 0.0.0.0/0 route, if any (a blackholed one counts as none).
    pub default_route: Option<RouteTarget>,
}

pub async fn route_table(aws: &Aws, vpc: &str, subnet: &str) -> Result<Option<RouteTable>> {
    let find = |name: &str, value: &str| Filter::builder().name(name).values(value).build();
    let explain = |e| aws.explain("ec2:DescribeRouteTables", e);
    let own = aws
        .ec2
        .describe_route_tables()
        .filters(find("association.subnet-id", subnet))
        .send()
        .await
        .map_err(explain)?;
    let (tables, main) = match own.route_tables().is_empty() {
        false => (own, false),
        true => (
            aws.ec2
                .describe_route_tables()
                .filters(find("vpc-id", vpc))
                .filters(find("association.main", "true"))
                .send()
                .await
                .map_err(explain)?,
            true,
        ),
    };
    Ok(tables.route_tables().first().map(|t| RouteTable {
        id: t.route_table_id().unwrap_or_default().to_owned(),
        main,
        default_route: t
            .routes()
            .iter()
            .find(|r| {
                r.destination_cidr_block() == Some("0.0.0.0/0")
                    && r.state().map(|s| s.as_str()) != Some("blackhole")
            })
            .map(|r| {
                if let Some(nat) = r.nat_gateway_id() {
                    RouteTarget::NatGateway(nat.to_owned())
                } else if let Some(gw) = r.gateway_id().filter(|g| g.starts_with("igw-")) {
                    RouteTarget::InternetGateway(gw.to_owned())
                } else {
                    let other = r
                        .gateway_id()
                        .or(r.transit_gateway_id())
                        .or(r.vpc_peering_connection_id())
                        .or(r.network_interface_id())
                        .unwrap_or("another target");
                    RouteTarget::Other(other.to_owned())
                }
            }),
    }))
}

/// The NAT gateway's state ("available", "failed", …), None when it is gone.
pub async fn nat_state(aws: &Aws, id: &str) -> Result<Option<String>> {
    let out = aws
        .ec2
        .describe_nat_gateways()
        .nat_gateway_ids(id)
        .send()
        .await
        .map_err(|e| aws.explain("ec2:DescribeNatGateways", e))?;
    Ok(out
        .nat_gateways()
        .first()
        .and_then(|n| n.state())
        .map(|s| s.as_str().to_owned()))
}

/// An interface VPC endpoint.
#[derive(Debug, Clone)]
pub struct Endpoint {
    pub id: String,
    pub service: String,
    pub interface: bool,
    pub available: bool,
    pub private_dns: bool,
    pub groups: Vec<String>,
}

pub async fn endpoints(aws: &Aws, vpc: &str) -> Result<Vec<Endpoint>> {
    let out = aws
        .ec2
        .describe_vpc_endpoints()
        .filters(Filter::builder().name("vpc-id").values(vpc).build())
        .send()
        .await
        .map_err(|e| aws.explain("ec2:DescribeVpcEndpoints", e))?;
    Ok(out
        .vpc_endpoints()
        .iter()
        .map(|e| Endpoint {
            id: e.vpc_endpoint_id().unwrap_or_default().to_owned(),
            service: e.service_name().unwrap_or_default().to_owned(),
            interface: e
                .vpc_endpoint_type()
                .is_some_and(|t| t.as_str().eq_ignore_ascii_case("interface")),
            available: e
                .state()
                .is_some_and(|s| s.as_str().eq_ignore_ascii_case("available")),
            private_dns: e.private_dns_enabled().unwrap_or(false),
            groups: e
                .groups()
                .iter()
                .filter_map(|g| g.group_id().map(str::to_owned))
                .collect(),
        })
        .collect())
}

/// One security group rule, as far as the doctor needs it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rule {
    /// "-1" for all traffic, "tcp", "udp", …
    pub protocol: String,
    pub from_port: Option<i32>,
    pub to_port: Option<i32>,
    pub cidrs: Vec<String>,
    pub groups: Vec<String>,
    pub prefix_lists: Vec<String>,
}

/// A security group's rules.
#[derive(Debug, Clone, Default)]
pub struct Group {
    pub id: String,
    pub egress: Vec<Rule>,
    pub ingress: Vec<Rule>,
}

fn rules(perms: &[IpPermission]) -> Vec<Rule> {
    perms
        .iter()
        .map(|p| Rule {
            protocol: p.ip_protocol().unwrap_or("-1").to_owned(),
            from_port: p.from_port(),
            to_port: p.to_port(),
            cidrs: p
                .ip_ranges()
                .iter()
                .filter_map(|r| r.cidr_ip().map(str::to_owned))
                .collect(),
            groups: p
                .user_id_group_pairs()
                .iter()
                .filter_map(|g| g.group_id().map(str::to_owned))
                .collect(),
            prefix_lists: p
                .prefix_list_ids()
                .iter()
                .filter_map(|l| l.prefix_list_id().map(str::to_owned))
                .collect(),
        })
        .collect()
}

pub async fn groups(aws: &Aws, ids: &[String]) -> Result<Vec<Group>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let out = aws
        .ec2
        .describe_security_groups()
        .set_group_ids(Some(ids.to_vec()))
        .send()
        .await
        .map_err(|e| aws.explain("ec2:DescribeSecurityGroups", e))?;
    Ok(out
        .security_groups()
        .iter()
        .map(|g| Group {
            id: g.group_id().unwrap_or_default().to_owned(),
            egress: rules(g.ip_permissions_egress()),
            ingress: rules(g.ip_permissions()),
        })
        .collect())
}

/// The VPC's IPv4 CIDR block.
pub async fn vpc_cidr(aws: &Aws, vpc: &str) -> Result<Option<String>> {
    let out = aws
        .ec2
        .describe_vpcs()
        .vpc_ids(vpc)
        .send()
        .await
        .map_err(|e| aws.explain("ec2:DescribeVpcs", e))?;
    Ok(out
        .vpcs()
        .first()
        .and_then(|v| v.cidr_block())
        .map(str::to_owned))
}

/// A session document's content (JSON or YAML, as written), None when there is no such document.
pub async fn document_content(aws: &Aws, name: &str) -> Result<Option<String>> {
    match aws.ssm.get_document().name(name).send().await {
        Ok(out) => Ok(out.content().map(str::to_owned)),
        Err(e) if crate::aws::is_service_error(&e, "InvalidDocument") => Ok(None),
        Err(e) => Err(aws.explain("ssm:GetDocument", e)),
    }
}

/// Why a read failed, for an "unknown" line: the permission when it was denied.
pub fn unreadable(what: &str, e: &Error) -> String {
    match e {
        Error::AccessDenied { action, .. } => {
            format!("could not read {what}: this needs {action}, which you may not call")
        }
        other => format!("could not read {what}: {}", other.headline()),
    }
}
