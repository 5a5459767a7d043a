#!/usr/bin/env python3
"""Runs aws-gate (https://github.com/xen0l/aws-gate) against the canned endpoint on loopback.

aws-gate pins boto3 ~=1.26, whose botocore predates AWS_ENDPOINT_URL, so its clients would go to
AWS itself. This wrapper, run with the python of aws-gate's virtualenv, gives every botocore
client AWS_ENDPOINT_URL's endpoint (which must be http://127.0.0.1:PORT: nothing else is
contacted), then runs aws-gate's own command line with the arguments given:

    /root/.cache/aws-gate-venv/bin/python bench/aws_gate_loopback.py list -f json -r us-east-1
"""
import os
import sys
from urllib.parse import urlsplit

import botocore.session

endpoint = os.environ.get("AWS_ENDPOINT_URL", "")
if urlsplit(endpoint).hostname != "127.0.0.1":
    sys.exit(f"aws_gate_loopback: AWS_ENDPOINT_URL must be a loopback URL, not {endpoint!r}")

create_client = botocore.session.Session.create_client


def loopback_client(self, service_name, *args, **kwargs):
    kwargs["endpoint_url"] = endpoint
    return create_client(self, service_name, *args, **kwargs)


botocore.session.Session.create_client = loopback_client

from aws_gate.cli import main  # noqa: E402  (after the patch, so every client is patched)

sys.argv = ["aws-gate"] + sys.argv[1:]
sys.exit(main())
