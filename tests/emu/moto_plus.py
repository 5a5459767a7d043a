#!/usr/bin/env python3
"""ssmgo's test emulator: moto's server plus the Session Manager / IAM-simulator calls that moto
(5.2.x) lacks, sharing moto's real EC2 and IAM state.

Run exactly like moto_server:  python moto_plus.py -H 127.0.0.1 -p 5055

Test hooks (tags on an EC2 instance):
  ssmgo:unmanaged        the instance is not an SSM managed node
  ssmgo:agent=offline    the node is managed but its agent is offline (ConnectionLost; StartSession
                         fails with TargetNotConnected although the instance is running)
  ssmgo:boot-seconds=N   after StartInstances the agent stays ConnectionLost for N seconds, as it does
                         while the instance boots
Whether an agent registers, pings and keeps Session Manager's control channel up is decided by
agent.py from moto's own state, as AWS documents it: the instance profile's role (or Default Host
Management Configuration's, a service setting ssm Get/Update/ResetServiceSetting model here), what
that role may call, and the network path (route tables, internet and NAT gateways, interface VPC
endpoints with private DNS, security groups). See agent.py for its own hooks.
Other hooks:
  SSMGO_EMU_LOG=FILE appends one JSON line per StartSession / SimulatePrincipalPolicy call
  (operation, caller, target or source and resource, start and end times).
IAM calls made with keys that moto issued are authorized against that principal's policies (the
simulator, GetUser/GetRole and the policy read calls), as AWS would; dummy keys act as an admin.

Added (monkeypatched onto moto's response classes, state shared with moto's EC2/IAM backends):
  ssm  DescribeInstanceInformation  every non-terminated EC2 instance whose agent registered (agent.py),
                                    unless tagged ssmgo:unmanaged; Online while it runs and its agent
                                    reaches SSM, otherwise ConnectionLost with its last ping.
                                    Filters InstanceIds / PingStatus / ResourceType / tag:K, MaxResults 5..50
                                    + NextToken.
  ssm  GetInventory                 AWS:InstanceInformation entities for the same set (for aws-ssm-tools).
  ssm  StartSession                 real IAM evaluation of the caller's policies (see below);
                                    TargetNotConnected unless Online with its control channel up; returns SessionId/TokenValue/StreamUrl
                                    (StreamUrl base overridable with SSMGO_EMU_STREAM_BASE).
                                    An "ecs:CLUSTER_TASKID_RUNTIMEID" target is a task's container
                                    (ecs.session_target): authorized on the task's ARN with its tags as
                                    aws:ResourceTag/K, and on the document; TargetNotConnected unless it
                                    could take ExecuteCommand's session (ecs.session_ready).
  ssm  TerminateSession / DescribeSessions(Active) / GetConnectionStatus
  ecs  RunTask's exec model, ExecuteCommand (ecs.py)
  iam  SimulatePrincipalPolicy / SimulateCustomPolicy
                                    Action/NotAction, Resource/NotResource wildcards, Deny > Allow > implicitDeny,
                                    Condition operators String*/Arn*/Bool/Null, ...IfExists, ForAnyValue/ForAllValues;
                                    context = ContextEntries only (like AWS, the simulator never looks up tags);
                                    MissingContextValues, MatchedStatements, ResourceSpecificResults.
StartSession authorization: the caller is found from the SigV4 access key. Keys that moto issued
(iam CreateAccessKey) are evaluated against that user's/role's policies, with context
aws:ResourceTag/K + ssm:resourceTag/K taken from the instance's EC2 tags, for the instance ARN and,
if DocumentName is given (or SSMGO_EMU_CHECK_DEFAULT_DOCUMENT=1), the document ARN, which carries no tags.
Unknown (dummy) keys are treated as an admin, so tests opt in to IAM by using a seeded user's key.
AccessDenied / bad-key / bad-signature for JSON-protocol services (ssm) come back the AWS way
(400, {"__type":"AccessDeniedException"|"UnrecognizedClientException"|"InvalidSignatureException"}),
not as moto's XML 403.
"""
import base64
import fnmatch
import ipaddress
import json
import math
import os
import re
import secrets
import sys
import threading
import time
from datetime import datetime, timezone

from moto.core.exceptions import JsonRESTError, ServiceException
from moto.core.responses import ActionResult
from moto.ec2.models import ec2_backends
from moto.ec2.models.core import TaggedEC2Resource
from moto.ec2.utils import EC2_PREFIX_TO_RESOURCE, get_prefix
from moto.iam import access_control as ac
from moto.iam.models import iam_backends
from moto.iam.responses import IamResponse
from moto.ssm.responses import SimpleSystemManagerResponse
from moto.sts.models import sts_backends
from moto.utilities.utils import get_partition

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import agent  # noqa: E402  (the agent's side: its role, its network path, Session Manager's settings)
import commands  # noqa: E402  (Run Command, each invocation run on this machine)
import ecs  # noqa: E402  (ECS Exec: tasks' containers, their agents, ExecuteCommand)
import org  # noqa: E402,F401  (member accounts: their role, who may assume it, regions they enabled)

SESSIONS: dict = {}  # session id -> dict
SELF_AUTHORIZED = {"ssm:StartSession"}
JSON_SERVICES = {"ssm", "sts_json", "kms", "logs", "dynamodb", "secretsmanager"}


class SsmError(ServiceException):
    pass


class IamError(ServiceException):
    """Serialized by moto the way the IAM protocol reports errors (ErrorResponse/Error/Code)."""


# ---------------------------------------------------------------- IAM policy evaluation
def _lst(x):
    return x if isinstance(x, list) else [x]


def _wild(pattern: str, value: str, ci: bool = False) -> bool:
    rx = "^" + re.escape(pattern).replace(r"\*", ".*").replace(r"\?", ".") + "$"
    rx = rx.replace("\x00", r"\*").replace("\x01", r"\?")  # ${*} and ${?}: literal
    return re.match(rx, value, re.I | re.S if ci else re.S) is not None


def _arn_like(pattern: str, value: str) -> bool:
    """Resource matching as the IAM User Guide (Resource element) describes it: wildcards stay in
    their colon-separated segment, except a * that ends a segment, which can expand beyond the
    colons; the sixth segment (the resource) takes the rest of the ARN."""
    if not pattern.startswith("arn:"):
        return _wild(pattern, value)
    segs = pattern.split(":", 5)

    def match(i, rest):
        seg = segs[i]
        if i == len(segs) - 1:
            if len(segs) == 6 or seg.endswith("*") or ":" not in rest:
                return _wild(seg, rest)
            return False
        ends = [m.start() for m in re.finditer(":", rest)]
        if not seg.endswith("*"):
            ends = ends[:1]
        return any(_wild(seg, rest[:e]) and match(i + 1, rest[e + 1:]) for e in ends)
    return match(0, value)


