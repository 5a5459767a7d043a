#!/usr/bin/env bash
# The AWS emulator for ssmgo's tests: moto's server (pinned, from PyPI) plus tests/emu/moto_plus.py,
# on 127.0.0.1 only.
#
#   tests/emu/emu.sh start    install (first time) and start it on a free port; prints its URL
#   tests/emu/emu.sh stop     stop it
#   tests/emu/emu.sh url      print the URL of the running emulator
#   tests/emu/emu.sh demo [N] start it (or wipe the running one), seed a demo fleet of N instances
#                             (default 200, tests/emu/seed.py) and print the shell exports that
#                             point the AWS SDK and ssmgo at it: eval "$(tests/emu/emu.sh demo)"
#   tests/emu/emu.sh python   install (first time) and print the path of the virtualenv's python,
#                             which has botocore (moto's): the reference XML parser of
#                             tests/integration/xml_reference.rs
#
# The virtualenv is cached in $SSMGO_CACHE (default ~/.cache/ssmgo) so later runs start in seconds.
# SSMGO_EMU_RUN (default tests/emu/run) holds the emulator's PID, port, log and call log: another
# directory is another emulator, which is how the README's own test runs beside the suite's.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${SSMGO_CACHE:-$HOME/.cache/ssmgo}
moto_version=5.2.5
# The data channel that AWS's real session-manager-plugin talks to (tests/emu/datachannel.py).
websockets_version=13.1
venv=$cache/emu-venv-$moto_version
run=${SSMGO_EMU_RUN:-$here/run}
mkdir -p "$run"

ensure_venv() {
  if [[ ! -x $venv/bin/python ]] || ! "$venv/bin/python" -c "import moto, flask, websockets" 2>/dev/null; then
    echo "emu: installing moto[server]==$moto_version and websockets==$websockets_version into $venv (first run only)" >&2
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "moto[server]==$moto_version" "websockets==$websockets_version"
  fi
}

running_pid() {
  [[ -f $run/emu.pid ]] && kill -0 "$(cat "$run/emu.pid")" 2>/dev/null && cat "$run/emu.pid"
}

case ${1:-} in
start)
  ensure_venv
  if pid=$(running_pid); then
    echo "http://127.0.0.1:$(cat "$run/emu.port")"; exit 0
  fi
  free_port() { "$venv/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
  port=$(free_port)
  ws_port=$(free_port)
  # Own session: a Ctrl-C meant for the test runner doesn't kill the emulator mid-suite.
  # Calls that tests need to see (StartSession, SimulatePrincipalPolicy) are logged to run/calls.jsonl.
  : >"$run/calls.jsonl"
  rm -rf "$run/scp" "$run/hybrid" && mkdir -p "$run/scp" "$run/hybrid"
  SSMGO_EMU_WS_PORT="$ws_port" SSMGO_EMU_STREAM_BASE="ws://127.0.0.1:$ws_port/v1/data-channel/" \
  SSMGO_EMU_LOG="$run/calls.jsonl" SSMGO_EMU_SCP_DIR="$run/scp" SSMGO_EMU_HYBRID_DIR="$run/hybrid" setsid "$venv/bin/python" "$here/moto_plus.py" -H 127.0.0.1 -p "$port" >"$run/emu.log" 2>&1 </dev/null &
  echo $! >"$run/emu.pid"; echo "$port" >"$run/emu.port"
  for _ in $(seq 150); do
    if "$venv/bin/python" - "$port" <<'PY' 2>/dev/null; then break; fi
import sys, urllib.request
urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/moto-api/", timeout=1).read()
PY
    if ! kill -0 "$(cat "$run/emu.pid")" 2>/dev/null; then
      echo "emu: the emulator died while starting:" >&2; tail -20 "$run/emu.log" >&2; exit 1
    fi
    sleep 0.1
  done
  echo "http://127.0.0.1:$port"
  ;;
stop)
  if pid=$(running_pid); then
    kill "$pid"
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$run/emu.pid" "$run/emu.port"
  ;;
url)
  running_pid >/dev/null && echo "http://127.0.0.1:$(cat "$run/emu.port")"
  ;;
demo)
  n=${2:-200}
  [[ $n =~ ^[0-9]+$ ]] || { echo "usage: $0 demo [N]" >&2; exit 2; }
  if running_pid >/dev/null; then
    # A fresh fleet each time: moto's state wiped, and with it the demo's users.
    url="http://127.0.0.1:$(cat "$run/emu.port")"
    "$venv/bin/python" -c 'import sys, urllib.request; urllib.request.urlopen(urllib.request.Request(sys.argv[1] + "/moto-api/reset", method="POST"), timeout=10).read()' "$url"
  else
    url=$("$0" start)
  fi
  "$venv/bin/python" "$here/seed.py" "$url" "$n" "$run/demo-aws" >&2
  # Only the demo's own AWS files and endpoint: a real profile or key in the caller's environment
  # must not be used against it (nor it against AWS).
  cat <<EOF
export AWS_ENDPOINT_URL=$url AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true
export AWS_SHARED_CREDENTIALS_FILE=$run/demo-aws/credentials AWS_CONFIG_FILE=$run/demo-aws/config
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_PROFILE AWS_DEFAULT_PROFILE
EOF
  ;;
python)
  ensure_venv
  echo "$venv/bin/python"
  ;;
*)
  echo "usage: $0 start|stop|url|demo [N]|python" >&2; exit 2 ;;
esac
