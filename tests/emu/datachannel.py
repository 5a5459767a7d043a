"""The agent's side of Session Manager's data channel, for AWS's real session-manager-plugin.

StartSession's StreamUrl points here (ws://127.0.0.1:PORT/v1/data-channel/SESSION). The plugin
opens a websocket, sends OpenDataChannel (JSON, with the session's TokenValue), then both sides
speak binary agent messages, as the plugin's source defines them (src/message/clientmessage.go,
messageparser.go, handshakemessage.go; src/datachannel/streaming.go):

  HeaderLength u32 (116) | MessageType 32 bytes, space padded | SchemaVersion u32 |
  CreatedDate u64 (ms) | SequenceNumber i64 | Flags u64 | MessageId 16 bytes (the UUID's low 8
  bytes, then its high 8) | PayloadDigest 32 bytes (SHA-256) | PayloadType u32 |
  PayloadLength u32 | Payload            (all big-endian)

The agent sends a handshake request naming the session type, the plugin answers, the agent
completes it; stream data goes both ways with per-direction sequence numbers, each message
acknowledged; `channel_closed` ends the session. For shell sessions a real shell runs in a
pseudo-terminal on this machine (the "instance"); its output, the keys typed and the terminal's
size travel as the plugin expects. Port sessions connect to the requested host and port (on this
machine): AWS-StartPortForwardingSession[ToRemoteHost] as "LocalPortForwarding" (portsession.go:
LocalPortForwardingType), which the plugin multiplexes with smux (protocol v1, vendored
xtaci/smux frame.go) when the agent is newer than 3.0.196.0 (config.go:
TCPMultiplexingSupportedAfterThisAgentVersion) and otherwise sends one connection at a time, a
DisconnectToPort flag between them (basicportforwarding.go), the agent dialling the port as the
session starts and ending the session when nothing answers there (the agent's port_basic.go);
AWS-StartSSHSession as a plain stream
(standardstreamforwarding.go). The handshake's Properties carry the document's parameters, which
the plugin reads as PortParameters (portNumber, localPortNumber, type).
The agent version is 3.3.1142.0, or the instance's `ssmgo:agent-version` tag.
"""
import fcntl
import hashlib
import json
import os
import pty
import select
import shlex
import signal
import socket
import struct
import subprocess
import termios
import threading
import time
import uuid

from websockets.sync.server import serve

HEADER_LENGTH = 116
FLAG = 10
DISCONNECT_TO_PORT = 1
PORT_DOCUMENTS = ("AWS-StartPortForwardingSession", "AWS-StartPortForwardingSessionToRemoteHost")
SSH_DOCUMENT = "AWS-StartSSHSession"
# smux v1 (github.com/xtaci/smux, as vendored by the plugin): ver u8, cmd u8, length u16 LE, sid u32 LE
SMUX_SYN, SMUX_FIN, SMUX_PSH, SMUX_NOP = 0, 1, 2, 3
# PayloadType values (clientmessage.go)
OUTPUT, ERROR, SIZE, PARAMETER, HANDSHAKE_REQUEST, HANDSHAKE_RESPONSE, HANDSHAKE_COMPLETE = 1, 2, 3, 4, 5, 6, 7
AGENT_VERSION = "3.3.1142.0"


def encode(message_type: str, seq: int, payload_type: int, payload: bytes, flags: int = 0,
           message_id: uuid.UUID | None = None) -> bytes:
    mid = (message_id or uuid.uuid4()).bytes
    header = struct.pack(">I", HEADER_LENGTH)
    header += message_type.encode().ljust(32, b" ")
    header += struct.pack(">IQqQ", 1, int(time.time() * 1000), seq, flags)
    header += mid[8:16] + mid[0:8]
    header += hashlib.sha256(payload).digest()
    header += struct.pack(">I", payload_type)
    return header + struct.pack(">I", len(payload)) + payload


def decode(raw: bytes) -> dict:
    header_length = struct.unpack_from(">I", raw, 0)[0]
    message_type = raw[4:36].strip(b"\x00").strip().decode()
    schema, created, seq, flags = struct.unpack_from(">IQqQ", raw, 36)
    mid = raw[64:80]
    digest = raw[80:112]
    payload_type, payload_length = struct.unpack_from(">II", raw, 112)
    payload = raw[header_length + 4:]
    if payload_length and hashlib.sha256(payload).digest() != digest:
        raise ValueError("payload digest does not match")
    return {"type": message_type, "seq": seq, "flags": flags, "id": uuid.UUID(bytes=mid[8:16] + mid[0:8]),
            "payload_type": payload_type, "payload": payload}


def relay(conn, send):
    """Hands everything `conn` receives to `send`, until it closes. Reads stay under smux's
    16-bit frame length."""
    while True:
        try:
            data = conn.recv(16384)
        except OSError:
            data = b""
        if not data:
            return
        send(data)