def _arn_condition_like(pattern: str, value: str) -> bool:
    """ArnEquals/ArnLike as the IAM User Guide's condition-operators page describes them: "Each of
    the six colon-delimited components of the ARN is checked separately", so a * never crosses a
    colon before the sixth component (unlike the Resource element, _arn_like); the sixth is
    everything after the fifth colon. The guide is silent on a pattern or value without six
    components: it matches no ARN here, as in ssmgo-policy (the Not forms, the negation, hold)."""
    p, v = pattern.split(":", 5), value.split(":", 5)
    if len(p) != 6 or len(v) != 6 or v[0] != "arn":
        return False
    return all(_wild(pc, vc) for pc, vc in zip(p, v))


def _expand(pattern: str, ctx: dict, vars_on: bool):
    """A pattern with its policy variables (${aws:username}, ${aws:PrincipalTag/K, 'default'})
    replaced, * and ? still wildcards and ${*} ${?} ${$} the literal characters (kept as \\x00 and
    \\x01 until _wild). None when a variable has no value and no default: it never matches."""
    if not vars_on or "${" not in pattern:
        return pattern
    out, i = [], 0
    for m in re.finditer(r"\$\{([^}]*)\}", pattern):
        out.append(pattern[i:m.start()])
        body = m.group(1).strip()
        if body in ("*", "?", "$"):
            out.append({"*": "\x00", "?": "\x01", "$": "$"}[body])
        else:
            name, _, default = body.partition(",")
            vals = ctx.get(name.strip().lower())
            if vals:
                out.append(vals[0])
            elif default.strip():
                out.append(default.strip().strip("'"))
            else:
                return None
        i = m.end()
    out.append(pattern[i:])
    return "".join(out)


def _ip_in(addr: str, cidr: str) -> bool:
    try:
        return ipaddress.ip_address(addr.split("/")[0].strip()) in ipaddress.ip_network(cidr.strip(), strict=False)
    except ValueError:
        return False


def _num(a, e, f):
    try:
        x, y = float(a), float(e)
    except ValueError:
        return False
    return math.isfinite(x) and math.isfinite(y) and f(x, y)


def _date(v: str):
    v = v.strip()
    if v.isdigit():
        return int(v)
    try:
        d = datetime.fromisoformat(v.replace("Z", "+00:00"))
    except ValueError:
        return None
    if d.tzinfo is None:
        d = d.replace(tzinfo=timezone.utc)
    return d.timestamp()


def _dt(a, e, f):
    x, y = _date(a), _date(e)
    return x is not None and y is not None and f(x, y)


_POS = {
    "StringEquals": lambda a, e: a == e,
    "StringEqualsIgnoreCase": lambda a, e: a.lower() == e.lower(),
    "StringLike": lambda a, e: _wild(e, a),
    "ArnEquals": lambda a, e: _arn_condition_like(e, a),
    "ArnLike": lambda a, e: _arn_condition_like(e, a),
    "Bool": lambda a, e: a.lower() == e.lower(),
    "IpAddress": lambda a, e: _ip_in(a, e),
    "NumericEquals": lambda a, e: _num(a, e, lambda x, y: x == y),
    "NumericLessThan": lambda a, e: _num(a, e, lambda x, y: x < y),
    "NumericLessThanEquals": lambda a, e: _num(a, e, lambda x, y: x <= y),
    "NumericGreaterThan": lambda a, e: _num(a, e, lambda x, y: x > y),
    "NumericGreaterThanEquals": lambda a, e: _num(a, e, lambda x, y: x >= y),
    "DateEquals": lambda a, e: _dt(a, e, lambda x, y: x == y),
    "DateLessThan": lambda a, e: _dt(a, e, lambda x, y: x < y),
    "DateLessThanEquals": lambda a, e: _dt(a, e, lambda x, y: x <= y),
    "DateGreaterThan": lambda a, e: _dt(a, e, lambda x, y: x > y),
    "DateGreaterThanEquals": lambda a, e: _dt(a, e, lambda x, y: x >= y),
}
_NEG = {"StringNotEquals": "StringEquals", "StringNotEqualsIgnoreCase": "StringEqualsIgnoreCase",
        "StringNotLike": "StringLike", "ArnNotEquals": "ArnEquals", "ArnNotLike": "ArnLike",
        "NotIpAddress": "IpAddress", "NumericNotEquals": "NumericEquals", "DateNotEquals": "DateEquals"}


def _conditions(cond: dict, ctx: dict, missing: set, vars_on: bool) -> bool:
    """ctx: lower-cased key -> list[str]. Records referenced-but-absent keys in `missing`; every
    condition is looked at, so that all of them are recorded, as AWS's simulator lists them."""
    ok = True
    for op, kv in (cond or {}).items():
        qual, _, base = op.rpartition(":")
        if_exists = base.endswith("IfExists")
        base = base[:-8] if if_exists else base
        for key, expected in kv.items():
            expected = [str(e).lower() if isinstance(e, bool) else str(e) for e in _lst(expected)]
            actual = ctx.get(key.lower())
            if base == "Null":
                # Any listed value may hold: ["true", "false"] always does.
                if not any((e.lower() == "true") == (actual is None) for e in expected):
                    ok = False
                continue
            if actual is None:
                missing.add(key)
                if not (if_exists or qual == "ForAllValues" or base in _NEG):
                    ok = False
                continue
            neg = base in _NEG
            fn = _POS.get(_NEG.get(base, base))
            if fn is None:  # unsupported operator: fail closed
                ok = False
                continue
            exp = [x for x in (_expand(e, ctx, vars_on) if base.startswith("String") or "Arn" in base
                               else e for e in expected) if x is not None]
            if qual == "ForAllValues":
                hit = all(any(fn(a, e) for e in exp) for a in actual)
            else:
                hit = any(fn(a, e) for a in actual for e in exp)
            if hit == neg:
                ok = False
    return ok


def _statement_applies(st: dict, action: str, resource: str, ctx: dict, missing: set, vars_on: bool) -> bool:
    if "Action" in st:
        if not any(_wild(p, action, ci=True) for p in _lst(st["Action"])):
            return False
    elif "NotAction" in st:
        if any(_wild(p, action, ci=True) for p in _lst(st["NotAction"])):
            return False
    res = lambda ps: any(p is not None and _arn_like(p, resource)
                         for p in (_expand(x, ctx, vars_on) for x in _lst(ps)))
    if "Resource" in st:
        if not res(st["Resource"]):
            return False
    elif "NotResource" in st:
        if res(st["NotResource"]):
            return False
    return _conditions(st.get("Condition"), ctx, missing, vars_on)


def _statement_spans(text):
    """(start, end) offsets of each element of the top-level "Statement" list (or of the single
    statement object), found by scanning the text so that positions match the stored document."""
    spans, depth, i, n = [], 0, 0, len(text)
    key, in_statement, start, stmt_depth = None, False, None, None
    while i < n:
        c = text[i]
        if c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            word = text[i + 1:j]
            k = j + 1
            while k < n and text[k] in " \t\r\n":
                k += 1
            if depth == 1 and k < n and text[k] == ":":
                key = word
            i = j + 1
            continue
        if c in "{[":
            if depth == 1 and key == "Statement":
                in_statement, stmt_depth = True, depth
                if c == "{":
                    start = i
            elif in_statement and depth == stmt_depth + 1 and c == "{":
                start = i
            depth += 1
        elif c in "}]":
            depth -= 1
            if in_statement and start is not None and c == "}" and depth in (stmt_depth, stmt_depth + 1):
                spans.append((start, i + 1))
                start = None
            if in_statement and depth == stmt_depth:
                in_statement, key = False, None
        i += 1
    return spans


