#!/usr/bin/env python3
"""Seed a running ssmgo emulator with a demo fleet that looks like a real one, for the README's
try-it block (`tests/emu/emu.sh demo N`) and for measurements; the tests seed their own.

Usage: seed.py ENDPOINT N [DIR]   (with the emulator's virtualenv python, which has boto3)

N instances, one per reservation, named <svc>-<env>-<nnnn>, tagged Env (dev/staging/prod), Team and
ssmgo-seed=1. Most are healthy: an instance profile whose role has AmazonSSMManagedInstanceCore's
permissions, in the default VPC (a route to an internet gateway), so the emulator's agent model
brings them Online. A few have the problems `ssmgo doctor` finds, made the way they happen on AWS
(tests/emu/agent.py decides from them, no shortcut):
  every 7th   stopped
  every 31st  no instance profile: the agent has no credentials, SSM never hears of it
  every 41st  a role that may only ping (no ssmmessages:*): Online, but sessions can't open
  every 43rd  in a subnet with no way out, after it pinged once an hour ago: ConnectionLost
  every 59th  an agent too old for Session Manager (2.3.50.0)
every 50th has no Env tag, every 97th no Name.

With DIR it also writes DIR/credentials and DIR/config, an AWS shared credentials and config file:
[default] is the user demo-admin (may do anything), [demo-alice] the user demo-alice whose policy
is the motivating case of the pre-check (policies/broken.json: the session document and the
instances in one statement under a resource-tag condition), [demo-bob] the user demo-bob whose
policy is ECS Exec's version of it (policies/ecs-broken.json: the cluster and the tasks in one
statement under the tasks' tag). It also starts one ECS task for ECS Exec: service "web" of cluster
"demo", container "app", Fargate, exec enabled, tagged Env=dev.
"""
import json
import os
import sys
import time
from pathlib import Path

import boto3
import botocore.config

SVCS = ["web", "api", "db", "cache", "worker", "batch", "bastion", "search"]
TEAMS = ["platform", "payments", "data", "identity"]
POLICIES = Path(__file__).resolve().parent / "policies"
EC2_TRUST = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
PING_ONLY = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": ["ssm:UpdateInstanceInformation", "ssm:ListAssociations",
                                   "ec2messages:GetMessages"], "Resource": "*"}]}
ADMIN = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
# What demo-alice needs besides StartSession: to list, and to let ssmgo read her own policies.
READ = {"Version": "2012-10-17", "Statement": [{"Sid": "Read", "Effect": "Allow", "Action": [
    "ec2:Describe*", "ssm:Describe*", "ssm:GetConnectionStatus", "sts:GetCallerIdentity", "iam:Get*",
    "iam:List*", "iam:SimulatePrincipalPolicy"], "Resource": "*"}]}
ECS_READ = {"Version": "2012-10-17", "Statement": [{"Sid": "ReadEcs", "Effect": "Allow", "Action": [
    "ecs:List*", "ecs:Describe*"], "Resource": "*"}]}
ECS_TRUST = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
CHANNELS = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": [
    "ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel",
    "ssmmessages:OpenDataChannel"], "Resource": "*"}]}


def profile(iam, name, policy):
    """An instance profile whose role has `policy` inline."""
    iam.create_role(RoleName=f"{name}-role", AssumeRolePolicyDocument=json.dumps(EC2_TRUST))
    iam.put_role_policy(RoleName=f"{name}-role", PolicyName="agent", PolicyDocument=json.dumps(policy))
    iam.create_instance_profile(InstanceProfileName=name)
    iam.add_role_to_instance_profile(InstanceProfileName=name, RoleName=f"{name}-role")
    return name


def isolated_subnet(ec2):
    """A subnet of a VPC with no gateway, no NAT and no VPC endpoint: no way to SSM."""
    vpc = ec2.create_vpc(CidrBlock="10.250.0.0/16")["Vpc"]["VpcId"]
    ec2.create_tags(Resources=[vpc], Tags=[{"Key": "Name", "Value": "demo-isolated"}])
    return ec2.create_subnet(VpcId=vpc, CidrBlock="10.250.1.0/24")["Subnet"]["SubnetId"]


