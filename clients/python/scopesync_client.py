"""Client for the ScopeSync instrument API (`scopesync serve`): standard library only.

    from scopesync_client import ScopeSync
    scope = ScopeSync("http://127.0.0.1:8750", token=open("token").read().strip())
    print(scope.status()["summary"])
    run = scope.start_run(name="four_colour_cycles.json")
    scope.wait(run["id"], on_event=print)
"""
from __future__ import annotations

import base64
import hashlib
import http.client
import json
import os
import socket
import struct
import time
import urllib.parse
from typing import Any, Callable, Iterator, Optional

__all__ = ["ScopeSync", "ScopeSyncError"]


class ScopeSyncError(Exception):
    """An error answer from the server: its HTTP status, its sentence and the field at fault."""

    def __init__(self, status: int, message: str, field: Optional[str] = None, body: Optional[dict] = None):
        self.status = status
        self.message = message
        self.field = field
        self.body = body or {}
        where = f" [{field}]" if field else ""
        super().__init__(f"HTTP {status}{where}: {message}")


class ScopeSync:
    """One small method per resource of /api/v1/. One keep-alive connection, reopened when it drops."""

    def __init__(self, url: str = "http://127.0.0.1:8750", token: str = "", timeout_s: float = 60.0):
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise ValueError(f"url must start with http:// or https://, not {url!r}")
        self._https = parts.scheme == "https"
        self._host = parts.hostname or "127.0.0.1"
        self._port = parts.port or (443 if self._https else 8750)
        self._token = token.strip()
        self._timeout_s = timeout_s
        self._conn: Optional[http.client.HTTPConnection] = None

    # -- transport --------------------------------------------------------------------------------

    def _connection(self) -> http.client.HTTPConnection:
        if self._conn is None:
            cls = http.client.HTTPSConnection if self._https else http.client.HTTPConnection
            self._conn = cls(self._host, self._port, timeout=self._timeout_s)
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def request_raw(self, method: str, path: str, body: Optional[bytes] = None,
                    headers: Optional[dict] = None) -> tuple[int, dict, bytes]:
        """Sends one request (path under /api/v1/) and returns status, headers and body, errors included."""
        all_headers = {"Authorization": f"Bearer {self._token}"} if self._token else {}
        if body is not None:
            all_headers["Content-Type"] = "application/json"
        all_headers.update(headers or {})
        target = "/api/v1/" + path.lstrip("/")
        for attempt in (0, 1):
            conn = self._connection()
            try:
                conn.request(method, target, body=body, headers=all_headers)
                resp = conn.getresponse()
                data = resp.read()
                hdrs = {k.lower(): v for k, v in resp.getheaders()}
                if hdrs.get("connection", "").lower() == "close":
                    self.close()
                return resp.status, hdrs, data
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError,
                    http.client.CannotSendRequest):
                # The server closed the kept-alive connection: open a new one, once.
                self.close()
                if attempt == 1:
                    raise
        raise AssertionError("unreachable")

    def _call(self, method: str, path: str, payload: Any = None) -> tuple[dict, bytes]:
        body = None if payload is None else json.dumps(payload).encode()
        status, hdrs, data = self.request_raw(method, path, body)
        if status >= 400:
            try:
                err = json.loads(data)
            except ValueError:
                err = {"error": data.decode(errors="replace")}
            raise ScopeSyncError(status, err.get("error", ""), err.get("field"), err)
        return hdrs, data

    def _json(self, method: str, path: str, payload: Any = None) -> Any:
        _, data = self._call(method, path, payload)
        return json.loads(data)

    # -- resources --------------------------------------------------------------------------------

    def openapi(self) -> dict:
        return self._json("GET", "openapi.json")

    def status(self) -> dict:
        return self._json("GET", "status")

    def snapshot(self, led: Optional[str] = None, flash_ms: int = 50, fmt: str = "tiff",
                 accept_flagged: bool = False) -> bytes:
        """One frame: an OME-TIFF (16-bit, with metadata) or a PNG (8-bit, for a look). When every take was
        flagged (its measured light differs from the plan) this raises ScopeSyncError naming why and the
        saved file, unless accept_flagged."""
        hdrs, data = self._call("POST", "snapshot", {"led": led, "flash_ms": flash_ms, "format": fmt})
        problems = hdrs.get("x-scopesync-dose-problems")
        if problems and not accept_flagged:
            why = urllib.parse.unquote(problems)
            raise ScopeSyncError(200, f"the image is flagged: {why}", None,
                                 {"file": hdrs.get("x-scopesync-file"), "problems": why})
        return data

    def start_run(self, protocol: Optional[dict] = None, name: Optional[str] = None) -> dict:
        """Starts a run of an inline protocol or of a file in the server's protocols folder: {"id", "href"}."""
        if (protocol is None) == (name is None):
            raise ValueError("give protocol or name, not both or neither")
        return self._json("POST", "runs", {"protocol": protocol} if protocol is not None else {"name": name})

    def run(self, run_id: int) -> dict:
        return self._json("GET", f"runs/{run_id}")

    def events(self, run_id: int, after: int = -1) -> dict:
        return self._json("GET", f"runs/{run_id}/events?after={after}")

    def manifest(self, run_id: int) -> dict:
        return self._json("GET", f"runs/{run_id}/manifest")

    def stop(self, run_id: int) -> dict:
        return self._json("POST", f"runs/{run_id}/stop")

    def pause(self, run_id: int) -> dict:
        return self._json("POST", f"runs/{run_id}/pause")

    def resume(self, run_id: int) -> dict:
        return self._json("POST", f"runs/{run_id}/continue")

    def led_on(self, name: str, on_ms: int) -> dict:
        return self._json("POST", f"leds/{urllib.parse.quote(name, safe='')}", {"on_ms": on_ms})

    def move_filter(self, name: str) -> dict:
        """Starts a move of the filter wheel (the focus follows); status()["filter"] names it once in place."""
        return self._json("POST", "filter", {"filter": name})

    def nudge_focus(self, steps: int) -> dict:
        return self._json("POST", "focus", {"nudge_steps": steps})

    def set_heater(self, set_point_c: Optional[float]) -> dict:
        """Holds the slide at set_point_c (°C); None turns the heater off."""
        return self._json("PUT", "heater", {"set_point_c": set_point_c})

    def calibrate(self, led: str, flash_ms: float = 150, apply: bool = False, **options: Any) -> dict:
        """Starts the flash-delay calibration (options: earliest, margin_us, sweep="START:STOP:STEP" in ms);
        follow() its answer for the frames and the result, or poll calibration()."""
        return self._json("POST", "calibration", {"led": led, "flash_ms": flash_ms, "apply": apply, **options})

    def calibration(self) -> dict:
        return self._json("GET", "calibration")

    def cancel_calibration(self) -> dict:
        return self._json("POST", "calibration/cancel")

    def timing(self, flash_ms: float, **overrides: Any) -> dict:
        """The valid flash-delay window for the open rig; overrides: shutter_us, sensor, mode, offset_us."""
        query = urllib.parse.urlencode({"flash_ms": flash_ms, **overrides})
        return self._json("GET", f"timing?{query}")

    def follow(self, run: dict, after: int = -1) -> Iterator[dict]:
        """Yields a run's (or the calibration's) events as the server pushes them (WebSocket at
        run["events_ws"], as start_run, run(), calibrate() and calibration() give it): each progress event,
        then {"type": "end", "run" or "calibration": …} when it has ended."""
        url = urllib.parse.urlsplit(run["events_ws"])
        path = url.path + (f"?after={after}" if after >= 0 else "")
        with _WebSocket(url.hostname or "127.0.0.1", url.port or 80, path, self._token,
                        self._timeout_s) as ws:
            for text in ws.messages():
                message = json.loads(text)
                if message.get("type") == "error":
                    raise ScopeSyncError(0, message.get("error", ""), None, message)
                yield message
                if message.get("type") == "end":
                    return

    # -- helpers ----------------------------------------------------------------------------------

    def wait(self, run_id: int, on_event: Optional[Callable[[dict], None]] = None,
             poll_s: float = 0.1, timeout_s: Optional[float] = None) -> dict:
        """Polls a run's events until it ends; calls on_event for each; returns the run."""
        ended = {"completed", "stopped", "failed"}
        after = -1
        start = time.monotonic()
        while True:
            answer = self.events(run_id, after)
            for event in answer["events"]:
                after = event["seq"]
                if on_event:
                    on_event(event)
            if answer["state"] in ended:
                return self.run(run_id)
            if timeout_s is not None and time.monotonic() - start > timeout_s:
                raise TimeoutError(f"run {run_id} still {answer['state']} after {timeout_s} s")
            time.sleep(poll_s)


