"""ECS Exec for ssmgo's emulator: what moto 5.2.5's ECS lacks, modelled from AWS's documentation, on
top of moto's own clusters, task definitions and tasks.

moto runs tasks (RunTask, ListTasks, DescribeTasks) but has no ExecuteCommand, ignores RunTask's
enableExecuteCommand, gives a task one container (its definition's first) without a runtimeId or
managed agents, and leaves a Fargate task's platformVersion empty. Added here:

  RunTask           keeps enableExecuteCommand; one container per container definition, each with
                    a runtimeId ("TASKID-NNNNNNNNNN", the form AWS gives Fargate containers) and,
                    when exec is enabled, the ExecuteCommandAgent managed agent; a Fargate task's
                    platformVersion "LATEST" or none is 1.4.0 ("LATEST" is 1.4.0 for Linux: "AWS
                    Fargate Linux platform versions", ECS Developer Guide).
  ExecuteCommand    authorized per resource with the caller's real policies, as the Service
                    Authorization Reference lists it for ecs:ExecuteCommand: the cluster and the
                    task, each with the condition keys ecs:cluster, ecs:container-name, ecs:task
                    and the resource's own tags as aws:ResourceTag/K and ecs:ResourceTag/K; AWS's
                    AccessDeniedException wording (moto_plus._authorize_resources). Then the
                    errors the ECS API Reference and "Troubleshooting issues with ECS Exec" give:
                    InvalidParameterException for a task without exec or whose agent isn't
                    RUNNING, "Interactive is the only mode supported currently.", the task or
                    container not found; TargetNotConnectedException "The execute command failed
                    due to an internal error. Try again later." when the agent in the container
                    can't reach Session Manager (below). Returns clusterArn, containerArn,
                    containerName, interactive, taskArn and session {sessionId, streamUrl,
                    tokenValue}: an SSM session ("ecs-execute-command-…"), listed by
                    DescribeSessions and ended by TerminateSession like any other, whose data
                    channel (datachannel.py) runs the command on this machine in a terminal.

The agent in the container ("Using Amazon ECS Exec", ECS Developer Guide):
  - runs only when the task was started with enableExecuteCommand, and on Fargate only from
    platform version 1.4.0 (before it there is no agent at all);
  - needs a writable root file system ("making the root file system read-only using the
    readonlyRootFilesystem task definition parameter ... isn't supported"). The documents don't say
    what AWS then reports; the ECS agent's source does (amazon-ecs-agent,
    agent/engine/execcmd/manager_start.go): the agent's start counts as RUNNING when its process
    is alive at the first look, and a process that dies later is restarted, so the status stays
    RUNNING while no channel ever opens, and ExecuteCommand answers TargetNotConnectedException
    "...due to an internal error" (what users report: aws-cli#6070, containers-roadmap#1359).
    STOPPED (only via the test hook here) carries a "reason", as ECS's does;
  - opens its channels with the *task role* (the task definition's taskRoleArn, or the RunTask
    override): ssmmessages:CreateControlChannel, CreateDataChannel, OpenControlChannel,
    OpenDataChannel; with the cluster's executeCommandConfiguration: kms:Decrypt on its kmsKeyId;
    logging OVERRIDE to S3 → s3:PutObject on bucket/prefix* and s3:GetEncryptionConfiguration on
    the bucket, to CloudWatch → logs:DescribeLogGroups, logs:CreateLogStream,
    logs:DescribeLogStreams, logs:PutLogEvents on the log group. Lacking one, its channel stays
    down (TargetNotConnectedException above);
  - reaches ssmmessages on 443 from an awsvpc task's network interface the way an instance's
    agent does (agent.reaches: an interface endpoint with private DNS, or a default route to an
    internet gateway with a public address or to a NAT gateway; security groups out on 443); a
    task on an EC2 container instance without awsvpc (bridge, host) from that instance.
  StartSession      (moto_plus) with the target "ecs:CLUSTER_TASKID_RUNTIMEID", the form the AWS
                    CLI builds for execute-command (awscli's ecs execute-command customization:
                    cluster name, task id, the container's runtimeId) and the one people pass to
                    `aws ssm start-session` to forward ports to a task: session_target finds the
                    container; the session opens only where ExecuteCommand's would (exec enabled,
                    its agent RUNNING, its channel up). StartSession is authorized on the document
                    and on the task's ARN with the task's tags as aws:ResourceTag/K: the Service
                    Authorization Reference lists the ECS task among StartSession's resources, and
                    the ECS Developer Guide's "Limiting access to the Start Session action" denies
                    ssm:StartSession on task/CLUSTER/*. A container that can't take a session gets
                    StartSession's own TargetNotConnected "ecs:… is not connected." (as
                    session-manager-plugin#72 shows).
Test hook: a task tagged ssmgo:exec-agent=STATUS reports that status for its agent (PENDING,
STOPPED, RUNNING) whatever the rest says.
"""
import secrets
from datetime import datetime, timezone
from types import SimpleNamespace