def _line_col(text, offset):
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return {"Line": line, "Column": col}


def evaluate(policies, action, resource, ctx):
    """policies: list of (policy_id, policy_type, document_str). -> (decision, matched, missing)"""
    allow, deny, missing = [], [], set()
    for pid, ptype, doc in policies:
        text = doc if isinstance(doc, str) else json.dumps(doc)
        d = json.loads(text)
        spans = _statement_spans(text)
        vars_on = d.get("Version") == "2012-10-17"
        for n, st in enumerate(_lst(d.get("Statement", []))):
            if _statement_applies(st, action, resource, ctx, missing, vars_on):
                m = {"SourcePolicyId": pid, "SourcePolicyType": ptype}
                if n < len(spans):
                    m["StartPosition"] = _line_col(text, spans[n][0])
                    m["EndPosition"] = _line_col(text, spans[n][1])
                (deny if st.get("Effect") == "Deny" else allow).append(m)
    if deny:
        return "explicitDeny", deny, missing
    if allow:
        return "allowed", allow, missing
    return "implicitDeny", [], missing


def _managed_doc(mp):
    for v in getattr(mp, "versions", []):
        if v.is_default:
            return v.document
    return getattr(mp, "document", "{}")


def _entity_policies(entity, kind):
    out = [(n, "IAM Policy", d) for n, d in getattr(entity, "policies", {}).items()]
    out += [(mp.name, "IAM Policy", _managed_doc(mp)) for mp in getattr(entity, "managed_policies", {}).values()]
    return out


def _entity(backend, arn: str):
    if ":user/" in arn:
        return backend.get_user(arn.split("/")[-1])
    if ":assumed-role/" in arn:
        return backend.get_role(arn.split(":assumed-role/")[1].split("/")[0])
    if ":role/" in arn:
        return backend.get_role(arn.split("/")[-1])
    if ":group/" in arn:
        return backend.get_group(arn.split("/")[-1])
    return None


def principal_policies(backend, arn: str):
    """The identity-based policies of a user (with its groups'), role or group."""
    entity = _entity(backend, arn)
    if entity is None:
        return []
    pols = _entity_policies(entity, "")
    if ":user/" in arn:
        for g in backend.get_groups_for_user(entity.name):
            pols += _entity_policies(g, "group")
    return pols


def principal_boundary(backend, arn: str):
    """The permissions boundary document, or None."""
    entity = _entity(backend, arn)
    b = getattr(entity, "permissions_boundary_arn", None) if entity is not None else None
    if not b:
        return None
    mp = backend.get_policy(b)
    return (mp.name, "IAM Policy", _managed_doc(mp))


def _session_policy(caller_key: str):
    """The session policy passed to sts:AssumeRole for the session whose access key is
    `caller_key`, or None. AWS intersects it with the role's policies for every call the session
    makes ("Session policies", IAM User Guide, Policy evaluation logic); SimulatePrincipalPolicy
    can't see it, since its PolicySourceArn names a user, group or role, never a session."""
    for backend in sts_backends.values():
        for part in backend.values():
            role = part.get_assumed_role_from_access_key(caller_key)
            if role is not None:
                return json.loads(role.policy) if role.policy else None
    return None


def _final_decision(pols, boundary, action, resource, ctx):
    dec, matched, missing = evaluate(pols, action, resource, ctx)
    detail = None
    if boundary is not None:
        bdec, bmatched, bmissing = evaluate([boundary], action, resource, ctx)
        missing |= bmissing
        detail = {"AllowedByPermissionsBoundary": bdec == "allowed"}
        if bdec == "explicitDeny" and dec != "explicitDeny":
            dec, matched = "explicitDeny", bmatched
        elif dec == "allowed" and bdec != "allowed":
            dec, matched = "implicitDeny", []
    return dec, matched, missing, detail


# ---------------------------------------------------------------- auth-layer patches
_orig_check = ac.IAMRequestBase.check_action_permitted


def _check_action_permitted(self, resource):
    if self._action in SELF_AUTHORIZED:
        return
    return _orig_check(self, resource)


def _raise_access_denied(self):
    if self._service in JSON_SERVICES:
        raise JsonRESTError("AccessDeniedException",
                            f"User: {self._access_key.arn} is not authorized to perform: {self._action}")
    raise ac.AccessDeniedError(user_arn=self._access_key.arn, action=self._action)


def _raise_invalid_access_key(self, reason):
    if self._service in JSON_SERVICES:
        raise JsonRESTError("UnrecognizedClientException", "The security token included in the request is invalid.")
    return _orig_invalid(self, reason)


def _raise_signature_does_not_match(self):
    if self._service in JSON_SERVICES:
        raise JsonRESTError("InvalidSignatureException", "The request signature we calculated does not match the "
                            "signature you provided. Check your AWS Secret Access Key and signing method.")
    return _orig_sig(self)


_orig_invalid = ac.IAMRequest._raise_invalid_access_key
_orig_sig = ac.IAMRequest._raise_signature_does_not_match
ac.IAMRequest._raise_invalid_access_key = _raise_invalid_access_key
ac.IAMRequest._raise_signature_does_not_match = _raise_signature_does_not_match
ac.IAMRequestBase.check_action_permitted = _check_action_permitted
ac.IAMRequest._raise_access_denied = _raise_access_denied


# ---------------------------------------------------------------- EC2 perf fix
# moto's TaggedEC2Resource.get_tags() scans *all* tags of the region per resource (describe_tags with a
# resource-id regex), so DescribeInstances is O(instances x tags). Same result, O(own tags):
def _get_tags(self):
    if not self.id:
        return []
    rtype = EC2_PREFIX_TO_RESOURCE.get(get_prefix(self.id), "")
    return [{"resource_id": self.id, "key": k, "value": v, "resource_type": rtype}
            for k, v in self.ec2_backend.tags.get(self.id, {}).items()]


if os.environ.get("SSMGO_EMU_FAST_TAGS", "1") == "1":
    TaggedEC2Resource.get_tags = _get_tags


# ---------------------------------------------------------------- SSM
def _now():
    return datetime.now(timezone.utc)


def _managed(self):
    ec2 = ec2_backends[self.current_account][self.region]
    out = []
    for res in ec2.all_reservations():
        for i in res.instances:
            if i.state == "terminated" or "ssmgo:unmanaged" in ec2.tags.get(i.id, {}):
                continue
            if not agent.registered(i):
                continue
            out.append(i)
    return ec2, out


def _hybrid_nodes():
    """Hybrid managed nodes (mi-…), registered by writing $SSMGO_EMU_HYBRID_DIR/<id>.json with
    {"InstanceId", "ComputerName", "Tags": {...}}: moto has no activation flow to register them."""
    folder = os.environ.get("SSMGO_EMU_HYBRID_DIR")
    nodes = {}
    if folder and os.path.isdir(folder):
        for name in os.listdir(folder):
            if name.endswith(".json"):
                with open(os.path.join(folder, name)) as f:
                    node = json.load(f)
                nodes[node["InstanceId"]] = node
    return nodes


