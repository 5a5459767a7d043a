#!/usr/bin/env python3
"""The picker's first frame from the cache: how long `ssmgo` (the picker) takes, from its start, to
draw the cached listing, with a cache of N instances, while the fresh listing is still on its way.

    python3 bench/first_frame.py [--size 10000] [--runs 7] [--ssmgo PATH]...

Each --ssmgo (default: the release build) gets its own HOME; its cache is filled by `ssmgo list
--json` against the canned server (bench/canned/server.py), which then answers every request 3 s
late, so that the first frame can only be the cached one. The picker runs under a pseudo-terminal;
the time is until a row marked `cached` is on the screen. Prints the median and the range per
binary; with several, they take turns, so load on this shared machine falls on each alike.
Stdlib only; only 127.0.0.1 is contacted.
"""
import argparse
import fcntl
import os
import pty
import select
import signal
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run  # noqa: E402  (the canned server's start-up and environment, shared)

DELAY_MS = 3000


def accepts_connections(url):
    """Every answer is DELAY_MS late, the health check's too: a TCP connection says it is up."""
    host, port = url.removeprefix("http://").split(":")
    socket.create_connection((host, int(port)), timeout=1).close()


def first_frame(ssmgo, env):
    """Seconds from spawning the picker until a cached row is drawn."""
    pid, fd = pty.fork()
    if pid == 0:
        # A terminal of 40 rows of 160 columns (a pty starts at 0 × 0, where nothing is drawn).
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 160, 0, 0))
        os.execve(ssmgo, [ssmgo, "connect"], env)
    t0 = time.perf_counter()
    seen = b""
    try:
        while b"cached" not in seen:
            if time.perf_counter() - t0 > 20:
                sys.exit(f"{ssmgo}: no cached row within 20 s; the screen ended with {seen[-300:]!r}")
            ready, _, _ = select.select([fd], [], [], 0.5)
            if ready:
                try:
                    seen += os.read(fd, 65536)
                except OSError:
                    sys.exit(f"{ssmgo} ended before drawing a cached row: {seen[-300:]!r}")
        return time.perf_counter() - t0
    finally:
        os.kill(pid, signal.SIGTERM)
        os.waitpid(pid, 0)
        os.close(fd)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=10000)
    ap.add_argument("--runs", type=int, default=7)
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(run.HERE, "..", "target"))
    ap.add_argument("--ssmgo", action="append", help="a binary to measure (repeat to compare)")
    a = ap.parse_args()
    binaries = a.ssmgo or [os.path.join(target, "release", "ssmgo")]
    print(f"machine: {os.cpu_count()} cores; {a.size} instances cached; load average: {os.getloadavg()[0]:.2f}")
    proc, url = run.start_server(a.size, DELAY_MS, is_up=accepts_connections)
    homes = []
    try:
        envs = []
        for binary in binaries:
            home = tempfile.TemporaryDirectory(prefix="ssmgo-first-frame-")
            homes.append(home)
            env = run.env_for(url)
            # ssmgo looks for the plugin before it opens the picker; nothing is handed to it here.
            stub = os.path.join(home.name, "bin", "session-manager-plugin")
            os.makedirs(os.path.dirname(stub))
            with open(stub, "w") as f:
                f.write("#!/bin/sh\necho 1.2.707.0\n")
            os.chmod(stub, 0o755)
            env["PATH"] = os.path.dirname(stub) + os.pathsep + env.get("PATH", "")
            env.update(HOME=home.name, XDG_CACHE_HOME=os.path.join(home.name, "cache"),
                       XDG_CONFIG_HOME=os.path.join(home.name, "config"),
                       XDG_STATE_HOME=os.path.join(home.name, "state"), TERM="xterm")
            subprocess.run([binary, "list", "--json"], env=env, stdout=subprocess.DEVNULL, check=True)
            envs.append(env)
        times = [[] for _ in binaries]
        for _ in range(a.runs):
            for i, binary in enumerate(binaries):
                times[i].append(first_frame(binary, envs[i]))
        for binary, t in zip(binaries, times):
            print(f"{binary}: first frame from cache median {statistics.median(t) * 1000:.0f} ms "
                  f"(min {min(t) * 1000:.0f}, max {max(t) * 1000:.0f}, {len(t)} runs)")
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait()
        for home in homes:
            home.cleanup()


if __name__ == "__main__":
    main()