from moto.core.exceptions import ServiceException
from moto.core.responses import ActionResult
from moto.ec2.models import ec2_backends
from moto.ec2.models.elastic_network_interfaces import NetworkInterface
from moto.ecs.responses import EC2ContainerServiceResponse

CHANNEL_ACTIONS = ("ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel",
                   "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel")
# AWS's words, as users paste them (amazon-ecs-agent#3166), its curly apostrophe included.
NOT_ENABLED = ("The execute command failed because execute command was not enabled when the task was run "
               "or the execute command agent isn\u2019t running. Wait and try again or run a new "
               "task with execute command enabled and try again.")
INTERNAL = "The execute command failed due to an internal error. Try again later."

HOOKS = {}


class EcsError(ServiceException):
    pass


class ExecContainer:
    """A task's container as DescribeTasks returns it, with its runtime id and managed agents."""

    def __init__(self, task, definition, n):
        self._task = task
        self.name = definition.get("name")
        self.image = definition.get("image")
        self.container_arn = f"arn:aws:ecs:{task.region_name}:{task._account_id}:container/{task.cluster_name}/{task.id}/{secrets.token_hex(16)}"
        self.task_arn = task.task_arn
        self.runtime_id = f"{task.id.replace('-', '')}-{secrets.randbelow(10**10):010d}"
        self.last_status = "RUNNING"
        self.health_status = "UNKNOWN"
        self.cpu = str(definition.get("cpu", 0))
        self.network_interfaces = []
        self.readonly_root = bool(definition.get("readonlyRootFilesystem"))
        self._started = datetime.now(timezone.utc)

    @property
    def managed_agents(self):
        status = agent_status(self._task, self)
        if status is None:
            return []
        agent = {"name": "ExecuteCommandAgent", "lastStatus": status, "lastStartedAt": self._started}
        if status == "STOPPED":
            agent["reason"] = "ExecuteCommandAgent process exited with exit code: 1"
        return [agent]


def _version(v):
    try:
        return tuple(int(p) for p in v.split("."))
    except (AttributeError, ValueError):
        return (0,)


def _tags(obj):
    return {t["key"]: t["value"] for t in (getattr(obj, "tags", None) or [])}


def agent_status(task, container):
    """The ExecuteCommandAgent's status in `container`, or None where there is no agent."""
    if not getattr(task, "enable_execute_command", False):
        return None
    if task.launch_type == "FARGATE" and _version(task.platform_version) < (1, 4, 0):
        return None
    hook = _tags(task).get("ssmgo:exec-agent")
    if hook:
        return hook
    return "RUNNING"


def _task_role(task, backend):
    override = (task.overrides or {}).get("taskRoleArn")
    if override:
        return override
    definition = backend.describe_task_definition(task.task_definition_arn)
    return getattr(definition, "task_role_arn", None)