def ecs_task(ecs, ec2, iam):
    """Service "web" of cluster "demo": one Fargate task in the default VPC, exec enabled."""
    iam.create_role(RoleName="demo-web-task", AssumeRolePolicyDocument=json.dumps(ECS_TRUST))
    iam.put_role_policy(RoleName="demo-web-task", PolicyName="exec", PolicyDocument=json.dumps(CHANNELS))
    role = iam.get_role(RoleName="demo-web-task")["Role"]["Arn"]
    ecs.create_cluster(clusterName="demo")
    ecs.register_task_definition(
        family="web", networkMode="awsvpc", requiresCompatibilities=["FARGATE"], cpu="256", memory="512",
        taskRoleArn=role, containerDefinitions=[{"name": "app", "image": "public.ecr.aws/nginx/nginx", "memory": 128}])
    subnet = ec2.describe_subnets(Filters=[{"Name": "default-for-az", "Values": ["true"]}])["Subnets"][0]
    group = ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [subnet["VpcId"]]},
                                                  {"Name": "group-name", "Values": ["default"]}])
    ecs.run_task(cluster="demo", taskDefinition="web", launchType="FARGATE", enableExecuteCommand=True,
                 group="service:web", tags=[{"key": "Env", "value": "dev"}],
                 networkConfiguration={"awsvpcConfiguration": {
                     "subnets": [subnet["SubnetId"]],
                     "securityGroups": [group["SecurityGroups"][0]["GroupId"]]}})


def user(iam, name, policies):
    iam.create_user(UserName=name)
    for policy_name, doc in policies.items():
        iam.put_user_policy(UserName=name, PolicyName=policy_name, PolicyDocument=doc)
    return iam.create_access_key(UserName=name)["AccessKey"]


def write_aws_files(directory, keys):
    directory.mkdir(parents=True, exist_ok=True)
    creds = "".join(f"[{p}]\naws_access_key_id = {k['AccessKeyId']}\naws_secret_access_key = {k['SecretAccessKey']}\n"
                    for p, k in keys.items())
    path = directory / "credentials"
    path.write_text(creds)
    os.chmod(path, 0o600)
    (directory / "config").write_text("".join(
        f"[{'default' if p == 'default' else 'profile ' + p}]\nregion = us-east-1\n" for p in keys))


def main():
    endpoint, n = sys.argv[1], int(sys.argv[2])
    if not endpoint.startswith(("http://127.0.0.1:", "http://localhost:", "http://[::1]:")):
        sys.exit("seed.py only talks to an emulator on loopback")
    kw = dict(endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="testing",
              aws_secret_access_key="testing", config=botocore.config.Config(retries={"max_attempts": 1}))
    ec2, iam, ecs = boto3.client("ec2", **kw), boto3.client("iam", **kw), boto3.client("ecs", **kw)
    t0 = time.time()
    healthy = profile(iam, "demo-agent", json.loads((POLICIES / "AmazonSSMManagedInstanceCore.json").read_text()))
    ping_only = profile(iam, "demo-agent-ping-only", PING_ONLY)
    isolated = isolated_subnet(ec2)
    hour_ago = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 3600))
    ids = []
    for i in range(n):
        env = "dev" if i % 20 < 12 else ("staging" if i % 20 < 17 else "prod")
        tags = [{"Key": "Team", "Value": TEAMS[i % len(TEAMS)]}, {"Key": "ssmgo-seed", "Value": "1"}]
        if i % 50 != 49:
            tags.append({"Key": "Env", "Value": env})
        if i % 97 != 96:
            tags.append({"Key": "Name", "Value": f"{SVCS[i % len(SVCS)]}-{env}-{i:04d}"})
        args = {"IamInstanceProfile": {"Name": healthy}}
        if i % 31 == 30:
            args = {}
        elif i % 41 == 40:
            args = {"IamInstanceProfile": {"Name": ping_only}}
        elif i % 43 == 42:
            args["SubnetId"] = isolated
            tags.append({"Key": "ssmgo:last-ping", "Value": hour_ago})
        elif i % 59 == 58:
            tags.append({"Key": "ssmgo:agent-version", "Value": "2.3.50.0"})
        r = ec2.run_instances(ImageId="ami-12c6146b", MinCount=1, MaxCount=1, InstanceType="t3.micro",
                              TagSpecifications=[{"ResourceType": "instance", "Tags": tags}], **args)
        ids.append(r["Instances"][0]["InstanceId"])
    stopped = [iid for i, iid in enumerate(ids) if i % 7 == 6]
    for j in range(0, len(stopped), 500):
        ec2.stop_instances(InstanceIds=stopped[j:j + 500])
    ecs_task(ecs, ec2, iam)
    if len(sys.argv) > 3:
        broken = (POLICIES / "broken.json").read_text()
        ecs_broken = (POLICIES / "ecs-broken.json").read_text()
        write_aws_files(Path(sys.argv[3]), {
            "default": user(iam, "demo-admin", {"admin": json.dumps(ADMIN)}),
            "demo-alice": user(iam, "demo-alice", {"ssm-access": broken, "read": json.dumps(READ)}),
            "demo-bob": user(iam, "demo-bob", {"ecs-exec": ecs_broken, "read": json.dumps(READ),
                                               "read-ecs": json.dumps(ECS_READ)}),
        })
    print(f"seeded {n} instances ({len(stopped)} stopped) in {time.time() - t0:.1f}s", file=sys.stderr)


if __name__ == "__main__":
    main()
