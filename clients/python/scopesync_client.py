"""Client for the ScopeSync instrument API (`scopesync serve`): standard library only.

    from scopesync_client import ScopeSync
    scope = ScopeSync("http://127.0.0.1:8750", token=open("token").read().strip())
    print(scope.status()["summary"])
    run = scope.start_run(name="four_colour_cycles.json")
    scope.wait(run["id"], on_event=print)
"""
from __future__ import annotations

import http.client
import json
import time
import urllib.parse
from typing import Any, Callable, Optional

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

    def snapshot(self, led: Optional[str] = None, flash_ms: int = 50, fmt: str = "tiff") -> bytes:
        """One frame: an OME-TIFF (16-bit, with metadata) or a PNG (8-bit, for a look)."""
        _, data = self._call("POST", "snapshot", {"led": led, "flash_ms": flash_ms, "format": fmt})
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

    def timing(self, flash_ms: float, **overrides: Any) -> dict:
        """The valid flash-delay window for the open rig; overrides: shutter_us, sensor, mode, offset_us."""
        query = urllib.parse.urlencode({"flash_ms": flash_ms, **overrides})
        return self._json("GET", f"timing?{query}")

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