def _eni_reaches(task, backend):
    """Whether an awsvpc task's network interface has a way to ssmmessages; a task without one
    uses its container instance's network: that EC2 instance's way."""
    eni_id = next((d.get("value") for a in task.attachments for d in a.get("details", [])
                   if d.get("name") == "networkInterfaceId"), None)
    ec2 = ec2_backends[task._account_id][task.region_name]
    if eni_id is None:
        arn = getattr(task, "container_instance_arn", None)
        if not arn:
            return True
        instance = backend.container_instances.get(task.cluster_name, {}).get(arn.rsplit("/", 1)[-1])
        if instance is None or not instance.ec2_instance_id:
            return False
        return HOOKS["reaches"](ec2.get_instance(instance.ec2_instance_id), "ssmmessages")
    eni = ec2.get_network_interface(eni_id)
    # agent.reaches reads an instance; the interface stands in for one, running.
    seen_as = SimpleNamespace(vpc_id=eni.subnet.vpc_id, subnet_id=eni.subnet.id,
                              security_groups=list(eni._group_set), private_ip=eni.private_ip_address,
                              public_ip=getattr(eni, "public_ip", None), state="running", ec2_backend=ec2)
    return HOOKS["reaches"](seen_as, "ssmmessages")


def channel_up(task, container, cluster, backend):
    """Whether the agent in `container` of `task` reaches Session Manager with its task role (see
    the docstring); on a read-only root file system it never opens a channel."""
    if container.readonly_root or not _eni_reaches(task, backend):
        return False
    role = _task_role(task, backend)
    if not role:
        return False
    allows = lambda action, resource: HOOKS["role_allows"](HOOKS["iam"](task._account_id), role, action, resource, {})  # noqa: E731
    if not all(allows(a, "*") for a in CHANNEL_ACTIONS):
        return False
    conf = ((getattr(cluster, "configuration", None) or {}).get("executeCommandConfiguration") or {})
    key = conf.get("kmsKeyId")
    if key and not allows("kms:Decrypt", key):
        return False
    if conf.get("logging") == "OVERRIDE":
        log = conf.get("logConfiguration") or {}
        bucket = log.get("s3BucketName")
        if bucket:
            prefix = log.get("s3KeyPrefix") or ""
            if not (allows("s3:PutObject", f"arn:aws:s3:::{bucket}/{prefix}x")
                    and allows("s3:GetEncryptionConfiguration", f"arn:aws:s3:::{bucket}")):
                return False
        group = log.get("cloudWatchLogGroupName")
        if group:
            arn = f"arn:aws:logs:{task.region_name}:{task._account_id}:log-group:{group}:*"
            if not (allows("logs:DescribeLogGroups", "*")
                    and all(allows(a, arn) for a in ("logs:CreateLogStream", "logs:DescribeLogStreams",
                                                     "logs:PutLogEvents"))):
                return False
    return True


_orig_run_task = EC2ContainerServiceResponse.run_task


def run_task(self):
    backend = self.ecs_backend
    before = {arn for tasks in backend.tasks.values() for arn in tasks}
    result = _orig_run_task(self)
    enable = bool(self._get_param("enableExecuteCommand"))
    for tasks in backend.tasks.values():
        for arn, task in tasks.items():
            if arn in before:
                continue
            task.enable_execute_command = enable
            task.last_status = "RUNNING"
            if task.launch_type == "FARGATE" and task.platform_version in (None, "", "LATEST"):
                task.platform_version = "1.4.0"
            definition = backend.describe_task_definition(task.task_definition_arn)
            task.containers = [ExecContainer(task, d, n) for n, d in enumerate(definition.container_definitions)]
    return result


def _find_task(backend, cluster, task_str):
    for arn, task in backend.tasks.get(cluster.name, {}).items():
        if task_str in (arn, task.id):
            return task
    return None


def session_target(account, region, target):
    """The (task, cluster, container, backend) of a StartSession target
    "ecs:CLUSTER_TASKID_RUNTIMEID", or None. A cluster's name may hold underscores; a task id and a
    runtime id ("TASKID-NNNNNNNNNN") don't, so the last two parts are theirs."""
    from moto.ecs.models import ecs_backends
    parts = target[len("ecs:"):].split("_")
    if not target.startswith("ecs:") or len(parts) < 3:
        return None
    cluster_name, task_id, runtime_id = "_".join(parts[:-2]), parts[-2], parts[-1]
    backend = ecs_backends[account][region]
    cluster = backend.clusters.get(cluster_name)
    if cluster is None:
        return None
    task = _find_task(backend, cluster, task_id)
    if task is None:
        return None
    container = next((c for c in task.containers if c.runtime_id == runtime_id), None)
    if container is None:
        return None
    return task, cluster, container, backend