def _tags(ec2, iid):
    if iid.startswith("mi-"):
        return dict(_hybrid_nodes().get(iid, {}).get("Tags", {}))
    return dict(ec2.tags.get(iid, {}))


def _ping(i):
    """PingStatus as SSM reports it: Online while the agent's ssm:UpdateInstanceInformation calls
    reach SSM (agent.py decides whether they can), ConnectionLost once they stop."""
    tags = i.ec2_backend.tags.get(i.id, {})
    offline = tags.get("ssmgo:agent") == "offline"
    # After a start the agent needs the boot to finish before its first ping (ssmgo:boot-seconds).
    booting = time.time() < getattr(i, "_ssmgo_started_at", 0) + float(tags.get("ssmgo:boot-seconds", 0))
    return ("Online" if i.state == "running" and not offline and not booting and agent.pings(i)
            else "ConnectionLost")


def _record_start(start):
    def started(self):
        self._ssmgo_started_at = time.time()
        # EC2's LaunchTime is the time of the last start, not of the launch (EC2 API reference,
        # Instance: LaunchTime, "The time that the instance was last launched"); moto keeps the first.
        from moto.core.utils import utcnow
        self.launch_time = utcnow()
        return start(self)
    return started


from moto.ec2.models.instances import Instance as _Ec2Instance  # noqa: E402
_Ec2Instance.start = _record_start(_Ec2Instance.start)


def _info(i):
    ping = _ping(i)
    return {"InstanceId": i.id, "PingStatus": ping,
            "LastPingDateTime": _now() if ping == "Online" else agent.last_ping(i),
            "AgentVersion": agent.version(i),
            "IsLatestVersion": True, "PlatformType": "Linux", "PlatformName": "Amazon Linux",
            "PlatformVersion": "2023", "ResourceType": "EC2Instance", "IPAddress": i.private_ip,
            "ComputerName": f"ip-{i.private_ip.replace('.', '-')}.ec2.internal", "AssociationStatus": "Success"}


def describe_instance_information(self):
    ec2, insts = _managed(self)
    mr = int(self._get_param("MaxResults") or 50)
    if not 5 <= mr <= 50:
        raise SsmError("ValidationException", f"1 validation error detected: Value '{mr}' at 'maxResults' "
                       "failed to satisfy constraint: Member must have value between 5 and 50")
    flts = {f["Key"]: f["Values"] for f in (self._get_param("Filters") or [])}
    for f in self._get_param("InstanceInformationFilterList") or []:
        flts[{"instanceIds": "InstanceIds", "pingStatus": "PingStatus"}.get(f["key"], f["key"])] = f["valueSet"]
    sel = []
    for i in insts:
        if "InstanceIds" in flts and i.id not in flts["InstanceIds"]:
            continue
        if "PingStatus" in flts and _ping(i) not in flts["PingStatus"]:
            continue
        if "ResourceType" in flts and "EC2Instance" not in flts["ResourceType"]:
            continue
        tag_f = [(k[4:], v) for k, v in flts.items() if k.startswith("tag:")]
        if tag_f:
            tg = _tags(ec2, i.id)
            if not all(tg.get(k) in v for k, v in tag_f):
                continue
        sel.append(i)
    infos = [_info(i) for i in sel]
    for node in _hybrid_nodes().values():
        if "InstanceIds" in flts and node["InstanceId"] not in flts["InstanceIds"]:
            continue
        if "ResourceType" in flts and "ManagedInstance" not in flts["ResourceType"]:
            continue
        if "PingStatus" in flts and "Online" not in flts["PingStatus"]:
            continue
        if not all(node.get("Tags", {}).get(k[4:]) in v for k, v in flts.items() if k.startswith("tag:")):
            continue
        infos.append({"InstanceId": node["InstanceId"], "PingStatus": "Online", "LastPingDateTime": _now(),
                      "AgentVersion": "3.3.1142.0", "PlatformType": "Linux", "PlatformName": "Ubuntu",
                      "ResourceType": "ManagedInstance", "IPAddress": "192.168.1.20",
                      "ComputerName": node.get("ComputerName", "edge"), "Name": node.get("ComputerName", "edge")})
    sel = infos
    start = int(self._get_param("NextToken") or 0)
    page = sel[start:start + mr]
    body = {"InstanceInformationList": page}
    if start + mr < len(sel):
        body["NextToken"] = str(start + mr)
    return ActionResult(body)


def get_inventory(self):
    _, insts = _managed(self)
    sel = [i for i in insts if i.state == "running"]
    start = int(self._get_param("NextToken") or 0)
    mr = int(self._get_param("MaxResults") or 50)
    ents = []
    for i in sel[start:start + mr]:
        inf = _info(i)
        ents.append({"Id": i.id, "Data": {"AWS:InstanceInformation": {
            "TypeName": "AWS:InstanceInformation", "SchemaVersion": "1.0", "CaptureTime": _now().strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Content": [{"InstanceId": i.id, "ComputerName": inf["ComputerName"], "IpAddress": i.private_ip,
                         "PlatformName": "Amazon Linux", "PlatformType": "Linux", "ResourceType": "EC2Instance",
                         "InstanceStatus": "Active", "AgentType": "amazon-ssm-agent"}]}}})
    body = {"Entities": ents}
    if start + mr < len(sel):
        body["NextToken"] = str(start + mr)
    return ActionResult(body)


def _caller(self):
    auth = self.headers.get("Authorization", "")
    m = re.search(r"Credential=([^/]+)/", auth)
    if not m:
        return None
    try:
        return ac.create_access_key(self.current_account, get_partition(self.region), m.group(1), self.headers)
    except Exception:  # not a moto-issued key: treat as admin
        return None


_LOG_LOCK = __import__("threading").Lock()


def _log(entry):
    path = os.environ.get("SSMGO_EMU_LOG")
    if path:
        with _LOG_LOCK, open(path, "a") as f:
            f.write(json.dumps(entry) + "\n")


