#!/usr/bin/env python3
"""Fleet-listing benchmark for ssmgo: a canned AWS endpoint on loopback (bench/canned/server.py),
`ssmgo list --json` at several fleet sizes, with and without a simulated network round trip.

    python3 bench/run.py [--sizes 1000,10000,100000] [--delays 0,50] [--runs 3] [--ssmgo PATH]
    python3 bench/run.py --org 100 [--sizes 30000] [--regions us-east-1,eu-west-1,ap-southeast-2] ...
        (a whole AWS Organization: `ssmgo list --org` over 100 accounts x 3 regions, 30,000
        instances in all, behind Organizations and STS)

Prints, per size and delay, the median wall time, CPU time (user+sys), peak RSS and the number of
requests ssmgo made; `ssmgo --version` start-up time; when `aws` (awscli) is on PATH, the same
for `aws ec2 describe-instances`; and when aws-gate is installed (`--aws-gate PYTHON`, default
/root/.cache/aws-gate-venv/bin/python: the python of a virtualenv with `pip install aws-gate`),
the same for `aws-gate list` (through bench/aws_gate_loopback.py, which points it at the canned
server), with the ratios. Stdlib only; only 127.0.0.1 is contacted.
Build ssmgo first: cargo build --release (the default PATH is target/release/ssmgo, or
$CARGO_TARGET_DIR/release/ssmgo).
"""
import argparse
import json
import os
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def answers_health(url):
    urllib.request.urlopen(url + "/__health", timeout=1).read()