class Channel:
    """One plugin connection, agent side."""

    def __init__(self, ws, session: dict, on_closed):
        self.ws = ws
        self.session = session
        self.on_closed = on_closed
        self.seq = 0
        self.lock = threading.Lock()
        self.expected = 0
        self.pending: dict = {}
        self.shell = None
        self.master = None

    def send_stream(self, payload_type: int, payload: bytes):
        with self.lock:
            self.ws.send(encode("output_stream_data", self.seq, payload_type, payload))
            self.seq += 1

    def acknowledge(self, msg: dict):
        content = json.dumps({"AcknowledgedMessageType": msg["type"], "AcknowledgedMessageId": str(msg["id"]),
                              "AcknowledgedMessageSequenceNumber": msg["seq"], "IsSequentialMessage": True})
        with self.lock:
            self.ws.send(encode("acknowledge", 0, 0, content.encode(), flags=3))

    def close(self, output: str = ""):
        payload = json.dumps({"MessageId": str(uuid.uuid4()), "CreatedDate": time.strftime("%Y-%m-%dT%H:%M:%S"),
                              "DestinationId": self.session["Target"], "SessionId": self.session["SessionId"],
                              "MessageType": "channel_closed", "SchemaVersion": 1, "Output": output})
        try:
            with self.lock:
                self.ws.send(encode("channel_closed", 0, 0, payload.encode()))
        except Exception:
            pass
        self.on_closed(self.session)

    # ------------------------------------------------------------------ the session
    def run(self):
        document = self.session.get("DocumentName") or ""
        params = {k: (v[0] if isinstance(v, list) and v else v) for k, v in (self.session.get("Parameters") or {}).items()}
        if document in PORT_DOCUMENTS:
            self.mode, session_type = "port", "Port"
            properties = dict(params, type="LocalPortForwarding")
        elif document == SSH_DOCUMENT:
            self.mode, session_type, properties = "stream", "Port", dict(params)
        else:
            self.mode, session_type, properties = "shell", "Standard_Stream", {}
        self.target = (params.get("host") or "127.0.0.1", int(params.get("portNumber") or 22))
        self.agent_version = self.session.get("AgentVersion") or AGENT_VERSION
        self.conn = None          # basic mode and plain streams: the one TCP connection
        self.streams = {}         # smux: stream id -> socket
        self.smux_buffer = b""
        self.send_stream(HANDSHAKE_REQUEST, json.dumps({
            "AgentVersion": self.agent_version,
            "RequestedClientActions": [{"ActionType": "SessionType",
                                        "ActionParameters": {"SessionType": session_type, "Properties": properties}}],
        }).encode())
        for raw in self.ws:
            if isinstance(raw, str):
                continue
            msg = decode(raw)
            if msg["type"] == "acknowledge":
                continue
            if msg["type"] != "input_stream_data":
                continue
            self.acknowledge(msg)
            # In order, as the agent processes them (the plugin resends what is not acknowledged).
            self.pending[msg["seq"]] = msg
            while self.expected in self.pending:
                self.handle(self.pending.pop(self.expected))
                self.expected += 1

    def handle(self, msg: dict):
        kind, payload = msg["payload_type"], msg["payload"]
        if kind == HANDSHAKE_RESPONSE:
            self.send_stream(HANDSHAKE_COMPLETE, json.dumps({"HandshakeTimeToComplete": 1000000,
                                                              "CustomerMessage": ""}).encode())
            if self.mode == "shell":
                self.start_shell()
            elif self.mode == "stream":
                try:
                    self.open_conn()
                except OSError as e:
                    # As the agent does: the session ends with the reason.
                    self.close(f"Unable to connect to {self.target[0]}:{self.target[1]}: {e}")
                    self.ws.close()
            elif self.mode == "port" and not self.multiplexed():
                # Basic port forwarding dials the port as the session starts, and a port it
                # can't reach ends the session at once (amazon-ssm-agent
                # agent/session/plugins/port/port_basic.go, InitializeSession: "Unable to connect
                # to specified port"); multiplexed forwarding dials per connection instead.
                try:
                    self.open_conn()
                except OSError as e:
                    self.close(f"Unable to connect to specified port: {e}")
                    self.ws.close()
        elif kind == OUTPUT and self.mode == "shell" and self.master is not None:
            os.write(self.master, payload)
        elif kind == OUTPUT and self.mode == "stream":
            self.conn.sendall(payload)
        elif kind == OUTPUT and self.mode == "port" and self.multiplexed():
            self.smux_input(payload)
        elif kind == OUTPUT and self.mode == "port":
            if self.conn is None:
                self.open_conn()
            self.conn.sendall(payload)
        elif kind == FLAG and struct.unpack(">I", payload[:4])[0] == DISCONNECT_TO_PORT:
            if self.conn is not None:
                self.conn.close()
                self.conn = None
        elif kind == SIZE and self.master is not None:
            size = json.loads(payload)
            fcntl.ioctl(self.master, termios.TIOCSWINSZ, struct.pack("HHHH", size["rows"], size["cols"], 0, 0))
            if self.shell is not None:
                os.killpg(self.shell.pid, signal.SIGWINCH)

    # ------------------------------------------------------------------ ports
    def multiplexed(self) -> bool:
        as_tuple = lambda v: tuple(int(x) for x in v.split("."))
        return as_tuple(self.agent_version) > (3, 0, 196, 0)

    def open_conn(self):
        """The one connection of a plain stream (SSH) or of basic port forwarding."""
        conn = socket.create_connection(self.target, timeout=10)
        conn.settimeout(None)
        self.conn = conn
        threading.Thread(target=self.pump_conn, args=(conn,), daemon=True).start()

    def pump_conn(self, conn):
        relay(conn, lambda data: self.send_stream(OUTPUT, data))
        if self.mode == "stream":
            # The server hung up (ssh's session ended): so does the session.
            self.close()
            try:
                self.ws.close()
            except Exception:
                pass

    def smux_send(self, cmd: int, sid: int, data: bytes = b""):
        self.send_stream(OUTPUT, struct.pack("<BBHI", 1, cmd, len(data), sid) + data)

    def smux_input(self, data: bytes):
        self.smux_buffer += data
        while len(self.smux_buffer) >= 8:
            ver, cmd, length, sid = struct.unpack_from("<BBHI", self.smux_buffer)
            if len(self.smux_buffer) < 8 + length:
                return
            body = self.smux_buffer[8:8 + length]
            self.smux_buffer = self.smux_buffer[8 + length:]
            if cmd == SMUX_SYN:
                try:
                    conn = socket.create_connection(self.target, timeout=10)
                    conn.settimeout(None)
                except OSError:
                    self.smux_send(SMUX_FIN, sid)
                    continue
                self.streams[sid] = conn
                threading.Thread(target=self.pump_stream, args=(sid, conn), daemon=True).start()
            elif cmd == SMUX_PSH and sid in self.streams:
                self.streams[sid].sendall(body)
            elif cmd == SMUX_FIN and sid in self.streams:
                try:
                    self.streams.pop(sid).shutdown(socket.SHUT_WR)
                except OSError:
                    pass

    def pump_stream(self, sid: int, conn):
        relay(conn, lambda data: self.smux_send(SMUX_PSH, sid, data))
        self.smux_send(SMUX_FIN, sid)
        conn.close()

    def start_shell(self):
        master, slave = pty.openpty()
        env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "TERM": "xterm", "HOME": os.environ.get("HOME", "/"),
               "PS1": "sh-remote$ "}
        # ECS Exec runs the command ExecuteCommand was given, in the container; a shell session
        # runs the instance's shell.
        command = self.session.get("Command")
        argv = shlex.split(command) if command else ["/bin/bash", "--noprofile", "--norc", "-i"]
        self.shell = subprocess.Popen(argv, stdin=slave, stdout=slave,
                                      stderr=slave, env=env, start_new_session=True, close_fds=True,
                                      preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0))
        os.close(slave)
        self.master = master
        threading.Thread(target=self.pump, daemon=True).start()

    def pump(self):
        """The shell's output to the plugin; its exit ends the session."""
        while True:
            ready, _, _ = select.select([self.master], [], [], 0.5)
            if ready:
                try:
                    data = os.read(self.master, 4096)
                except OSError:
                    data = b""
                if not data:
                    break
                self.send_stream(OUTPUT, data)
            elif self.shell.poll() is not None:
                break
        self.shell.wait()
        self.close(f"Exiting session with sessionId: {self.session['SessionId']}.")
        try:
            self.ws.close()
        except Exception:
            pass


def start(host: str, port: int, sessions: dict, on_closed):
    """Serves data channels on host:port in a background thread."""

    def handler(ws):
        session_id = ws.request.path.split("?")[0].rstrip("/").rsplit("/", 1)[-1]
        session = sessions.get(session_id)
        try:
            opened = json.loads(ws.recv(timeout=10))
        except Exception:
            return
        if session is None or session.get("Status") not in ("Connecting", "Connected") \
                or opened.get("TokenValue") != session.get("Token"):
            ws.close(code=1008, reason="the token does not belong to this session")
            return
        session["Status"] = "Connected"
        channel = Channel(ws, session, on_closed)

        def watch():
            # TerminateSession from anyone (an administrator, Session Manager's idle timeout)
            # "closes the data connection between the Session Manager client and SSM Agent"
            # (TerminateSession API reference): the plugin is told with channel_closed and exits
            # (session-manager-plugin src/datachannel/streaming.go, HandleChannelClosedMessage).
            while session.get("Status") != "Terminated":
                time.sleep(0.2)
            channel.close("Session terminated")
            try:
                ws.close()
            except Exception:
                pass
        threading.Thread(target=watch, daemon=True).start()
        channel.run()

    server = serve(handler, host, port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
