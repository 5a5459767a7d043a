#!/usr/bin/env python3
"""Seed a running ssmgo emulator with a demo fleet: N tagged instances, one per reservation.

Usage: tests/emu/seed.py ENDPOINT N      (run with the emulator's virtualenv python, which has boto3:
                                          ~/.cache/ssmgo/emu-venv-*/bin/python tests/emu/seed.py …)

Instances are named <svc>-<env>-<nnnn> with tags Env (dev/staging/prod), Team and ssmgo-seed=1;
every 7th is stopped, every 50th has no Env tag, every 97th has no Name, every 13th runs an
offline agent and every 31st is not managed by SSM. For demos and measurements; the tests seed
their own instances.
"""
import sys
import time

import boto3
import botocore.config

SVCS = ["web", "api", "db", "cache", "worker", "batch", "bastion", "search"]
TEAMS = ["platform", "payments", "data", "identity"]


def main():
    endpoint, n = sys.argv[1], int(sys.argv[2])
    if not endpoint.startswith(("http://127.0.0.1:", "http://localhost:", "http://[::1]:")):
        sys.exit("seed.py only talks to an emulator on loopback")
    ec2 = boto3.client("ec2", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="testing",
                       aws_secret_access_key="testing", config=botocore.config.Config(retries={"max_attempts": 1}))
    t0 = time.time()
    ids = []
    for i in range(n):
        env = "dev" if i % 20 < 12 else ("staging" if i % 20 < 17 else "prod")
        tags = [{"Key": "Team", "Value": TEAMS[i % len(TEAMS)]}, {"Key": "ssmgo-seed", "Value": "1"}]
        if i % 50 != 49:
            tags.append({"Key": "Env", "Value": env})
        if i % 97 != 96:
            tags.append({"Key": "Name", "Value": f"{SVCS[i % len(SVCS)]}-{env}-{i:04d}"})
        if i % 13 == 12:
            tags.append({"Key": "ssmgo:agent", "Value": "offline"})
        if i % 31 == 30:
            tags.append({"Key": "ssmgo:unmanaged", "Value": "1"})
        r = ec2.run_instances(ImageId="ami-12c6146b", MinCount=1, MaxCount=1, InstanceType="t3.micro",
                              TagSpecifications=[{"ResourceType": "instance", "Tags": tags}])
        ids.append(r["Instances"][0]["InstanceId"])
    stopped = [iid for i, iid in enumerate(ids) if i % 7 == 6]
    for j in range(0, len(stopped), 500):
        ec2.stop_instances(InstanceIds=stopped[j:j + 500])
    print(f"seeded {n} instances ({len(stopped)} stopped) in {time.time() - t0:.1f}s", file=sys.stderr)


if __name__ == "__main__":
    main()
