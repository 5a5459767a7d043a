//! Whether the instance has a way to Systems Manager's endpoints on 443, judged from what EC2
//! says about its subnet, VPC and security groups. Pure: the reads are done by the caller.
//!
//! The agent reaches `ssm`, `ssmmessages` and `ec2messages` in its region either through an
//! interface VPC endpoint of each in its VPC (with private DNS on, so the public name resolves
//! to it) or over the internet: a default route to an internet gateway (with a public address)
//! or to a NAT gateway (Systems Manager User Guide, "Improve the security of EC2 instances by
//! using VPC endpoints for Systems Manager"). Security groups must let it out on 443, and an
//! endpoint's groups must let it in. Network ACLs are not read.

use super::api::{Endpoint, Group, Placement, RouteTable, RouteTarget, Rule};
use super::{Finding, Status};

/// The services the agent talks to, and what for.
pub const SERVICES: &[(&str, &str)] = &[
    ("ssm", "registration and pings"),
    ("ssmmessages", "Session Manager"),
    ("ec2messages", "Run Command"),
];

/// What EC2 says about the instance's network.
pub struct Net<'a> {
    pub region: &'a str,
    pub placement: &'a Placement,
    pub vpc_cidr: Option<&'a str>,
    pub route: Option<&'a RouteTable>,
    /// The NAT gateway's state, when the default route goes to one.
    pub nat_state: Option<&'a str>,
    pub endpoints: &'a [Endpoint],
    /// The instance's groups and the endpoints' groups.
    pub groups: &'a [Group],
}

/// The way to one service, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Path {
    pub status: Status,
    pub how: String,
    pub next: Option<String>,
}

/// An IPv4 network: address and prefix length.
fn parse_cidr(s: &str) -> Option<(u32, u32)> {
    let (addr, len) = s.split_once('/').unwrap_or((s, "32"));
    let addr: std::net::Ipv4Addr = addr.parse().ok()?;
    let len: u32 = len.parse().ok().filter(|l| *l <= 32)?;
    Some((u32::from(addr), len))
}

/// True when network `outer` contains all of `inner` (both "a.b.c.d/n"; a bare address is /32).
pub fn contains(outer: &str, inner: &str) -> bool {
    let (Some((o, ol)), Some((i, il))) = (parse_cidr(outer), parse_cidr(inner)) else {
        return false;
    };
    let mask = if ol == 0 { 0 } else { u32::MAX << (32 - ol) };
    ol <= il && (o & mask) == (i & mask)
}

fn allows_443(rule: &Rule) -> bool {
    match rule.protocol.as_str() {
        "-1" | "all" => true,
        "tcp" | "6" => {
            let from = rule.from_port.unwrap_or(0);
            let to = rule.to_port.unwrap_or(65535);
            // A rule for "all ports" may come back as -1..-1.
            (from == -1 && to == -1) || (from <= 443 && 443 <= to)
        }
        _ => false,
    }
}

/// Whether one of `rules` lets 443 through to/from `cidr` or a member of `groups`: Ok, Problem,
/// or Unknown when only a prefix list might (ssmgo doesn't read prefix lists).
fn rules_allow<'a>(
    rules: impl Iterator<Item = &'a Rule>,
    cidr: Option<&str>,
    groups: &[String],
) -> Status {
    let mut maybe = false;
    for rule in rules.filter(|r| allows_443(r)) {
        if cidr.is_some_and(|c| rule.cidrs.iter().any(|r| contains(r, c))) {
            return Status::Ok;
        }
        if rule.groups.iter().any(|g| groups.contains(g)) {
            return Status::Ok;
        }
        maybe |= !rule.prefix_lists.is_empty();
    }
    if maybe {
        Status::Unknown
    } else {
        Status::Problem
    }
}