def start_server(n, delay_ms, org=None, is_up=answers_health):
    """The canned server and its URL, once `is_up(url)` stops raising OSError."""
    port = free_port()
    extra = ["--accounts", str(org[0]), "--regions", org[1]] if org else []
    proc = subprocess.Popen([sys.executable, os.path.join(HERE, "canned", "server.py"), str(n), "--port", str(port),
                             "--delay-ms", str(delay_ms)] + extra, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            is_up(url)
            return proc, url
        except OSError:
            if proc.poll() is not None:
                sys.exit("the canned server died while starting")
            time.sleep(0.1)
    proc.kill()
    sys.exit("the canned server did not start")


def stats(url):
    return json.loads(urllib.request.urlopen(url + "/__stats", timeout=5).read())


def reset(url):
    urllib.request.urlopen(urllib.request.Request(url + "/__reset", data=b"", method="POST"), timeout=5).read()


def env_for(url):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(AWS_ENDPOINT_URL=url, AWS_REGION="us-east-1", AWS_DEFAULT_REGION="us-east-1", AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench",
               AWS_EC2_METADATA_DISABLED="true", AWS_CONFIG_FILE="/dev/null", AWS_SHARED_CREDENTIALS_FILE="/dev/null",
               NO_PROXY="127.0.0.1", HTTPS_PROXY="http://127.0.0.1:9", HTTP_PROXY="http://127.0.0.1:9")
    return env


def measure(cmd, env):
    """Runs cmd once: (wall seconds, cpu seconds, stdout bytes)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    out = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if out.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({out.returncode}): {out.stderr.decode()[-500:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, len(out.stdout)


def measure_rss(cmd, env):
    """Peak RSS in MB. ru_maxrss of RUSAGE_CHILDREN is the largest child so far, so each command
    runs under a fresh helper process, where earlier, larger runs can't mask it."""
    code = ("import resource,subprocess,sys;"
            "subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL,stderr=subprocess.DEVNULL,check=True);"
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", code] + cmd, env=env, stdout=subprocess.PIPE, check=True)
    return int(out.stdout) / 1024


def aws_gate_env(url):
    """aws-gate insists on a profile that exists: a config file with [default] only."""
    env = env_for(url)
    config = os.path.join(tempfile.gettempdir(), f"ssmgo-bench-aws-gate-{os.getpid()}.config")
    with open(config, "w") as f:
        f.write("[default]\nregion = us-east-1\n")
    env["AWS_CONFIG_FILE"] = config
    return env


def bench(label, cmd, url, runs, env_of=env_for):
    walls, cpus, reqs = [], [], []
    for _ in range(runs):
        reset(url)
        wall, cpu, size = measure(cmd, env_of(url))
        walls.append(wall)
        cpus.append(cpu)
        reqs.append(stats(url)["total"])
    rss = measure_rss(cmd, env_of(url))
    return {"label": label, "wall": statistics.median(walls), "cpu": statistics.median(cpus), "rss_mb": rss,
            "requests": reqs[-1], "bytes": size}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--delays", default="0,50")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--aws-max-size", type=int, default=10000,
                    help="largest fleet to run the AWS CLI on (it needs ~2 s per 1,000 instances)")
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(HERE, "..", "target"))
    ap.add_argument("--ssmgo", default=os.path.join(target, "release", "ssmgo"))
    ap.add_argument("--org", type=int, default=0, metavar="ACCOUNTS",
                    help="list an organization of this many accounts (--sizes is then the instances in all)")
    ap.add_argument("--regions", default="us-east-1,eu-west-1,ap-southeast-2", help="with --org: its regions")
    ap.add_argument("--aws-gate", default="/root/.cache/aws-gate-venv/bin/python", metavar="PYTHON",
                    help="the python of a virtualenv with aws-gate installed (skipped when it has none)")
    ap.add_argument("--aws-gate-max-size", type=int, default=10000,
                    help="largest fleet to run aws-gate on (it needs ~1 s per 1,000 instances)")
    a = ap.parse_args()
    if not os.access(a.ssmgo, os.X_OK):
        sys.exit(f"no ssmgo at {a.ssmgo}: run cargo build --release first, or pass --ssmgo")
    aws = shutil.which("aws")
    gate = a.aws_gate if os.access(a.aws_gate, os.X_OK) and subprocess.run(
        [a.aws_gate, "-c", "import aws_gate"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0 else None
    print(f"machine: {os.cpu_count()} cores; ssmgo: {a.ssmgo}; awscli: {aws or 'not installed'}; "
          f"aws-gate: {gate or 'not installed'}; load average: {os.getloadavg()[0]:.2f}")

    versions = []
    for _ in range(20):
        t0 = time.perf_counter()
        subprocess.run([a.ssmgo, "--version"], stdout=subprocess.DEVNULL, check=True)
        versions.append(time.perf_counter() - t0)
    print(f"ssmgo --version: median {statistics.median(versions) * 1000:.1f} ms over 20 runs")

    print(f"{'instances':>9} {'delay':>6}  {'tool':<44} {'wall s':>7} {'cpu s':>7} {'peak MB':>8} {'requests':>8}")
    for n in [int(x) for x in a.sizes.split(",")]:
        for delay in [int(x) for x in a.delays.split(",")]:
            proc, url = start_server(n, delay, (a.org, a.regions) if a.org else None)
            try:
                if a.org:
                    label = f"ssmgo list --org ({a.org} accts x {len(a.regions.split(','))} regions)"
                    cmd = [a.ssmgo, "list", "--org", "--region", a.regions, "--json"]
                else:
                    label, cmd = "ssmgo list --json", [a.ssmgo, "list", "--json"]
                rows = [bench(label, cmd, url, a.runs)]
                if aws and n <= a.aws_max_size and not a.org:
                    rows.append(bench("aws ec2 describe-instances", [aws, "ec2", "describe-instances", "--output", "json"],
                                      url, max(1, a.runs - 2)))
                if gate and n <= a.aws_gate_max_size and not a.org:
                    rows.append(bench("aws-gate list -f json",
                                      [gate, os.path.join(HERE, "aws_gate_loopback.py"), "list", "-f", "json", "-r", "us-east-1"],
                                      url, max(1, a.runs - 2), aws_gate_env))
                for r in rows:
                    print(f"{n:>9} {delay:>4}ms  {r['label']:<44} {r['wall']:>7.2f} {r['cpu']:>7.2f} {r['rss_mb']:>8.1f} {r['requests']:>8}")
                for other in rows[1:]:
                    print(f"{'':>18}ssmgo is {other['wall'] / rows[0]['wall']:.1f}x faster than {other['label']} (wall time)")
            finally:
                proc.send_signal(signal.SIGTERM)
                proc.wait()


if __name__ == "__main__":
    main()