def _request_context(self, iam):
    """The request context AWS fills in for a call, key by key as the IAM User Guide's "AWS global
    condition context keys" page documents them: aws:SourceIp is the caller's address;
    aws:PrincipalArn is the role's ARN (not the session's) for a role session; aws:PrincipalTag/*
    are the principal's IAM tags; aws:username exists for IAM users only; aws:MultiFactorAuthPresent
    "is not present when an IAM entity uses access keys to sign the request" and is present (false
    without MFA) for temporary credentials; aws:SecureTransport is true for HTTPS, which is all
    AWS's endpoints accept."""
    now = _now()
    ctx = {"aws:requestedregion": [self.region],
           "aws:currenttime": [now.strftime("%Y-%m-%dT%H:%M:%SZ")],
           "aws:epochtime": [str(int(now.timestamp()))],
           # AWS's endpoints are HTTPS only: whatever this emulator is reached by, AWS says true.
           "aws:securetransport": ["true"]}
    addr = getattr(self.normalized_request, "remote_addr", None)
    if addr:
        ctx["aws:sourceip"] = [addr]
    m = re.search(r"Credential=([^/]+)/", self.headers.get("Authorization", ""))
    if not m:
        return ctx
    part = get_partition(self.region)
    user_id, arn, account = sts_backends[self.current_account][part].get_caller_identity(m.group(1), self.region)
    ctx["aws:userid"] = [user_id]
    ctx["aws:principalaccount"] = [account]
    tags = []
    if ":assumed-role/" in arn:
        role = iam.get_role(arn.split(":assumed-role/")[1].split("/")[0])
        ctx["aws:principalarn"] = [role.arn]
        ctx["aws:principaltype"] = ["AssumedRole"]
        tags = role.tags.values() if isinstance(role.tags, dict) else role.tags
        ctx["aws:multifactorauthpresent"] = ["false"]
    elif ":user/" in arn:
        name = arn.split("/")[-1]
        ctx["aws:principalarn"] = [arn]
        ctx["aws:principaltype"] = ["User"]
        ctx["aws:username"] = [name]
        tags = iam.list_user_tags(name)
        if self.headers.get("X-Amz-Security-Token"):
            ctx["aws:multifactorauthpresent"] = ["false"]
    for t in tags:
        ctx[f"aws:principaltag/{t['Key']}".lower()] = [t["Value"]]
    return ctx


# Service control policies of the emulator's account: every *.json in $SSMGO_EMU_SCP_DIR, on top of
# AWS's default FullAWSAccess. (All tests share one account, so a test scopes its SCP with a
# condition, e.g. on a principal tag of its own, as SCPs are written in real organizations.)
_FULL_AWS_ACCESS = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}


def _scp_decision(account, action, resource, ctx):
    """The organization's verdict, or None when no SCP is modelled."""
    folder = os.environ.get("SSMGO_EMU_SCP_DIR")
    if not folder or not os.path.isdir(folder):
        return None
    docs = [_FULL_AWS_ACCESS]
    for name in sorted(os.listdir(folder)):
        if name.endswith(".json"):
            with open(os.path.join(folder, name)) as f:
                docs.append(json.load(f))
    dec, _, _ = evaluate([(f"scp-{n}", "SCP", d) for n, d in enumerate(docs)], action, resource, ctx)
    return dec


def _target_check(self, ec2, ctx, target, known=True):
    """A managed node's ARN and the request context for it: the caller's, plus the node's tags as
    aws:ResourceTag/K and ssm:resourceTag/K."""
    part = get_partition(self.region)
    ictx = dict(ctx)
    for k, v in (_tags(ec2, target) if known else {}).items():
        ictx[f"aws:resourcetag/{k}".lower()] = [v]
        ictx[f"ssm:resourcetag/{k}".lower()] = [v]
    kind = "ssm" if target.startswith("mi-") else "ec2"
    rtype = "managed-instance" if target.startswith("mi-") else "instance"
    return f"arn:{part}:{kind}:{self.region}:{self.current_account}:{rtype}/{target}", ictx


def _document_check(self, ctx, name):
    """A document's ARN (AWS-owned ones have no account) and the caller's context."""
    owner = "" if name.startswith("AWS-") else self.current_account
    return f"arn:{get_partition(self.region)}:ssm:{self.region}:{owner}:document/{name}", ctx


def _authorize_resources(self, caller, action, checks):
    """Authorizes `action` for `caller` on every (resource ARN, context) of `checks`, as AWS does:
    the organization's SCPs, the identity's policies and boundary, an assumed role's session
    policy; the first refusal fails the call with AWS's wording."""
    part = get_partition(self.region)
    iam = iam_backends[self.current_account][part]
    pols = principal_policies(iam, caller.arn)
    boundary = principal_boundary(iam, caller.arn)
    key = re.search(r"Credential=([^/]+)/", self.headers.get("Authorization", "")).group(1)
    for arn, c in checks:
        # Wording of AWS's denials (IAM User Guide, "Troubleshoot access denied error messages"):
        # "... with an explicit deny in a service control policy" / "... because no service
        # control policy allows the <action> action". An explicit deny anywhere decides
        # (policy evaluation logic), so the organization's layer is checked first.
        scp = _scp_decision(self.current_account, action, arn, c)
        if scp is not None and scp != "allowed":
            why = ("with an explicit deny in a service control policy" if scp == "explicitDeny"
                   else f"because no service control policy allows the {action} action")
            raise SsmError("AccessDeniedException", f"User: {caller.arn} is not authorized to perform: "
                           f"{action} on resource: {arn} {why}")
        decision, _, _, detail = _final_decision(pols, boundary, action, arn, c)
        session = _session_policy(key) if decision == "allowed" else None
        if session is not None:
            sdec, _, _ = evaluate([("session", "Session", session)], action, arn, c)
            if sdec != "allowed":
                # Wording of the IAM User Guide's "Troubleshoot access denied error messages".
                why = ("with an explicit deny in a session policy" if sdec == "explicitDeny"
                       else f"because no session policy allows the {action} action")
                raise SsmError("AccessDeniedException", f"User: {caller.arn} is not authorized to perform: "
                               f"{action} on resource: {arn} {why}")
        if decision != "allowed":
            if decision == "explicitDeny":
                why = "with an explicit deny in an identity-based policy"
            elif detail is not None and not detail["AllowedByPermissionsBoundary"]:
                why = f"because no permissions boundary allows the {action} action"
            else:
                why = f"because no identity-based policy allows the {action} action"
            raise SsmError("AccessDeniedException", f"User: {caller.arn} is not authorized to perform: "
                           f"{action} on resource: {arn} {why}")


def start_session(self):
    t0 = time.time()
    try:
        return _start_session(self)
    finally:
        caller = _caller(self)
        _log({"op": "StartSession", "caller": caller.arn if caller else None,
              "target": self._get_param("Target"), "start": t0, "end": time.time()})