impl Net<'_> {
    fn group(&self, id: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.id == id)
    }

    fn egress(&self, cidr: &str, to_groups: &[String]) -> Status {
        let rules = self
            .placement
            .groups
            .iter()
            .filter_map(|id| self.group(id))
            .flat_map(|g| &g.egress);
        rules_allow(rules, Some(cidr), to_groups)
    }

    fn groups_list(&self) -> String {
        match self.placement.groups.is_empty() {
            true => "no security group".into(),
            false => self.placement.groups.join(", "),
        }
    }

    /// The way to `service` (ssm, ssmmessages or ec2messages).
    pub fn path_to(&self, service: &str) -> Path {
        let name = format!("com.amazonaws.{}.{service}", self.region);
        let endpoint = self
            .endpoints
            .iter()
            .find(|e| e.interface && e.service == name);
        let mut aside = String::new();
        if let Some(e) = endpoint {
            if !e.available {
                return Path {
                    status: Status::Problem,
                    how: format!("the interface endpoint {} for {name} is not available", e.id),
                    next: Some(format!("Recreate the endpoint {} (aws ec2 describe-vpc-endpoints --vpc-endpoint-ids {} shows its state)", e.id, e.id)),
                };
            }
            if e.private_dns {
                return self.through_endpoint(e, &name);
            }
            aside = format!(
                " (the interface endpoint {} has private DNS off, so the agent resolves {service}.{}.amazonaws.com to the public address)",
                e.id, self.region
            );
        }
        let no_way = |why: String| {
            Path {
            status: Status::Problem,
            how: format!("{why}{aside}"),
            next: Some(format!(
                "Create interface VPC endpoints for ssm, ssmmessages and ec2messages in {} with private DNS on (aws ec2 create-vpc-endpoint --vpc-endpoint-type Interface --service-name {name} --private-dns-enabled …), or route 0.0.0.0/0 to a NAT gateway",
                self.placement.vpc.as_deref().unwrap_or("its VPC")
            )),
        }
        };
        let Some(route) = self.route else {
            return no_way(format!("no route table applies to its subnet and there is no interface endpoint for {name}"));
        };
        let table = match route.main {
            true => format!("the VPC's main route table {}", route.id),
            false => format!("its subnet's route table {}", route.id),
        };
        let (way, target) = match &route.default_route {
            None => {
                return no_way(format!(
                    "{table} has no default route (0.0.0.0/0) and there is no interface endpoint for {name}"
                ))
            }
            Some(RouteTarget::Other(target)) => {
                return Path {
                    status: Status::Unknown,
                    how: format!("{table} sends 0.0.0.0/0 to {target}, which ssmgo can't see past{aside}"),
                    next: None,
                }
            }
            Some(RouteTarget::InternetGateway(igw)) => {
                if self.placement.public_ip.is_none() && !self.placement.running {
                    return Path {
                        status: Status::Unknown,
                        how: format!("{table} sends 0.0.0.0/0 to the internet gateway {igw}; whether the instance gets a public IPv4 address when it starts can't be seen while it is stopped{aside}"),
                        next: None,
                    };
                }
                if self.placement.public_ip.is_none() {
                    return no_way(format!(
                        "{table} sends 0.0.0.0/0 to the internet gateway {igw}, but its network interface has no public IPv4 address, so it can't use it"
                    ));
                }
                ("the internet gateway", igw)
            }
            Some(RouteTarget::NatGateway(nat)) => {
                if let Some(state) = self.nat_state.filter(|s| *s != "available") {
                    return no_way(format!(
                        "{table} sends 0.0.0.0/0 to the NAT gateway {nat}, which is {state}"
                    ));
                }
                ("the NAT gateway", nat)
            }
        };
        let via = format!("{table} sends 0.0.0.0/0 to {way} {target}{aside}");
        match self.egress("0.0.0.0/0", &[]) {
            Status::Ok => Path {
                status: Status::Ok,
                how: format!("{via}; its security groups allow outbound TCP 443"),
                next: None,
            },
            Status::Unknown => Path {
                status: Status::Unknown,
                how: format!("{via}; outbound TCP 443 is allowed only to prefix lists, which ssmgo doesn't read"),
                next: None,
            },
            Status::Problem => Path {
                status: Status::Problem,
                how: format!("{via}, but its security groups ({}) allow no outbound TCP 443 to the internet", self.groups_list()),
                next: Some(format!(
                    "Allow outbound TCP 443: aws ec2 authorize-security-group-egress --group-id {} --protocol tcp --port 443 --cidr 0.0.0.0/0",
                    self.placement.groups.first().map_or("SG", String::as_str)
                )),
            },
        }
    }

    fn through_endpoint(&self, e: &Endpoint, name: &str) -> Path {
        let vpc_cidr = self.vpc_cidr.unwrap_or("0.0.0.0/0");
        let out = self.egress(vpc_cidr, &e.groups);
        let mine = &self.placement.groups;
        let ip = self.placement.private_ip.as_deref();
        let rules = e
            .groups
            .iter()
            .filter_map(|id| self.group(id))
            .flat_map(|g| &g.ingress);
        let inbound = rules_allow(rules, ip, mine);
        let via = format!(
            "through the interface endpoint {} for {name} (private DNS on)",
            e.id
        );
        match (out, inbound) {
            (Status::Ok, Status::Ok) => Path {
                status: Status::Ok,
                how: format!("{via}; security groups allow TCP 443 from the instance to it"),
                next: None,
            },
            (Status::Problem, _) => Path {
                status: Status::Problem,
                how: format!("{via}, but the instance's security groups ({}) allow no outbound TCP 443 to it", self.groups_list()),
                next: Some(format!(
                    "Allow outbound TCP 443 to the VPC: aws ec2 authorize-security-group-egress --group-id {} --protocol tcp --port 443 --cidr {vpc_cidr}",
                    mine.first().map_or("SG", String::as_str)
                )),
            },
            (_, Status::Problem) => Path {
                status: Status::Problem,
                how: format!("{via}, but the endpoint's security groups ({}) let no TCP 443 in from the instance", e.groups.join(", ")),
                next: Some(format!(
                    "Allow inbound TCP 443 from the instance: aws ec2 authorize-security-group-ingress --group-id {} --protocol tcp --port 443 --source-group {}",
                    e.groups.first().map_or("SG", String::as_str),
                    mine.first().map_or("SG", String::as_str)
                )),
            },
            _ => Path {
                status: Status::Unknown,
                how: format!("{via}; TCP 443 is allowed only through prefix lists, which ssmgo doesn't read"),
                next: None,
            },
        }
    }
}

