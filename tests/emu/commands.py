"""Run Command for the emulator: SendCommand, ListCommands, ListCommandInvocations,
GetCommandInvocation and CancelCommand, with each instance's copy of the command really run on
this machine (bash -c, in a scratch directory, INSTANCE_ID set) as that instance's agent would,
so exit codes, output, timeouts and cancellation are real.

AWS's semantics, from the SSM API reference and "Understanding command statuses" (Systems Manager
User Guide):
  * InstanceIds: at most 50; every one must be a managed node whose agent is Online, else the call
    fails with InvalidInstanceId.
  * MaxConcurrency ("N" or "N%", default 50): at most that many invocations in progress at once.
  * MaxErrors ("N" or "N%", default 0): once more than that many invocations are Failed or
    Execution Timed Out, no further invocation is sent: those not started end Cancelled with
    StatusDetails "Terminated"; those running finish.
  * executionTimeout (the document's parameter, seconds, default 3600): the script is killed and
    the invocation ends "TimedOut" / "Execution Timed Out" (ResponseCode -1: AWS documents none).
  * GetCommandInvocation returns the first 24,000 characters of stdout and 8,000 of stderr;
    ListCommandInvocations (Details) the first 2,500 of the plugin's output. With
    OutputS3BucketName the whole of both goes to S3 (moto's S3), at
    <prefix>/<command-id>/<instance-id>/awsrunShellScript/0.awsrunshellscript/stdout|stderr.
  * CancelCommand: running invocations are stopped (Cancelled), pending ones never start.
Each invocation's start and end are appended to SSMGO_EMU_LOG as {"op": "Invocation", ...} so that
tests can check the concurrency limit, and {"op": "InvocationStarted", ...} once its script runs.
"""
import math
import os
import signal
import subprocess
import tempfile
import threading
import time
import uuid
from datetime import datetime, timezone

STDOUT_LIMIT = 24000
STDERR_LIMIT = 8000
PLUGIN_OUTPUT_LIMIT = 2500
MAX_INSTANCE_IDS = 50

COMMANDS: dict = {}
_LOCK = threading.Lock()
_hooks: dict = {}


def install(*, log, s3_put):
    """log(entry) appends to the call log; s3_put(account, bucket, key, bytes) writes to moto's S3."""
    _hooks["log"] = log
    _hooks["s3_put"] = s3_put


def _now():
    return datetime.now(timezone.utc)


def _limit(spec, total, default):
    """A MaxConcurrency / MaxErrors value as a count: "N%" of the targets, rounded down ("If you run
    … on 50 resources and set max-errors to 10%, then the system stops … when the sixth error is
    received": Systems Manager API reference, MaxErrors), at least 1 for a nonzero percentage."""
    spec = str(spec or default).strip()
    if spec.endswith("%"):
        return max(1, math.floor(total * float(spec[:-1]) / 100)) if float(spec[:-1]) > 0 else 0
    return int(spec)


class Invocation:
    def __init__(self, command, instance_id, name):
        self.command = command
        self.instance_id = instance_id
        self.name = name
        self.status = "Pending"
        self.details = "Pending"
        self.code = -1
        self.stdout = ""
        self.stderr = ""
        self.start = None
        self.end = None
        self.proc = None
        self.cancelled = False

    def finished(self):
        return self.status in ("Success", "Failed", "TimedOut", "Cancelled")

    def summary(self, details):
        out = {"CommandId": self.command["CommandId"], "InstanceId": self.instance_id,
               "InstanceName": self.name or "", "DocumentName": self.command["DocumentName"],
               "RequestedDateTime": self.command["RequestedDateTime"], "Status": self.status,
               "StatusDetails": self.details, "StandardOutputUrl": self._url("stdout"),
               "StandardErrorUrl": self._url("stderr"), "CommandPlugins": []}
        if details:
            plugin = {"Name": "aws:runShellScript", "Status": self.status, "StatusDetails": self.details,
                      "ResponseCode": self.code, "Output": (self.stdout + self.stderr)[:PLUGIN_OUTPUT_LIMIT]}
            if self.start:
                plugin["ResponseStartDateTime"] = self.start
            if self.end:
                plugin["ResponseFinishDateTime"] = self.end
            out["CommandPlugins"] = [plugin]
        return out

    def _url(self, stream):
        bucket = self.command.get("OutputS3BucketName")
        if not bucket:
            return ""
        return f"https://s3.amazonaws.com/{bucket}/{_s3_key(self.command, self.instance_id, stream)}"