def _start_session(self):
    target = self._get_param("Target")
    doc = self._get_param("DocumentName")
    ec2, insts = _managed(self)
    inst = next((i for i in insts if i.id == target), None)
    hybrid = _hybrid_nodes().get(target)
    caller = _caller(self)
    # A container of an ECS task (ecs.py): authorized on its task's ARN, with the task's tags.
    task = ecs.session_target(self.current_account, self.region, target) if target.startswith("ecs:") else None
    if caller is not None:
        ctx = _request_context(self, iam_backends[self.current_account][get_partition(self.region)])
        if target.startswith("ecs:"):
            tctx = dict(ctx)
            for k, v in (ecs.task_tags(task) if task else {}).items():
                tctx[f"aws:resourcetag/{k}".lower()] = [v]
            task_arn = task[0].task_arn if task else (
                f"arn:{get_partition(self.region)}:ecs:{self.region}:{self.current_account}:task/"
                + "/".join(target[4:].split("_")[-3:-1]))
            checks = [(task_arn, tctx)]
        else:
            checks = [_target_check(self, ec2, ctx, target, known=bool(inst or hybrid))]
        # Like AWS, the session document is authorized too, also when it is the default one.
        checks.append(_document_check(self, ctx, doc or "SSM-SessionManagerRunShell"))
        _authorize_resources(self, caller, "ssm:StartSession", checks)
    # Sessions also need the agent's control channel to ssmmessages: its role's
    # ssmmessages:CreateControlChannel / OpenControlChannel ("Step 2: Verify or add instance
    # permissions for Session Manager", Systems Manager User Guide) and a path to the endpoint
    # ("Step 6: … VPC endpoint for Session Manager"). Without it AWS answers TargetNotConnected
    # although the node is Online: the answer users report for a role lacking ssmmessages
    # (session-manager-plugin issue #72; guardian/security-hq pull request #164).
    if target.startswith("ecs:"):
        if task is None or not ecs.session_ready(task):
            raise SsmError("TargetNotConnected", f"{target} is not connected.")
    elif hybrid is None and (inst is None or _ping(inst) != "Online" or not agent.control_channel(inst)):
        raise SsmError("TargetNotConnected", f"{target} is not connected.")
    who = (caller.arn.split("/")[-1] if caller else "moto")
    sid = f"{who}-{secrets.token_hex(9)[:17]}"
    base = os.environ.get("SSMGO_EMU_STREAM_BASE", f"wss://ssmmessages.{self.region}.amazonaws.com/v1/data-channel/")
    # SessionStatus is one of Connected, Connecting, Disconnected, Terminated, Terminating, Failed
    # (SSM API reference). When AWS moves a session from Connecting to Connected is not documented;
    # this emulator's assumption: once the plugin has opened the data channel (datachannel.py).
    SESSIONS[sid] = {"SessionId": sid, "Target": target, "Status": "Connecting", "StartDate": _now(),
                     # As AWS does, the owner is the caller's ARN as sts:GetCallerIdentity names it
                     # (moto's own answer for keys it did not issue).
                     "Owner": caller.arn if caller else f"arn:aws:sts::{self.current_account}:user/moto",
                     "DocumentName": doc or "SSM-SessionManagerRunShell",
                     "Parameters": self._get_param("Parameters") or {},
                     "AgentVersion": _tags(ec2, target).get("ssmgo:agent-version") if inst else None}
    token = base64.b64encode(secrets.token_bytes(96)).decode()
    SESSIONS[sid]["Token"] = token  # checked by the data channel (datachannel.py), never listed
    # Sessions are an account's and a region's, as every SSM resource (Systems Manager is a
    # regional service: one endpoint per Region, ssm.REGION.amazonaws.com, AWS General Reference),
    # so DescribeSessions and TerminateSession in another account or Region don't see them.
    SESSIONS[sid]["Scope"] = (self.current_account, self.region)
    # Test hooks, by instance tag: a data channel that can't be reached, or that rejects the token.
    hook = _tags(ec2, target).get("ssmgo:datachannel") if inst else None
    if hook == "unreachable":
        base = "ws://127.0.0.1:9/v1/data-channel/"
    elif hook == "badtoken":
        token = base64.b64encode(secrets.token_bytes(96)).decode()
    return ActionResult({"SessionId": sid, "TokenValue": token,
                         "StreamUrl": f"{base}{sid}?role=publish_subscribe&cell-number=AAEAAQ"})


def terminate_session(self):
    sid = self._get_param("SessionId")
    if sid in SESSIONS and SESSIONS[sid].get("Scope") == (self.current_account, self.region):
        SESSIONS[sid]["Status"] = "Terminated"
    return ActionResult({"SessionId": sid})


def _session_filter(key, value):
    """One DescribeSessions filter, as AWS documents them (SessionFilter): InvokedAfter and
    InvokedBefore take an ISO 8601 time, the others match exactly."""
    if key in ("InvokedAfter", "InvokedBefore"):
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        if key == "InvokedAfter":
            return lambda s: s["StartDate"] >= when
        return lambda s: s["StartDate"] <= when
    field = {"Target": "Target", "Owner": "Owner", "Status": "Status", "SessionId": "SessionId"}.get(key)
    if field is None:
        raise SsmError("InvalidFilterKey", f"The filter key {key} is not valid.")
    return lambda s: s[field] == value


def describe_sessions(self):
    state = self._get_param("State")
    want = ("Connected", "Connecting", "Disconnected") if state == "Active" else ("Terminated",)
    tests = [_session_filter(f["key"], f["value"]) for f in (self._get_param("Filters") or [])]
    private = ("Token", "Parameters", "AgentVersion", "Scope", "Command")
    scope = (self.current_account, self.region)
    return ActionResult({"Sessions": [{k: v for k, v in s.items() if k not in private} for s in SESSIONS.values()
                                      if s.get("Scope") == scope and s["Status"] in want
                                      and all(t(s) for t in tests)]})


def get_connection_status(self):
    target = self._get_param("Target")
    _, insts = _managed(self)
    ok = any(i.id == target and i.state == "running" for i in insts)
    return ActionResult({"Target": target, "Status": "connected" if ok else "notconnected"})


# ---------------------------------------------------------------- IAM simulator
def _simulate(self, policies, boundary=None):
    actions = self._get_param("ActionNames") or []
    resources = self._get_param("ResourceArns") or ["*"]
    ctx = {}
    for ce in self._get_param("ContextEntries") or []:
        ctx[ce["ContextKeyName"].lower()] = [str(v) for v in ce.get("ContextKeyValues", [])]
    results = []
    for a in actions:
        per_resource = []
        for r in resources:
            dec, matched, missing, detail = _final_decision(policies, boundary, a, r, ctx)
            scp = _scp_decision(self.current_account, a, r, ctx)
            org = None
            if scp is not None:
                org = {"AllowedByOrganizations": scp == "allowed"}
                if scp == "explicitDeny":
                    dec, matched = "explicitDeny", []
                elif scp != "allowed" and dec == "allowed":
                    dec, matched = "implicitDeny", []
            entry = {"EvalResourceName": r, "EvalResourceDecision": dec, "MatchedStatements": matched,
                     "MissingContextValues": sorted(missing)}
            if org is not None:
                entry["OrganizationsDecisionDetail"] = org
            if detail is not None:
                entry["PermissionsBoundaryDecisionDetail"] = detail
            per_resource.append(entry)
        # Like AWS: one result per action; per-resource details in ResourceSpecificResults.
        order = {"explicitDeny": 0, "implicitDeny": 1, "allowed": 2}
        worst = min(per_resource, key=lambda e: order[e["EvalResourceDecision"]])
        result = {"EvalActionName": a, "EvalResourceName": resources[0] if len(resources) == 1 else "*",
                  "EvalDecision": worst["EvalResourceDecision"], "MatchedStatements": worst["MatchedStatements"],
                  "MissingContextValues": sorted({k for e in per_resource for k in e["MissingContextValues"]}),
                  "ResourceSpecificResults": per_resource}
        for detail_key in ("PermissionsBoundaryDecisionDetail", "OrganizationsDecisionDetail"):
            if detail_key in worst:
                result[detail_key] = worst[detail_key]
        results.append(result)
    return ActionResult({"EvaluationResults": results, "IsTruncated": False})


