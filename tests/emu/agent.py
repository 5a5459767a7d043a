"""The SSM agent's side of the emulator: whether an instance's agent can reach Systems Manager, as
AWS's documentation says it must, from the state moto keeps (instance profiles, IAM roles, route
tables, gateways, VPC endpoints, security groups) and the account's SSM service settings.

An agent reaches SSM when (Systems Manager User Guide, "Setting up Systems Manager for EC2
instances", "Troubleshooting managed node availability"):
  * it has credentials: the role of the instance's instance profile, or else, with Default Host
    Management Configuration (service setting /ssm/managed-instance/default-ec2-instance-management-role),
    that role — for instances that require IMDSv2 and run agent 3.2.582.0 or later;
  * that role allows what it calls: ssm:UpdateInstanceInformation to register and ping (PingStatus),
    ssmmessages:CreateControlChannel / OpenControlChannel for Session Manager's control channel;
  * it has a network path on 443 to ssm.REGION / ssmmessages.REGION: an interface VPC endpoint of
    the service in its VPC with private DNS on (and security groups that let the instance in), or
    else a default route to an internet gateway (with a public address) or a NAT gateway, and
    security-group egress on 443.
An agent that never reached SSM is no managed node at all; one that did and lost its way is listed
as ConnectionLost with its last ping. Test hooks (instance tags):
  ssmgo:agent-version=V   the agent's version (default 3.3.1142.0)
  ssmgo:last-ping=ISO     the agent registered before and last pinged then (so it stays listed)
  ssmgo:launched=ISO      EC2's LaunchTime (the instance has been running since then)
Network ACLs and DNS resolution beyond private DNS are not modelled.
"""
import ipaddress
from datetime import datetime, timezone

DEFAULT_VERSION = "3.3.1142.0"
DHMC_SETTING = "/ssm/managed-instance/default-ec2-instance-management-role"
# Default Host Management Configuration's prerequisites (Systems Manager User Guide, "Default Host
# Management Configuration"): IMDSv2 and this agent version or later.
DHMC_MIN_VERSION = "3.2.582.0"

SETTINGS: dict = {}  # (account, region, setting id) -> value
_hooks: dict = {}


def install(*, iam_backend, allows):
    """iam_backend(account) -> moto's IAM backend; allows(iam, role_arn, action, resource, ctx) ->
    bool (the role's identity-based policies, boundary and the organization's SCPs)."""
    _hooks["iam"] = iam_backend
    _hooks["allows"] = allows


def _tags(i):
    return i.ec2_backend.tags.get(i.id, {})


def version(i):
    return _tags(i).get("ssmgo:agent-version", DEFAULT_VERSION)


def _version_tuple(v):
    try:
        return tuple(int(p) for p in v.split("."))
    except ValueError:
        return (0,)


def last_ping(i):
    at = _tags(i).get("ssmgo:last-ping")
    if at:
        return datetime.fromisoformat(at.replace("Z", "+00:00"))
    launched = getattr(i, "launch_time", None)
    if isinstance(launched, str):
        return datetime.fromisoformat(launched.replace("Z", "+00:00"))
    return datetime.now(timezone.utc)


def role_of(i):
    """The role whose credentials the agent uses, or None."""
    iam = _hooks["iam"](i.ec2_backend.account_id)
    assoc = i.ec2_backend.iam_instance_profile_associations.get(i.id)
    if assoc is not None and getattr(assoc, "state", "associated") == "associated":
        roles = list(getattr(assoc.iam_instance_profile, "roles", []))
        return roles[0] if roles else None
    name = SETTINGS.get((i.ec2_backend.account_id, i.ec2_backend.region_name, DHMC_SETTING))
    if not name or name == "$None":
        return None
    if getattr(i.metadata_options, "http_tokens", "optional") != "required":
        return None
    if _version_tuple(version(i)) < _version_tuple(DHMC_MIN_VERSION):
        return None
    try:
        return iam.get_role(name.split("/")[-1])
    except Exception:
        return None