def session_ready(found):
    """Whether a session to the container `found` (session_target) can open: what ExecuteCommand
    requires of it (execute_command below: exec enabled, its agent RUNNING, its channel up)."""
    task, cluster, container, backend = found
    return agent_status(task, container) == "RUNNING" and channel_up(task, container, cluster, backend)


def task_tags(found):
    return _tags(found[0])


def execute_command(self):
    backend = self.ecs_backend
    cluster = backend._get_cluster(self._get_param("cluster") or "default")
    if not self._get_param("interactive"):
        raise EcsError("InvalidParameterException", "Interactive is the only mode supported currently.")
    task = _find_task(backend, cluster, self._get_param("task") or "")
    if task is None:
        # An assumption: AWS publishes no text for ExecuteCommand on a task it can't find. These
        # are the AWS CLI's words (awscli/customizations/ecs/executecommand.py, TASK_NOT_FOUND,
        # raised when DescribeTasks finds no such task), reused here as the service's; the error
        # code is the API reference's for a bad parameter. ssmgo shows the message as AWS's.
        raise EcsError("InvalidParameterException", "The task provided in the request was not found.")
    name = self._get_param("container")
    containers = task.containers
    if name is None and len(containers) == 1:
        container = containers[0]
    else:
        # Wording is this emulator's: the API reference says only that the container name must be
        # given when the task has more than one container.
        container = next((c for c in containers if c.name == name), None)
        if container is None:
            raise EcsError("InvalidParameterException",
                           "The container name must be specified when the task has more than one container."
                           if name is None else "The container provided in the request was not found.")
    caller = HOOKS["caller"](self)
    if caller is not None:
        ctx = HOOKS["request_context"](self, HOOKS["iam"](self.current_account))
        common = {"ecs:cluster": [cluster.arn], "ecs:container-name": [container.name], "ecs:task": [task.task_arn]}
        checks = []
        for arn, tags in ((cluster.arn, _tags(cluster)), (task.task_arn, _tags(task))):
            c = dict(ctx)
            c.update(common)
            for k, v in tags.items():
                c[f"aws:resourcetag/{k}".lower()] = [v]
                c[f"ecs:resourcetag/{k}".lower()] = [v]
            checks.append((arn, c))
        HOOKS["authorize"](self, caller, "ecs:ExecuteCommand", checks)
    if agent_status(task, container) != "RUNNING":
        raise EcsError("InvalidParameterException", NOT_ENABLED)
    if not channel_up(task, container, cluster, backend):
        raise EcsError("TargetNotConnectedException", INTERNAL)
    sid = f"ecs-execute-command-{secrets.token_hex(9)[:17]}"
    token = HOOKS["new_session"](self, sid, f"ecs:{cluster.name}_{task.id}_{container.runtime_id}",
                                 caller, self._get_param("command") or "/bin/sh")
    return ActionResult({"clusterArn": cluster.arn, "containerArn": container.container_arn,
                         "containerName": container.name, "interactive": True, "taskArn": task.task_arn,
                         "session": {"sessionId": sid, "tokenValue": token,
                                     "streamUrl": f"{HOOKS['stream_base']()}{sid}?role=publish_subscribe&cell-number=AAEAAQ"}})


def install(**hooks):
    """`caller`, `request_context`, `authorize`, `role_allows`, `iam` (account → IAM backend),
    `new_session` (self, id, target, caller, command → token) and `stream_base`, from moto_plus."""
    HOOKS.update(hooks)
    # moto gives an ENI a private DNS name only in a VPC with DNS hostnames, and its awsvpc task
    # then fails reading it: absent is what EC2 reports for such an ENI.
    NetworkInterface.private_dns_name = None
    EC2ContainerServiceResponse.run_task = run_task
    EC2ContainerServiceResponse.execute_command = execute_command