class _WebSocket:
    """The receiving half of RFC 6455 over a plain socket: the handshake, text messages, ping and close."""

    _GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

    def __init__(self, host: str, port: int, path: str, token: str, timeout_s: float):
        self._sock = socket.create_connection((host, port), timeout=timeout_s)
        key = base64.b64encode(os.urandom(16))
        request = (f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
                   f"Connection: Upgrade\r\nSec-WebSocket-Key: {key.decode()}\r\n"
                   f"Sec-WebSocket-Version: 13\r\nAuthorization: Bearer {token}\r\n\r\n")
        self._sock.sendall(request.encode())
        self._buffer = b""
        head = self._read_until(b"\r\n\r\n").decode("latin-1")
        status = head.split("\r\n", 1)[0]
        if " 101 " not in status + " ":
            raise ScopeSyncError(0, f"the events socket answered {status!r}, not 101")
        accept = base64.b64encode(hashlib.sha1(key + self._GUID).digest()).decode()
        if f"sec-websocket-accept: {accept.lower()}" not in head.lower():
            raise ScopeSyncError(0, "the events socket's handshake does not match its key")

    def __enter__(self) -> "_WebSocket":
        return self

    def __exit__(self, *exc: Any) -> None:
        self._sock.close()

    def _read_until(self, marker: bytes) -> bytes:
        while marker not in self._buffer:
            chunk = self._sock.recv(65536)
            if not chunk:
                raise ConnectionError("the events socket closed during the handshake")
            self._buffer += chunk
        head, self._buffer = self._buffer.split(marker, 1)
        return head

    def _read(self, n: int) -> bytes:
        while len(self._buffer) < n:
            chunk = self._sock.recv(65536)
            if not chunk:
                raise ConnectionError("the events socket closed mid-frame")
            self._buffer += chunk
        out, self._buffer = self._buffer[:n], self._buffer[n:]
        return out

    def _send(self, opcode: int, payload: bytes = b"") -> None:
        # A client's frames are masked (RFC 6455 5.3); control payloads are under 126 bytes.
        mask = os.urandom(4)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self._sock.sendall(bytes([0x80 | opcode, 0x80 | len(payload)]) + mask + masked)

    def messages(self) -> Iterator[str]:
        parts: list[bytes] = []
        while True:
            b0, b1 = self._read(2)
            opcode, length = b0 & 0x0F, b1 & 0x7F
            if length == 126:
                (length,) = struct.unpack("!H", self._read(2))
            elif length == 127:
                (length,) = struct.unpack("!Q", self._read(8))
            mask = self._read(4) if b1 & 0x80 else b""
            payload = self._read(length)
            if mask:
                payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
            if opcode == 0x8:  # close: answer it and stop
                try:
                    self._send(0x8, payload[:2])
                except OSError:
                    pass
                return
            if opcode == 0x9:
                self._send(0xA, payload)
                continue
            if opcode in (0x1, 0x0):
                parts.append(payload)
                if b0 & 0x80:
                    yield b"".join(parts).decode()
                    parts = []

