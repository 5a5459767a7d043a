"""The emulator's AWS Organizations side: what AWS does around member accounts that moto (5.2.x)
leaves out, so that listing every account of an organization is tested against AWS's behaviour.

- organizations CreateAccount: the role AWS creates in every new member account (RoleName, by
  default OrganizationAccountAccessRole) has administrator permissions ("Accessing member accounts
  in your organization", AWS Organizations User Guide); moto creates it with its trust policy only.
- sts AssumeRole fails as AWS fails when the role doesn't exist or its trust policy doesn't name
  the caller: HTTP 403 AccessDenied, "User: ARN is not authorized to perform: sts:AssumeRole on
  resource: ROLE-ARN" (IAM User Guide, "Troubleshoot IAM roles": "I can't assume a role"; the
  role's trust policy must name the caller as Principal, "Granting a user permissions to switch
  roles"). moto lets anyone assume any ARN, existing or not. Not modelled (the emulator is more
  permissive there, never stricter): Condition blocks in trust policies (sts:ExternalId,
  aws:PrincipalOrgID…) are not evaluated, and a caller with moto-issued keys is not checked for
  sts:AssumeRole in its own policies (dummy keys are an administrator anyway).
- Regions an account has not enabled: AWS refuses requests to them. EC2 answers "AuthFailure: AWS
  was not able to validate the provided access credentials" (AWS Knowledge Center article
  "iam-validate-access-credentials": DescribeInstances with an assumed role's session in a Region
  AWS doesn't enable by default). For JSON services such as SSM the answer is "UnrecognizedClientException: The
  security token included in the request is invalid": that wording is what SDK users report for
  Regions not enabled (no AWS page states it; this emulator's choice, the same code AWS uses for
  any key it doesn't accept there). STS, IAM and Organizations are answered as from their global
  endpoints (STS's regional endpoint in such a Region would refuse too: not modelled). Test hook:
  the organization account's tag `ssmgo:disabled-regions` (space-separated region names).
"""
import json
import re
import uuid
from xml.sax.saxutils import escape

from moto.core.exceptions import AuthFailureError, JsonRESTError, _RESTError as RESTError
from moto.core.responses import BaseResponse
from moto.iam.models import iam_backends
from moto.organizations.models import OrganizationsBackend, organizations_backends
from moto.sts.models import sts_backends
from moto.sts.responses import TokenResponse
from moto.utilities.utils import get_partition

DEFAULT_ROLE = "OrganizationAccountAccessRole"
DISABLED_REGIONS_TAG = "ssmgo:disabled-regions"
# Services with one global endpoint: an account's region opt-in doesn't concern them.
GLOBAL_SERVICES = {"iam", "sts", "organizations"}
JSON_SERVICES = {"ssm", "kms", "logs", "dynamodb", "secretsmanager", "organizations"}

_orig_create_account = OrganizationsBackend.create_account


def _create_account(self, **kwargs):
    status = _orig_create_account(self, **kwargs)
    account = status["CreateAccountStatus"]["AccountId"]
    role = kwargs.get("RoleName") or DEFAULT_ROLE
    # moto creates the role and its trust policy, without the permissions AWS gives it.
    admin = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
    iam_backends[account][self.partition].put_role_policy(role, "AdministratorAccess", json.dumps(admin))
    return status


OrganizationsBackend.create_account = _create_account


def _principal_matches(principal, caller_account, caller_arns):
    if principal == "*":
        return True
    if not isinstance(principal, dict):
        return False
    values = principal.get("AWS", [])
    values = [values] if isinstance(values, str) else values
    for v in values:
        if v == "*" or v == caller_account or v in caller_arns:
            return True
        if v.endswith(":root") and v.split(":")[4] == caller_account:
            return True
    return False


def _action_matches(actions, action):
    actions = [actions] if isinstance(actions, str) else actions
    return any(re.fullmatch(a.replace("*", ".*").replace("?", "."), action, re.I) for a in actions)


def _trusts(trust_doc, caller_account, caller_arns):
    """Whether a role's trust policy lets the caller assume it: an Allow naming the caller (its
    account, or its ARN) for sts:AssumeRole and no Deny that does."""
    doc = json.loads(trust_doc) if isinstance(trust_doc, str) else trust_doc
    statements = doc.get("Statement", [])
    statements = [statements] if isinstance(statements, dict) else statements
    allowed = False
    for s in statements:
        if not _action_matches(s.get("Action", []), "sts:AssumeRole"):
            continue
        if not _principal_matches(s.get("Principal"), caller_account, caller_arns):
            continue
        if s.get("Effect") == "Deny":
            return False
        allowed = True
    return allowed


_orig_assume_role = TokenResponse.assume_role


def _assume_role(self):
    role_arn = self._get_param("RoleArn") or ""
    m = re.fullmatch(r"arn:[^:]+:iam::(\d{12}):role/(?:.*/)?([^/]+)", role_arn)
    auth = re.search(r"Credential=([^/]+)/", self.headers.get("Authorization", ""))
    part = get_partition(self.region)
    _, caller_arn, caller_account = sts_backends[self.current_account][part].get_caller_identity(
        auth.group(1) if auth else "", self.region)
    caller_arns = {caller_arn}
    if ":assumed-role/" in caller_arn:
        name = caller_arn.split(":assumed-role/")[1].split("/")[0]
        caller_arns.add(f"arn:{part}:iam::{caller_account}:role/{name}")
    role = None
    if m:
        iam = iam_backends[m.group(1)][part]
        role = next((r for r in iam.roles.values() if r.name == m.group(2)), None)
    if role is None or not _trusts(role.assume_role_policy_document, caller_account, caller_arns):
        raise _AccessDenied(f"User: {caller_arn} is not authorized to perform: sts:AssumeRole on resource: "
                            f"{role_arn}")
    return _orig_assume_role(self)


class _AccessDenied(RESTError):
    """STS's own error document (an ErrorResponse with one Error), as the SDKs read it."""
    code = 403

    def __init__(self, message):
        super().__init__("AccessDenied", message)
        self.description = ('<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error>'
                            f"<Type>Sender</Type><Code>AccessDenied</Code><Message>{escape(message)}</Message>"
                            f"</Error><RequestId>{uuid.uuid4()}</RequestId></ErrorResponse>")


TokenResponse.assume_role = _assume_role


def disabled_regions(account):
    """The regions an organization's member account has not enabled (the test hook's tag)."""
    for by_partition in list(organizations_backends.values()):
        for backend in by_partition.values():
            for acct in getattr(backend, "accounts", []):
                if acct.id == account:
                    return set((acct.tags.get(DISABLED_REGIONS_TAG) or "").split())
    return set()


_orig_authenticate = BaseResponse._authenticate_and_authorize_normal_action


def _authenticate(self, resource="*"):
    service = getattr(self, "service_name", "") or ""
    if service not in GLOBAL_SERVICES and self.region in disabled_regions(self.current_account):
        if service in JSON_SERVICES:
            raise JsonRESTError("UnrecognizedClientException",
                                "The security token included in the request is invalid.")
        raise AuthFailureError()
    return _orig_authenticate(self, resource)


BaseResponse._authenticate_and_authorize_normal_action = _authenticate