def simulate_principal_policy(self):
    t0 = time.time()
    src = self._get_param("PolicySourceArn")
    _authorize_iam(self, "iam:SimulatePrincipalPolicy")
    try:
        pols = principal_policies(self.backend, src)
        boundary = principal_boundary(self.backend, src)
    except Exception:
        raise IamError("NoSuchEntity", f"The principal {src} could not be found.") from None
    pols += [(f"PolicyInputList.{n + 1}", "User", d) for n, d in enumerate(self._get_param("PolicyInputList") or [])]
    try:
        return _simulate(self, pols, boundary)
    finally:
        caller = _caller(self)
        _log({"op": "SimulatePrincipalPolicy", "caller": caller.arn if caller else None, "source": src,
              "resources": self._get_param("ResourceArns") or ["*"], "actions": self._get_param("ActionNames"),
              "start": t0, "end": time.time()})


def _authorize_iam(self, action):
    """Authorizes an IAM call made with a key moto issued against the caller's own policies."""
    caller = _caller(self)
    if caller is None:
        return
    iam = iam_backends[self.current_account][get_partition(self.region)]
    pols = principal_policies(iam, caller.arn)
    # IAM is global: its calls carry us-east-1 as aws:RequestedRegion (global condition keys page).
    ctx = _request_context(self, iam)
    ctx["aws:requestedregion"] = ["us-east-1"]
    decision, _, _, _ = _final_decision(pols, principal_boundary(iam, caller.arn), action, "*", ctx)
    if decision != "allowed":
        raise IamError("AccessDenied", f"User: {caller.arn} is not authorized to perform: {action} on resource: "
                       f"{caller.arn} because no identity-based policy allows the {action} action")


_IAM_READS = ["get_user", "get_role", "list_user_policies", "get_user_policy", "list_attached_user_policies",
              "list_groups_for_user", "list_group_policies", "get_group_policy", "list_attached_group_policies",
              "list_role_policies", "get_role_policy", "list_attached_role_policies", "get_policy",
              "get_policy_version", "list_user_tags", "list_role_tags"]


def _guarded(name):
    original = getattr(IamResponse, name)
    action = "iam:" + "".join(part.capitalize() for part in name.split("_"))

    def call(self):
        _authorize_iam(self, action)
        return original(self)
    return call


for _name in _IAM_READS:
    setattr(IamResponse, _name, _guarded(_name))


_orig_list_tags = SimpleSystemManagerResponse.list_tags_for_resource


def list_tags_for_resource(self):
    if self._get_param("ResourceType") == "ManagedInstance":
        node = _hybrid_nodes().get(self._get_param("ResourceId"))
        if node is None:
            raise SsmError("InvalidResourceId", "The resource ID is not valid.")
        return ActionResult({"TagList": [{"Key": k, "Value": v} for k, v in node.get("Tags", {}).items()]})
    return _orig_list_tags(self)


def simulate_custom_policy(self):
    pols = [(f"PolicyInputList.{n + 1}", "User", d) for n, d in enumerate(self._get_param("PolicyInputList") or [])]
    return _simulate(self, pols)


# ---------------------------------------------------------------- Run Command (commands.py)
def send_command(self):
    ids = self._get_param("InstanceIds") or []
    targets = self._get_param("Targets") or []
    for t in targets:
        if t.get("Key") == "InstanceIds":
            ids += t.get("Values", [])
        else:
            raise SsmError("InvalidParameters", "This emulator resolves Targets of key InstanceIds only.")
    if not ids:
        raise SsmError("InvalidParameters", "Specify InstanceIds or Targets.")
    if len(ids) > commands.MAX_INSTANCE_IDS:
        raise SsmError("ValidationException", f"1 validation error detected: Value at 'instanceIds' failed to "
                       f"satisfy constraint: Member must have length less than or equal to {commands.MAX_INSTANCE_IDS}")
    doc = self._get_param("DocumentName")
    if doc not in ("AWS-RunShellScript", "AWS-RunPowerShellScript"):
        raise SsmError("InvalidDocument", f"Document {doc} does not exist in your account.")
    ec2, insts = _managed(self)
    by_id = {i.id: i for i in insts}
    caller = _caller(self)
    if caller is not None:
        ctx = _request_context(self, iam_backends[self.current_account][get_partition(self.region)])
        # SendCommand is authorized on the document and on every instance (like StartSession).
        checks = [_document_check(self, ctx, doc)]
        checks += [_target_check(self, ec2, ctx, i, known=i in by_id) for i in ids]
        _authorize_resources(self, caller, "ssm:SendCommand", checks)
    # Every target must be a managed node whose agent is Online and gets Run Command's messages
    # (ec2messages), else AWS refuses the whole call (SendCommand, Errors: InvalidInstanceId —
    # "the instance isn't running", "SSM Agent isn't installed", "not in a valid state").
    bad = [i for i in ids if i not in by_id or _ping(by_id[i]) != "Online" or not agent.run_command(by_id[i])]
    if bad:
        raise SsmError("InvalidInstanceId", f"Instances {bad} not in a valid state for account {self.current_account}")
    params = {k: self._get_param(k) for k in ("DocumentName", "Comment", "Parameters", "Targets", "MaxConcurrency",
                                               "MaxErrors", "OutputS3BucketName", "OutputS3KeyPrefix",
                                               "TimeoutSeconds")}
    chosen = [(i, _tags(ec2, i).get("Name")) for i in dict.fromkeys(ids)]
    command = commands.send(self.current_account, self.region, params, chosen)
    _log({"op": "SendCommand", "caller": caller.arn if caller else None, "targets": [c[0] for c in chosen],
          "command": command["CommandId"], "max_concurrency": command["MaxConcurrency"],
          "max_errors": command["MaxErrors"], "start": time.time(), "end": time.time()})
    return ActionResult({"Command": command})


def _command(self):
    cmd = commands.get(self._get_param("CommandId"))
    if cmd is None:
        raise SsmError("InvalidCommandId", "The command ID is not valid.")
    return cmd


def list_commands(self):
    cid = self._get_param("CommandId")
    found = [commands.get(cid)] if cid else list(commands.COMMANDS.values())
    return ActionResult({"Commands": [commands.public(c) for c in found if c is not None]})


def list_command_invocations(self):
    cmd = _command(self)
    details = bool(self._get_param("Details"))
    invs = [i.summary(details) for i in cmd["_invocations"].values()
            if not self._get_param("InstanceId") or i.instance_id == self._get_param("InstanceId")]
    return ActionResult({"CommandInvocations": invs})


def get_command_invocation(self):
    cmd = _command(self)
    inv = cmd["_invocations"].get(self._get_param("InstanceId"))
    if inv is None:
        raise SsmError("InvocationDoesNotExist", "The command invocation does not exist.")
    return ActionResult(commands.invocation_result(inv))