def _s3_key(command, instance_id, stream):
    prefix = command.get("OutputS3KeyPrefix") or ""
    parts = [p for p in (prefix.strip("/"), command["CommandId"], instance_id,
                         "awsrunShellScript", "0.awsrunshellscript", stream) if p]
    return "/".join(parts)


def _run_one(inv, script, timeout):
    cmd = inv.command
    inv.status, inv.details = "InProgress", "In Progress"
    inv.start = _now()
    t0 = time.time()
    with tempfile.TemporaryDirectory(prefix="ssmgo-emu-run-") as scratch:
        env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": scratch, "INSTANCE_ID": inv.instance_id,
               "AWS_SSM_INSTANCE_ID": inv.instance_id, "LANG": "C.UTF-8"}
        if inv.cancelled:
            proc = None
        else:
            proc = subprocess.Popen(["bash", "-c", script], cwd=scratch, env=env, stdin=subprocess.DEVNULL,
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
            inv.proc = proc
            # A CancelCommand while Popen ran saw no process to stop: stop it here. (cancel()
            # sets cancelled before it looks at proc, this sets proc before it looks at
            # cancelled, so one of the two always sees the other.)
            if inv.cancelled:
                _kill(proc)
            elif "log" in _hooks:
                _hooks["log"]({"op": "InvocationStarted", "command": cmd["CommandId"],
                               "target": inv.instance_id, "start": t0, "end": time.time()})
        timed_out = False
        if proc is not None:
            try:
                out, err = proc.communicate(timeout=timeout)
            except subprocess.TimeoutExpired:
                timed_out = True
                os.killpg(proc.pid, signal.SIGKILL)
                out, err = proc.communicate()
            inv.stdout = out.decode("utf-8", "replace")
            inv.stderr = err.decode("utf-8", "replace")
    inv.end = _now()
    if inv.cancelled:
        inv.status, inv.details, inv.code = "Cancelled", "Cancelled", -1
    elif timed_out:
        inv.status, inv.details, inv.code = "TimedOut", "Execution Timed Out", -1
    else:
        inv.code = proc.returncode if proc.returncode >= 0 else 128 - proc.returncode
        inv.status = inv.details = "Success" if inv.code == 0 else "Failed"
    if cmd.get("OutputS3BucketName") and "s3_put" in _hooks:
        for stream, text in (("stdout", inv.stdout), ("stderr", inv.stderr)):
            if text:
                try:
                    _hooks["s3_put"](cmd["_account"], cmd["OutputS3BucketName"],
                                     _s3_key(cmd, inv.instance_id, stream), text.encode())
                except Exception:
                    pass  # as with AWS: a bucket the agent can't write to loses the copy, not the run
    if "log" in _hooks:
        _hooks["log"]({"op": "Invocation", "command": cmd["CommandId"], "target": inv.instance_id,
                       "status": inv.status, "start": t0, "end": time.time()})


def _schedule(cmd):
    """Runs the invocations with at most MaxConcurrency at once, stopping at MaxErrors."""
    invs = list(cmd["_invocations"].values())
    total = len(invs)
    concurrency = max(1, _limit(cmd["MaxConcurrency"], total, "50"))
    max_errors = _limit(cmd["MaxErrors"], total, "0")
    script = "\n".join(cmd["Parameters"].get("commands", []))
    timeout = float((cmd["Parameters"].get("executionTimeout") or ["3600"])[0])
    running = []
    queue = list(invs)
    while queue or running:
        running = [t for t in running if t.is_alive()]
        errors = sum(1 for i in invs if i.status in ("Failed", "TimedOut"))
        if errors > max_errors or cmd["_cancelled"]:
            for inv in queue:
                inv.status = "Cancelled"
                inv.details = "Cancelled" if cmd["_cancelled"] else "Terminated"
            queue = []
        while queue and len(running) < concurrency:
            inv = queue.pop(0)
            t = threading.Thread(target=_run_one, args=(inv, script, timeout), daemon=True)
            t.start()
            running.append(t)
        time.sleep(0.02)
    _overall(cmd)


def _overall(cmd):
    invs = list(cmd["_invocations"].values())
    max_errors = _limit(cmd["MaxErrors"], len(invs), "0")
    if cmd["_cancelled"]:
        cmd["Status"] = cmd["StatusDetails"] = "Cancelled"
    elif all(i.status == "Success" for i in invs):
        cmd["Status"] = cmd["StatusDetails"] = "Success"
    elif sum(1 for i in invs if i.status in ("Failed", "TimedOut")) > max_errors:
        cmd["Status"] = cmd["StatusDetails"] = "Failed"
    else:
        cmd["Status"], cmd["StatusDetails"] = "Failed", "Incomplete"


def send(account, region, params, targets):
    """targets: [(instance_id, name)], already checked. Returns the Command object."""
    cid = str(uuid.uuid4())
    cmd = {"CommandId": cid, "DocumentName": params["DocumentName"], "Comment": params.get("Comment") or "",
           "Parameters": params.get("Parameters") or {}, "InstanceIds": [t[0] for t in targets],
           "Targets": params.get("Targets") or [], "RequestedDateTime": _now(),
           "Status": "InProgress", "StatusDetails": "In Progress",
           "MaxConcurrency": params.get("MaxConcurrency") or "50", "MaxErrors": params.get("MaxErrors") or "0",
           "TargetCount": len(targets), "CompletedCount": 0, "ErrorCount": 0,
           "OutputS3BucketName": params.get("OutputS3BucketName") or "",
           "OutputS3KeyPrefix": params.get("OutputS3KeyPrefix") or "",
           "TimeoutSeconds": params.get("TimeoutSeconds") or 3600,
           "_account": account, "_region": region, "_cancelled": False}
    cmd["_invocations"] = {iid: Invocation(cmd, iid, name) for iid, name in targets}
    with _LOCK:
        COMMANDS[cid] = cmd
    threading.Thread(target=_schedule, args=(cmd,), daemon=True).start()
    return public(cmd)


def public(cmd):
    invs = list(cmd["_invocations"].values())
    out = {k: v for k, v in cmd.items() if not k.startswith("_")}
    out["CompletedCount"] = sum(1 for i in invs if i.finished())
    out["ErrorCount"] = sum(1 for i in invs if i.status in ("Failed", "TimedOut"))
    return out


def get(cid):
    return COMMANDS.get(cid)


def _kill(proc):
    """Stops an invocation's script and whatever it started."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def cancel(cid, instance_ids):
    cmd = COMMANDS.get(cid)
    if cmd is None:
        return False
    invs = cmd["_invocations"]
    chosen = [invs[i] for i in (instance_ids or list(invs)) if i in invs]
    if not instance_ids:
        cmd["_cancelled"] = True
    for inv in chosen:
        if inv.finished():
            continue
        inv.cancelled = True
        if inv.proc is not None and inv.proc.poll() is None:
            _kill(inv.proc)
        elif inv.status == "Pending":
            inv.status, inv.details = "Cancelled", "Cancelled"
    return True


def invocation_result(inv):
    """GetCommandInvocation's answer."""
    return {"CommandId": inv.command["CommandId"], "InstanceId": inv.instance_id,
            "DocumentName": inv.command["DocumentName"], "PluginName": "aws:runShellScript",
            "ResponseCode": inv.code, "Status": inv.status, "StatusDetails": inv.details,
            "ExecutionStartDateTime": inv.start.strftime("%Y-%m-%dT%H:%M:%S.%fZ") if inv.start else "",
            "ExecutionEndDateTime": inv.end.strftime("%Y-%m-%dT%H:%M:%S.%fZ") if inv.end else "",
            "ExecutionElapsedTime": (f"PT{(inv.end - inv.start).total_seconds():.3f}S"
                                     if inv.start and inv.end else ""),
            "StandardOutputContent": inv.stdout[:STDOUT_LIMIT],
            "StandardErrorContent": inv.stderr[:STDERR_LIMIT],
            "StandardOutputUrl": inv._url("stdout"), "StandardErrorUrl": inv._url("stderr"),
            "CloudWatchOutputConfig": {"CloudWatchOutputEnabled": False}}