def _role_allows(i, *actions):
    role = role_of(i)
    if role is None:
        return False
    iam = _hooks["iam"](i.ec2_backend.account_id)
    region = i.ec2_backend.region_name
    arn = f"arn:aws:ec2:{region}:{i.ec2_backend.account_id}:instance/{i.id}"
    # What AWS puts in the request context of calls made with an instance's role credentials.
    ctx = {"aws:requestedregion": [region], "ec2:sourceinstancearn": [arn]}
    return all(_hooks["allows"](iam, role.arn, a, "*", ctx) for a in actions)


# ---------------------------------------------------------------- the network path
def _allows_443(rule):
    if rule.ip_protocol in ("-1", -1, "all"):
        return True
    if str(rule.ip_protocol).lower() not in ("tcp", "6"):
        return False
    lo = int(rule.from_port) if rule.from_port is not None else 0
    hi = int(rule.to_port) if rule.to_port is not None else 65535
    return lo <= 443 <= hi


def _cidr(rule):
    r = rule.ip_range or {}
    return r.get("CidrIp") if isinstance(r, dict) else None


def _groups(i):
    groups = list(i.security_groups or [])
    if not groups and i.vpc_id:
        default = i.ec2_backend.get_default_security_group(i.vpc_id)
        groups = [default] if default else []
    return groups


def _egress_to(i, cidr=None, group_ids=()):
    """Whether one of the instance's security groups lets it out on 443 to `cidr` (or to one of
    `group_ids`)."""
    for g in _groups(i):
        for rule in g.egress_rules:
            if not _allows_443(rule):
                continue
            target = _cidr(rule)
            if target and cidr and ipaddress.ip_network(cidr, strict=False).subnet_of(
                    ipaddress.ip_network(target, strict=False)):
                return True
            if (rule.source_group or {}).get("GroupId") in group_ids:
                return True
    return False


def _endpoint_lets_in(i, endpoint):
    ec2 = i.ec2_backend
    mine = {g.id for g in _groups(i)}
    for gid in endpoint.security_group_ids or []:
        g = ec2.get_security_group_from_id(gid)
        for rule in (g.ingress_rules if g else []):
            if not _allows_443(rule):
                continue
            src = _cidr(rule)
            if src and i.private_ip and ipaddress.ip_address(i.private_ip) in ipaddress.ip_network(src, strict=False):
                return True
            if (rule.source_group or {}).get("GroupId") in mine:
                return True
    return False


def _route_table(i):
    ec2 = i.ec2_backend
    main = None
    for rt in ec2.route_tables.values():
        if rt.vpc_id != i.vpc_id:
            continue
        if i.subnet_id in rt._associations.values():
            return rt
        if rt.main_association_id is not None:
            main = rt
    return main


def endpoint_of(i, service):
    """The interface VPC endpoint that private DNS sends `service` to, or None."""
    name = f"com.amazonaws.{i.ec2_backend.region_name}.{service}"
    for ep in i.ec2_backend.vpc_end_points.values():
        if (ep.vpc_id == i.vpc_id and ep.service_name == name and ep.state == "available"
                and (ep.vpc_endpoint_type or "").lower() == "interface" and ep.private_dns_enabled):
            return ep
    return None


def reaches(i, service):
    """Whether the instance has a path on 443 to the regional endpoint of `service`."""
    if not i.vpc_id:
        return True  # EC2-Classic-like instances moto makes without a VPC: nothing to model
    ep = endpoint_of(i, service)
    if ep is not None:
        # Private DNS resolves the service's name to the endpoint, in the VPC's own addresses.
        vpc = i.ec2_backend.get_vpc(i.vpc_id)
        return (_egress_to(i, vpc.cidr_block, tuple(ep.security_group_ids or ()))
                and _endpoint_lets_in(i, ep))
    rt = _route_table(i)
    if rt is None:
        return False
    for route in rt._routes.values():
        if route.destination_cidr_block != "0.0.0.0/0":
            continue
        gw = route.gateway
        public = i.public_ip or (i.state != "running" and getattr(i, "_ssmgo_public", False))
        if gw is not None and str(gw.id).startswith("igw-") and public:
            return _egress_to(i, "0.0.0.0/0")
        if route.nat_gateway is not None and route.nat_gateway.state == "available":
            return _egress_to(i, "0.0.0.0/0")
    return False