def cancel_command(self):
    cmd = _command(self)
    commands.cancel(cmd["CommandId"], self._get_param("InstanceIds") or [])
    _log({"op": "CancelCommand", "command": cmd["CommandId"], "targets": self._get_param("InstanceIds") or [],
          "start": time.time(), "end": time.time()})
    return ActionResult({})


def _s3_put(account, bucket, key, data):
    from moto.s3.models import s3_backends
    s3_backends[account]["aws"].put_object(bucket, key, data)


commands.install(log=lambda e: _log(e), s3_put=_s3_put)


# ---------------------------------------------------------------- EC2 Instance Connect
def send_ssh_public_key(self):
    """ec2-instance-connect:SendSSHPublicKey, authorized on the instance with ec2:osuser and its
    tags (Service Authorization Reference, "Actions, resources, and condition keys for Amazon EC2
    Instance Connect"). The key "remains for 60 seconds" (SendSSHPublicKey API reference); a
    stopped instance is EC2InstanceStateInvalidException (its Errors); here, when the instance is tagged ssmgo:eic-keys-dir=DIR,
    the key is written to DIR/<user>.keys (a test's sshd reads AuthorizedKeysFile DIR/%u.keys) and
    taken away after 60 s."""
    body = json.loads(self.body or "{}")
    iid, user, key = body.get("InstanceId"), body.get("InstanceOSUser"), body.get("SSHPublicKey")
    if not (iid and user and key):
        raise SsmError("InvalidArgsException", "InstanceId, InstanceOSUser and SSHPublicKey are required.")
    ec2 = ec2_backends[self.current_account][self.region]
    try:
        inst = ec2.get_instance(iid)
    except Exception:
        raise SsmError("EC2InstanceNotFoundException", f"Instance {iid} not found.") from None
    caller = _caller(self)
    if caller is not None:
        ctx = _request_context(self, iam_backends[self.current_account][get_partition(self.region)])
        arn, ictx = _target_check(self, ec2, ctx, iid)
        for k, v in _tags(ec2, iid).items():
            ictx[f"ec2:resourcetag/{k}".lower()] = [v]
        ictx["ec2:osuser"] = [user]
        _authorize_resources(self, caller, "ec2-instance-connect:SendSSHPublicKey", [(arn, ictx)])
    if inst.state != "running":
        raise SsmError("EC2InstanceStateInvalidException", f"Instance {iid} is not in a valid state.")
    folder = _tags(ec2, iid).get("ssmgo:eic-keys-dir")
    if folder:
        path = os.path.join(folder, f"{user}.keys")
        with open(path, "w") as f:
            f.write(key.strip() + "\n")

        def expire():
            time.sleep(60)
            try:
                os.remove(path)
            except FileNotFoundError:
                pass
        threading.Thread(target=expire, daemon=True).start()
    _log({"op": "SendSSHPublicKey", "caller": caller.arn if caller else None, "target": iid,
          "user": user, "start": time.time(), "end": time.time()})
    return json.dumps({"RequestId": secrets.token_hex(16), "Success": True})


from moto.ec2instanceconnect.responses import Ec2InstanceConnectResponse  # noqa: E402
Ec2InstanceConnectResponse.send_ssh_public_key = send_ssh_public_key


# ---------------------------------------------------------------- the agent's side (agent.py)
def _role_allows(iam, role_arn, action, resource, ctx):
    pols = principal_policies(iam, role_arn)
    dec, _, _, _ = _final_decision(pols, principal_boundary(iam, role_arn), action, resource, ctx)
    scp = _scp_decision(iam.account_id, action, resource, ctx)
    return dec == "allowed" and scp in (None, "allowed")


agent.install(iam_backend=lambda account: iam_backends[account]["aws"], allows=_role_allows)
agent.patch_moto()


def _stream_base():
    return os.environ.get("SSMGO_EMU_STREAM_BASE", "wss://ssmmessages.us-east-1.amazonaws.com/v1/data-channel/")


def _new_session(self, sid, target, caller, command):
    """An SSM session started for another service (ECS Exec): listed and ended like any other;
    its data channel runs `command`."""
    token = base64.b64encode(secrets.token_bytes(96)).decode()
    SESSIONS[sid] = {"SessionId": sid, "Target": target, "Status": "Connecting", "StartDate": _now(),
                     "Owner": caller.arn if caller else f"arn:aws:sts::{self.current_account}:user/moto",
                     "DocumentName": "", "Parameters": {}, "AgentVersion": None, "Command": command,
                     "Token": token, "Scope": (self.current_account, self.region)}
    return token


ecs.install(caller=_caller, request_context=_request_context, authorize=_authorize_resources,
            role_allows=_role_allows, iam=lambda account: iam_backends[account]["aws"],
            new_session=_new_session, stream_base=_stream_base, reaches=agent.reaches)


def _setting_arn(self, setting_id):
    return f"arn:aws:ssm:{self.region}:{self.current_account}:servicesetting{setting_id}"


def _setting_id(self):
    sid = self._get_param("SettingId") or ""
    # The id may be given as the setting's ARN too.
    return "/" + sid.split(":servicesetting/", 1)[1] if ":servicesetting/" in sid else sid


def get_service_setting(self):
    """Only the setting the agent model reads. What AWS answers for it before anyone set it is
    not documented (GetServiceSetting: "AWS services teams define the default value"); this
    emulator answers "$None" with Status Default, and ssmgo reads "$None" and an empty value
    alike as "off"."""
    sid = _setting_id(self)
    if sid != agent.DHMC_SETTING:
        raise SsmError("ServiceSettingNotFound", f"The service setting {sid} was not found.")
    value = agent.SETTINGS.get((self.current_account, self.region, sid))
    return ActionResult({"ServiceSetting": {"SettingId": sid, "SettingValue": value or "$None",
                                            "ARN": _setting_arn(self, sid),
                                            "Status": "Customized" if value else "Default"}})


def update_service_setting(self):
    sid = _setting_id(self)
    if sid != agent.DHMC_SETTING:
        raise SsmError("ServiceSettingNotFound", f"The service setting {sid} was not found.")
    agent.SETTINGS[(self.current_account, self.region, sid)] = self._get_param("SettingValue")
    return ActionResult({})


def reset_service_setting(self):
    sid = _setting_id(self)
    agent.SETTINGS.pop((self.current_account, self.region, sid), None)
    return get_service_setting(self)


for fn in (describe_instance_information, get_inventory, start_session, terminate_session,
           describe_sessions, get_connection_status, list_tags_for_resource,
           get_service_setting, update_service_setting, reset_service_setting,
           send_command, list_commands, list_command_invocations, get_command_invocation, cancel_command):
    setattr(SimpleSystemManagerResponse, fn.__name__, fn)
IamResponse.simulate_principal_policy = simulate_principal_policy
IamResponse.simulate_custom_policy = simulate_custom_policy

if __name__ == "__main__":
    from moto.server import main
    ws_port = os.environ.get("SSMGO_EMU_WS_PORT")
    if ws_port:
        import datachannel

        def _closed(session):
            session["Status"] = "Terminated"
        datachannel.start("127.0.0.1", int(ws_port), SESSIONS, _closed)
    main(sys.argv[1:])