/// The network check for the instance in `subnet` of `vpc`: the way to each of [`SERVICES`],
/// the worst of them deciding.
pub fn judge(net: &Net, vpc: &str, subnet: &str) -> Finding {
    judge_for(net, vpc, subnet, SERVICES)
}

/// "a", "a and b", "a, b and c".
fn listed(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// [`judge`] for the `services` an agent needs (ECS Exec's agent talks to ssmmessages alone).
pub fn judge_for(net: &Net, vpc: &str, subnet: &str, services: &[(&str, &str)]) -> Finding {
    let paths: Vec<(&str, &str, Path)> = services
        .iter()
        .map(|(service, what)| (*service, *what, net.path_to(service)))
        .collect();
    let worst = if paths.iter().any(|p| p.2.status == Status::Problem) {
        Status::Problem
    } else if paths.iter().any(|p| p.2.status == Status::Unknown) {
        Status::Unknown
    } else {
        Status::Ok
    };
    let blocked: Vec<&str> = paths
        .iter()
        .filter(|p| p.2.status == Status::Problem)
        .map(|p| p.0)
        .collect();
    let summary = match worst {
        Status::Ok => {
            let names: Vec<&str> = services.iter().map(|(n, _)| *n).collect();
            format!("a way to {} on 443 from {subnet} in {vpc}", listed(&names))
        }
        Status::Problem => format!(
            "no way from {subnet} in {vpc} to {} on 443",
            blocked.join(", ")
        ),
        Status::Unknown => {
            format!("the way from {subnet} in {vpc} to Systems Manager can't be fully judged")
        }
    };
    let next = paths.iter().find_map(|p| p.2.next.clone());
    let mut f = Finding::new("network", worst, summary).evidence(
        paths
            .iter()
            .map(|(service, what, p)| format!("{service} ({what}): {}", p.how))
            .collect(),
    );
    if worst == Status::Problem {
        f.next = next;
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn services_are_listed_in_words() {
        assert_eq!(listed(&["ssmmessages"]), "ssmmessages");
        assert_eq!(listed(&["ssm", "ssmmessages"]), "ssm and ssmmessages");
        assert_eq!(
            listed(&["ssm", "ssmmessages", "ec2messages"]),
            "ssm, ssmmessages and ec2messages"
        );
        assert_eq!(listed(&[]), "");
    }

    fn rule(protocol: &str, ports: Option<(i32, i32)>, cidr: &str) -> Rule {
        Rule {
            protocol: protocol.into(),
            from_port: ports.map(|p| p.0),
            to_port: ports.map(|p| p.1),
            cidrs: vec![cidr.into()],
            ..Rule::default()
        }
    }

    fn placement(public: bool) -> Placement {
        Placement {
            vpc: Some("vpc-1".into()),
            subnet: Some("subnet-1".into()),
            private_ip: Some("10.0.1.5".into()),
            public_ip: public.then(|| "54.0.0.1".into()),
            running: true,
            groups: vec!["sg-i".into()],
            ..Placement::default()
        }
    }

    fn group(id: &str, egress: Vec<Rule>, ingress: Vec<Rule>) -> Group {
        Group {
            id: id.into(),
            egress,
            ingress,
        }
    }

    fn endpoint(service: &str, private_dns: bool) -> Endpoint {
        Endpoint {
            id: format!("vpce-{service}"),
            service: format!("com.amazonaws.eu-west-1.{service}"),
            interface: true,
            available: true,
            private_dns,
            groups: vec!["sg-e".into()],
        }
    }

    fn table(target: Option<RouteTarget>) -> RouteTable {
        RouteTable {
            id: "rtb-1".into(),
            main: false,
            default_route: target,
        }
    }

    fn path(p: &Placement, route: Option<&RouteTable>, eps: &[Endpoint], groups: &[Group]) -> Path {
        Net {
            region: "eu-west-1",
            placement: p,
            vpc_cidr: Some("10.0.0.0/16"),
            route,
            nat_state: None,
            endpoints: eps,
            groups,
        }
        .path_to("ssm")
    }

    #[test]
    fn networks_contain_what_they_should() {
        assert!(contains("0.0.0.0/0", "10.0.0.0/16"));
        assert!(contains("10.0.0.0/16", "10.0.1.5"));
        assert!(!contains("10.0.0.0/24", "10.0.1.5"));
        assert!(!contains("10.0.0.0/24", "10.0.0.0/16"));
        assert!(!contains("not a cidr", "10.0.0.1"));
    }

    #[test]
    fn only_rules_that_open_443_count() {
        assert!(allows_443(&rule("-1", None, "0.0.0.0/0")));
        assert!(allows_443(&rule("tcp", Some((443, 443)), "0.0.0.0/0")));
        assert!(allows_443(&rule("tcp", Some((0, 65535)), "0.0.0.0/0")));
        assert!(!allows_443(&rule("tcp", Some((80, 80)), "0.0.0.0/0")));
        assert!(!allows_443(&rule("udp", Some((443, 443)), "0.0.0.0/0")));
    }

    #[test]
    fn a_public_instance_behind_an_internet_gateway_gets_out() {
        let groups = [group("sg-i", vec![rule("-1", None, "0.0.0.0/0")], vec![])];
        let route = table(Some(RouteTarget::InternetGateway("igw-1".into())));
        let p = path(&placement(true), Some(&route), &[], &groups);
        assert_eq!(p.status, Status::Ok, "{p:?}");
        let p = path(&placement(false), Some(&route), &[], &groups);
        assert_eq!(p.status, Status::Problem);
        assert!(p.how.contains("no public IPv4 address"), "{}", p.how);
        let stopped = Placement {
            running: false,
            ..placement(false)
        };
        let p = path(&stopped, Some(&route), &[], &groups);
        assert_eq!(p.status, Status::Unknown, "{p:?}");
    }

    #[test]
    fn no_default_route_and_no_endpoint_is_the_problem_named() {
        let groups = [group("sg-i", vec![rule("-1", None, "0.0.0.0/0")], vec![])];
        let p = path(&placement(false), Some(&table(None)), &[], &groups);
        assert_eq!(p.status, Status::Problem);
        assert!(p.how.contains("has no default route"), "{}", p.how);
        assert!(p.next.unwrap().contains("create-vpc-endpoint"));
    }

    #[test]
    fn an_endpoint_needs_private_dns_and_443_both_ways() {
        let out = group(
            "sg-i",
            vec![rule("tcp", Some((443, 443)), "10.0.0.0/16")],
            vec![],
        );
        let into = group(
            "sg-e",
            vec![],
            vec![rule("tcp", Some((443, 443)), "10.0.0.0/16")],
        );
        let closed = group("sg-e", vec![], vec![]);
        let route = table(None);
        let ok = path(
            &placement(false),
            Some(&route),
            &[endpoint("ssm", true)],
            &[out.clone(), into.clone()],
        );
        assert_eq!(ok.status, Status::Ok, "{ok:?}");
        let shut = path(
            &placement(false),
            Some(&route),
            &[endpoint("ssm", true)],
            &[out.clone(), closed],
        );
        assert_eq!(shut.status, Status::Problem);
        assert!(shut.how.contains("let no TCP 443 in"), "{}", shut.how);
        let no_dns = path(
            &placement(false),
            Some(&route),
            &[endpoint("ssm", false)],
            &[out, into],
        );
        assert_eq!(no_dns.status, Status::Problem);
        assert!(no_dns.how.contains("private DNS off"), "{}", no_dns.how);
    }

    #[test]
    fn egress_closed_to_the_internet_is_named() {
        let groups = [group(
            "sg-i",
            vec![rule("tcp", Some((80, 80)), "0.0.0.0/0")],
            vec![],
        )];
        let route = table(Some(RouteTarget::NatGateway("nat-1".into())));
        let p = path(&placement(false), Some(&route), &[], &groups);
        assert_eq!(p.status, Status::Problem);
        assert!(p.how.contains("allow no outbound TCP 443"), "{}", p.how);
    }

    fn judged(route: &RouteTable, groups: &[Group]) -> Finding {
        let p = placement(false);
        let net = Net {
            region: "eu-west-1",
            placement: &p,
            vpc_cidr: Some("10.0.0.0/16"),
            route: Some(route),
            nat_state: None,
            endpoints: &[],
            groups,
        };
        judge(&net, "vpc-1", "subnet-1")
    }

    #[test]
    fn the_worst_way_decides_the_check_and_each_service_is_evidence() {
        let open = [group("sg-i", vec![rule("-1", None, "0.0.0.0/0")], vec![])];
        let nat = table(Some(RouteTarget::NatGateway("nat-1".into())));
        let ok = judged(&nat, &open);
        assert_eq!(ok.status, Status::Ok);
        assert_eq!(
            ok.summary,
            "a way to ssm, ssmmessages and ec2messages on 443 from subnet-1 in vpc-1"
        );
        assert_eq!(ok.evidence.len(), 3);
        assert!(
            ok.evidence[1].starts_with("ssmmessages (Session Manager): its subnet's route table rtb-1 sends 0.0.0.0/0 to the NAT gateway nat-1"),
            "{}",
            ok.evidence[1]
        );
        assert_eq!(ok.next, None);

        let none = judged(&table(None), &open);
        assert_eq!(none.status, Status::Problem);
        assert_eq!(
            none.summary,
            "no way from subnet-1 in vpc-1 to ssm, ssmmessages, ec2messages on 443"
        );
        assert!(none.next.unwrap().contains("create-vpc-endpoint"));

        let other = judged(&table(Some(RouteTarget::Other("tgw-1".into()))), &open);
        assert_eq!(other.status, Status::Unknown);
        assert_eq!(
            other.summary,
            "the way from subnet-1 in vpc-1 to Systems Manager can't be fully judged"
        );
        assert_eq!(other.next, None);
    }
}