# ---------------------------------------------------------------- what the emulator asks
def pings(i):
    """The agent's ssm:UpdateInstanceInformation calls reach SSM (PingStatus Online while running)."""
    return _role_allows(i, "ssm:UpdateInstanceInformation") and reaches(i, "ssm")


def registered(i):
    """SSM knows the node: it pinged once (ssmgo:last-ping) or can now."""
    return "ssmgo:last-ping" in _tags(i) or pings(i)


def control_channel(i):
    """Session Manager's control channel is up: without it StartSession answers TargetNotConnected."""
    return (_role_allows(i, "ssmmessages:CreateControlChannel", "ssmmessages:OpenControlChannel")
            and reaches(i, "ssmmessages"))


def run_command(i):
    """Run Command's messages reach the agent: its role's ec2messages:GetMessages and a path to
    ec2messages (the agent's message channel for commands)."""
    return _role_allows(i, "ec2messages:GetMessages") and reaches(i, "ec2messages")


# ---------------------------------------------------------------- moto as AWS has it
def patch_moto():
    """What AWS does and moto 5.2.5 doesn't: a default VPC has an internet gateway and a default
    route to it ("Default VPCs", Amazon VPC User Guide); instances launched without a security
    group get their VPC's default group, and every instance of a RunInstances call gets its
    instance profile (moto associates the first only) ("RunInstances")."""
    from moto.ec2.models.instances import InstanceBackend
    from moto.ec2.models.vpcs import VPCBackend

    create_default_vpc = VPCBackend.create_default_vpc

    def with_gateway(self):
        vpc = create_default_vpc(self)
        igw = self.create_internet_gateway()
        self.attach_internet_gateway(igw.id, vpc.id)
        for rt in self.route_tables.values():
            if rt.vpc_id == vpc.id and rt.main_association_id is not None:
                self.create_route(rt.id, "0.0.0.0/0", gateway_id=igw.id)
        return vpc
    VPCBackend.create_default_vpc = with_gateway

    run_instances = InstanceBackend.run_instances

    def with_default_group(self, image_id, count, user_data, security_group_names, **kwargs):
        if not security_group_names and not kwargs.get("security_group_ids") and not kwargs.get("nics"):
            subnet_id = kwargs.get("subnet_id")
            vpc_id = self.get_subnet(subnet_id).vpc_id if subnet_id else getattr(self.default_vpc, "id", None)
            default = self.get_default_security_group(vpc_id) if vpc_id else None
            if default is not None:
                kwargs["security_group_ids"] = [default.id]
        reservation = run_instances(self, image_id, count, user_data, security_group_names, **kwargs)
        name, arn = kwargs.get("iam_instance_profile_name"), kwargs.get("iam_instance_profile_arn")
        for i in reservation.instances:
            # Whether EC2 gives it a public address whenever it runs (one is released on stop).
            i._ssmgo_public = bool(i.public_ip)
            launched = self.tags.get(i.id, {}).get("ssmgo:launched")
            if launched:
                # Test hook: the instance has been running since then (no API sets LaunchTime).
                i.launch_time = datetime.fromisoformat(launched.replace("Z", "+00:00")).replace(tzinfo=None)
        for i in reservation.instances[1:] if (name or arn) else []:
            # The first is associated by moto's response handler after this returns.
            self.associate_iam_instance_profile(i.id, iam_instance_profile_name=name,
                                                iam_instance_profile_arn=arn)
        return reservation
    InstanceBackend.run_instances = with_default_group
