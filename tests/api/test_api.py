"""`scopesync serve` end to end on the simulated rig, through the Python client (clients/python)."""
import http.client
import json
import os
import re
import stat
import subprocess
import sys
import tempfile
import time
import unittest

import numpy
import tifffile

sys.path.insert(0, os.environ["SCOPESYNC_CLIENT_DIR"])
from scopesync_client import ScopeSync, ScopeSyncError  # noqa: E402

BIN = os.environ["SCOPESYNC_BIN"]
TOKEN = "api-test-token-0123456789abcdef"


def protocol(images: int, flash_ms: int = 50) -> dict:
    return {
        "format": "scopesync-protocol", "version": 1, "name": f"api {images}", "description": "",
        "steps": [{"type": "group", "label": "loop", "iterations": images, "steps": [
            {"type": "image", "label": "645", "flashes": [{"led": "red", "duration_ms": flash_ms}]}]}],
    }


class ServeTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        root = cls.tmp.name
        cls.token_file = os.path.join(root, "token")
        with open(cls.token_file, "w") as f:
            f.write(TOKEN + "\n")
        os.chmod(cls.token_file, 0o600)
        cls.protocols = os.path.join(root, "protocols")
        os.mkdir(cls.protocols)
        with open(os.path.join(cls.protocols, "three.json"), "w") as f:
            json.dump(protocol(3), f)
        # A protocol outside the folder: reachable by "../" only, which must be refused.
        with open(os.path.join(root, "outside.json"), "w") as f:
            json.dump(protocol(1), f)
        # The reference rig in its 2028x1520 mode: the same physics at a quarter of the rendering cost.
        with open(os.environ["SCOPESYNC_SIM_RIG"]) as f:
            rig = json.load(f)
        rig["mode"] = "2028x1520"
        # The instrument's other devices, simulated, for the device routes.
        rig["filter_wheel"] = {"kind": "sim", "move_ms": 50, "positions": [
            {"filter": "no_filter"}, {"filter": "red"}, {"filter": "green"}]}
        rig["focus"] = {"kind": "sim", "step_us": 100, "per_filter": {"red": 0, "green": -1525}}
        rig["heater"] = {"kind": "sim", "max_c": 80, "sensor": {"kind": "sim"}, "sim": {"speedup": 50}}
        cls.rig_file = os.path.join(root, "rig.json")
        with open(cls.rig_file, "w") as f:
            json.dump(rig, f)
        cls.out = os.path.join(root, "runs")
        cls.proc = subprocess.Popen(
            [BIN, "serve", "--rig", cls.rig_file, "--port", "0", "--token-file", cls.token_file,
             "--protocols", cls.protocols, "--out", cls.out],
            stdout=subprocess.PIPE, stderr=sys.stderr, text=True)
        line = cls.proc.stdout.readline()
        m = re.search(r"http://([\d.]+):(\d+)/", line)
        if not m:
            cls.proc.kill()
            raise RuntimeError(f"serve did not say where it listens: {line!r}")
        cls.url = f"http://{m.group(1)}:{m.group(2)}"
        cls.scope = ScopeSync(cls.url, TOKEN)
        deadline = time.monotonic() + 30
        while not cls.scope.status()["open"]:
            if time.monotonic() > deadline:
                raise RuntimeError("the simulated rig did not open in 30 s")
            time.sleep(0.1)

    @classmethod
    def tearDownClass(cls):
        cls.scope.close()
        cls.proc.terminate()
        try:
            cls.proc.wait(30)
        finally:
            if cls.proc.poll() is None:
                cls.proc.kill()
            cls.tmp.cleanup()

    def wait_free(self):
        deadline = time.monotonic() + 60
        while self.scope.status()["held_by"] is not None:
            self.assertLess(time.monotonic(), deadline, "the rig stayed held")
            time.sleep(0.05)

    def test_status(self):
        st = self.scope.status()
        self.assertTrue(st["open"])
        self.assertEqual(st["backend"], "sim")
        self.assertIn("red", [led["name"] for led in st["leds"]])
        self.assertTrue(st["trigger"])
        self.assertTrue(st["mode"])

    def test_unauthorized(self):
        for token in ("", "wrong-token-0123456789abcdef"):
            client = ScopeSync(self.url, token)
            status, headers, body = client.request_raw("GET", "status")
            client.close()
            self.assertEqual(status, 401, token)
            self.assertEqual(headers.get("www-authenticate"), "Bearer")
            self.assertIn("token", json.loads(body)["error"])
            self.assertNotIn("access-control-allow-origin", headers)

    def test_token_file_mode_refused(self):
        loose = os.path.join(self.tmp.name, "loose-token")
        with open(loose, "w") as f:
            f.write(TOKEN)
        os.chmod(loose, 0o644)
        r = subprocess.run([BIN, "serve", "--rig", "sim", "--port", "0", "--token-file", loose,
                            "--protocols", self.protocols, "--out", self.out],
                           capture_output=True, text=True, timeout=30)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn(loose, r.stderr)
        self.assertIn("chmod 600", r.stderr)

    def test_too_large(self):
        body = b'{"protocol": "' + b"x" * (1024 * 1024 + 10) + b'"}'
        status, _, data = self.scope.request_raw("POST", "runs", body)
        self.assertEqual(status, 413)
        self.assertIn("limit", json.loads(data)["error"])

    def test_protocol_name_outside_folder(self):
        for name in ("../outside.json", os.path.join(self.tmp.name, "outside.json"), "missing.json"):
            with self.assertRaises(ScopeSyncError) as cm:
                self.scope.start_run(name=name)
            self.assertEqual(cm.exception.status, 404, name)
            self.assertEqual(cm.exception.field, "$.name")
            self.assertNotIn("outside", cm.exception.message.replace(name, ""))

    def test_invalid_protocol(self):
        bad = protocol(1)
        bad["steps"][0]["steps"][0]["flashes"][0]["led"] = "ultraviolet"
        with self.assertRaises(ScopeSyncError) as cm:
            self.scope.start_run(protocol=bad)
        self.assertEqual(cm.exception.status, 422)
        self.assertTrue(cm.exception.field.startswith("$.protocol.steps[0]"), cm.exception.field)
        diagnostics = cm.exception.body["diagnostics"]
        self.assertTrue(any(d["path"].startswith("$.steps[0].steps[0].flashes[0]") and "ultraviolet" in d["message"]
                            for d in diagnostics), diagnostics)

    def test_snapshot(self):
        self.wait_free()
        # Red light reaches the camera through the red filter (another test may have left green in place).
        self.scope.move_filter("red")
        self.wait_status("filter", "red")
        dark = tifffile.imread(__import__("io").BytesIO(self.scope.snapshot(None, fmt="tiff")))
        # A take whose light differs from the plan (an edge late on a loaded machine) is kept, flagged and taken
        # again by the server; the client raises when every take was flagged, so `lit` is a good one.
        hdrs, data = self.scope._call("POST", "snapshot", {"led": "red", "flash_ms": 150, "format": "tiff"})
        self.assertNotIn("x-scopesync-dose-problems", hdrs)
        lit = tifffile.imread(__import__("io").BytesIO(data))
        # In the manual folder's manifest every flagged take is followed by its retake.
        with open(os.path.join(os.path.dirname(hdrs["x-scopesync-file"]), "manifest.jsonl")) as f:
            entries = [json.loads(line) for line in f if line.strip()]
        images = [e for e in entries if "file" in e]
        self.assertTrue(images)
        for i, e in enumerate(images):
            if e.get("dose_errors"):
                nxt = images[i + 1] if i + 1 < len(images) else None
                self.assertIsNotNone(nxt, e)
                self.assertEqual(nxt.get("retake", 0), e.get("retake", 0) + 1, (e, nxt))
        self.assertFalse(images[-1].get("dose_errors"), images[-1])
        st = self.scope.status()
        w, h = (int(v) for v in st["mode"].split()[-1].split("x"))
        self.assertEqual(lit.dtype, numpy.uint16)
        self.assertEqual(lit.shape, (h, w))
        self.assertEqual(dark.shape, (h, w))
        self.assertGreater(float(lit.mean()), float(dark.mean()) + 10)
        png = self.scope.snapshot("red", 50, "png")
        self.assertEqual(png[:8], b"\x89PNG\r\n\x1a\n")
        with self.assertRaises(ScopeSyncError) as cm:
            self.scope.snapshot("red", 10 ** 6)
        self.assertEqual(cm.exception.status, 422)
        self.assertEqual(cm.exception.field, "$.flash_ms")

    def test_run_to_completion(self):
        self.wait_free()
        run = self.scope.start_run(name="three.json")
        self.assertEqual(run["href"], f"/api/v1/runs/{run['id']}")
        events = []
        done = self.scope.wait(run["id"], on_event=events.append, timeout_s=120)
        self.assertEqual(done["state"], "completed", done)
        self.assertEqual(done["outcome"]["images_saved"], 3)
        self.assertTrue(done["outcome"]["leds_off_at_end"])
        self.assertTrue(events)
        self.assertEqual([e["seq"] for e in events], list(range(len(events))))
        self.assertTrue(all(e["frames_total"] == 3 for e in events), events)
        self.assertEqual(events[-1]["activity"], "completed")
        self.assertEqual(events[-1]["frames_done"], 3)
        # Retakes (an image whose measured light differs from its plan, taken again) are listed beside it.
        entries = [e for e in self.scope.manifest(run["id"])["entries"] if "file" in e and not e.get("retake")]
        self.assertEqual(len(entries), 3)

    def test_events_pushed_over_websocket(self):
        self.wait_free()
        run = self.scope.start_run(name="three.json")
        self.assertRegex(run["events_ws"], r"^ws://127\.0\.0\.1:\d+/api/v1/runs/%d/events$" % run["id"])
        pushed = list(self.scope.follow(run))
        end = pushed[-1]
        self.assertEqual(end["type"], "end")
        self.assertEqual(end["run"]["state"], "completed", end)
        progress = pushed[:-1]
        self.assertTrue(progress)
        self.assertTrue(all(e["type"] == "progress" for e in progress))
        self.assertEqual(progress[-1]["activity"], "completed")
        # The same events as polling gives, in the same order, none lost or doubled.
        polled = self.scope.events(run["id"])["events"]
        self.assertEqual([e["seq"] for e in progress], [e["seq"] for e in polled])
        # A follower that joins late gets what it missed after its mark, then the end.
        late = list(self.scope.follow(self.scope.run(run["id"]), after=polled[-2]["seq"]))
        self.assertEqual([e.get("seq") for e in late[:-1]], [polled[-1]["seq"]])
        self.assertEqual(late[-1]["type"], "end")
        # No token, or a run that does not exist: refused with the reason, never a stream.
        with self.assertRaises(ScopeSyncError) as cm:
            list(ScopeSync(self.url, "wrong-token-0123456789abcdef").follow(run))
        self.assertIn("bearer token", cm.exception.message)
        missing = dict(run, events_ws=run["events_ws"].replace(f"/runs/{run['id']}/", "/runs/999999/"))
        with self.assertRaises(ScopeSyncError) as cm:
            list(self.scope.follow(missing))
        self.assertIn("no run events", cm.exception.message)

    def test_stop_mid_run_and_conflict(self):
        self.wait_free()
        run = self.scope.start_run(protocol=protocol(200))
        deadline = time.monotonic() + 60
        while not [e for e in self.scope.manifest(run["id"])["entries"] if "file" in e]:
            self.assertLess(time.monotonic(), deadline, "no image saved in 60 s")
            time.sleep(0.05)
        # A second command while the run holds the rig: 409 naming the holder and what it does.
        for call in (lambda: self.scope.start_run(name="three.json"),
                     lambda: self.scope.snapshot("red"),
                     lambda: self.scope.led_on("red", 10)):
            with self.assertRaises(ScopeSyncError) as cm:
                call()
            self.assertEqual(cm.exception.status, 409)
            self.assertEqual(cm.exception.body["holder"], "api")
            self.assertIn(f"run {run['id']}", cm.exception.body["activity"])
        self.assertEqual(self.scope.status()["held_by"]["run"], run["href"])
        self.scope.stop(run["id"])
        deadline = time.monotonic() + 60
        while self.scope.run(run["id"])["state"] not in ("stopped", "completed", "failed"):
            self.assertLess(time.monotonic(), deadline, "the run did not stop in 60 s")
            time.sleep(0.05)
        done = self.scope.run(run["id"])
        self.assertEqual(done["state"], "stopped", done)
        self.assertTrue(done["outcome"]["leds_off_at_end"])
        entries = [e for e in self.scope.manifest(run["id"])["entries"] if "file" in e]
        self.assertGreaterEqual(len(entries), 1)
        self.assertLess(len(entries), 200)
        for e in entries:
            image = tifffile.imread(os.path.join(done["folder"], e["file"]))
            self.assertEqual(image.dtype, numpy.uint16)
        with self.assertRaises(ScopeSyncError) as cm:
            self.scope.stop(run["id"])
        self.assertEqual(cm.exception.status, 409)

    def test_led_on(self):
        self.wait_free()
        answer = self.scope.led_on("red", 20)
        self.assertEqual(answer["led"], "red")
        self.wait_free()
        self.assertTrue(self.scope.status()["leds_off"])
        with self.assertRaises(ScopeSyncError) as cm:
            self.scope.led_on("red", 10 ** 7)
        self.assertEqual(cm.exception.status, 422)
        self.assertEqual(cm.exception.field, "$.on_ms")
        with self.assertRaises(ScopeSyncError) as cm:
            self.scope.led_on("infrared", 10)
        self.assertEqual(cm.exception.status, 404)

    def wait_status(self, key, wanted, timeout_s=20.0):
        deadline = time.monotonic() + timeout_s
        while True:
            st = self.scope.status()
            if st.get(key) == wanted:
                return st
            self.assertLess(time.monotonic(), deadline, f"{key} is {st.get(key)!r}, not {wanted!r}: {st}")
            time.sleep(0.05)

    def test_devices_by_hand(self):
        self.wait_free()
        self.scope.move_filter("green")
        st = self.wait_status("filter", "green")
        # The focus follows to green's position (-1525 steps on the reference rig), then a nudge moves it.
        st = self.wait_status("focus_steps", -1525)
        self.scope.nudge_focus(50)
        self.wait_status("focus_steps", -1475)
        for call, field in ((lambda: self.scope.move_filter("violet"), "$.filter"),
                            (lambda: self.scope.nudge_focus(0), "$.nudge_steps"),
                            (lambda: self.scope.set_heater(500.0), "$.set_point_c")):
            with self.assertRaises(ScopeSyncError) as cm:
                call()
            self.assertEqual(cm.exception.status, 422)
            self.assertEqual(cm.exception.field, field)
        self.scope.set_heater(37.0)
        st = self.wait_status("set_point_k", 310.15)
        self.scope.set_heater(None)
        st = self.wait_status("set_point_k", None)
        self.assertIsNone(st["last_error"])

    def test_calibration(self):
        self.wait_free()
        self.scope.move_filter("red")  # red light reaches the camera through the red filter
        self.wait_status("filter", "red")
        started = self.scope.calibrate("red", 150)
        self.assertEqual(started["state"], "running")
        # While it runs, the rig is held: a run is refused with 409 naming the calibration.
        with self.assertRaises(ScopeSyncError) as cm:
            self.scope.start_run(name="three.json")
        self.assertEqual(cm.exception.status, 409)
        self.assertIn("calibrat", cm.exception.body["activity"])
        pushed = list(self.scope.follow(started))
        end = pushed[-1]
        self.assertEqual(end["type"], "end")
        done = end["calibration"]
        self.assertEqual(done["state"], "completed", done)
        frames = pushed[:-1]
        self.assertEqual(len(frames), done["result"]["frames_used"])
        self.assertEqual([f["seq"] for f in frames], list(range(len(frames))))
        # 2028x1520 at 250 ms shutter, 150 ms flash: the window is (1520 - 1) x 15.17 us = 23.04 ms to 100 ms.
        self.assertAlmostEqual(done["result"]["window_start_ms"], 23.04, delta=0.5)
        self.assertAlmostEqual(done["result"]["window_end_ms"], 100.0, delta=0.5)
        self.assertIsNone(done["saved_to"])  # apply was not asked
        self.assertEqual(self.scope.calibration()["state"], "completed")
        for body, field in (({"led": "infrared"}, "$.led"), ({"led": "red", "flash_ms": 10 ** 7}, "$.flash_ms"),
                            ({"led": "red", "sweep": "a:b"}, "$.sweep"), ({"led": "red", "apply": "yes"}, "$.apply")):
            status, _, data = self.scope.request_raw("POST", "calibration", json.dumps(body).encode())
            self.assertEqual(status, 422, data)
            self.assertEqual(json.loads(data)["field"], field)
        with self.assertRaises(ScopeSyncError) as cm:
            self.scope.cancel_calibration()
        self.assertEqual(cm.exception.status, 409)

    def test_timing(self):
        t = self.scope.timing(150)
        self.assertTrue(t["feasible"], t)
        self.assertEqual(t["flash_ms"], 150)
        self.assertLess(t["window_start_ms"], t["window_end_ms"])
        # The same figures as `scopesync timing --json` for the same sensor, mode, shutter and offset.
        cli = json.loads(subprocess.run(
            [BIN, "timing", "--sensor", t["sensor"], "--mode", t["mode"], "--shutter-us",
             str(t["shutter_us"]), "--flash-ms", "150", "--offset-us", str(t["offset_us"]), "--json"],
            check=True, capture_output=True, text=True).stdout)
        self.assertEqual(cli, t)
        short = self.scope.timing(150, shutter_us=1000)
        self.assertFalse(short["feasible"])
        self.assertGreater(short["min_shutter_us"], 1000)
        with self.assertRaises(ScopeSyncError) as cm:
            self.scope.timing(150, mode="1x1")
        self.assertEqual(cm.exception.status, 422)
        self.assertEqual(cm.exception.field, "mode")

    def test_openapi_describes_every_route(self):
        doc = self.scope.openapi()
        self.assertRegex(doc["openapi"], r"^3\.\d+\.\d+$")
        self.assertEqual(doc["servers"][0]["url"], "/api/v1")
        self.assertIn("bearer", doc["components"]["securitySchemes"])
        methods = {"get", "post", "put", "delete", "patch"}
        documented = set()
        for path, item in doc["paths"].items():
            self.assertTrue(path.startswith("/"), path)
            for method, op in item.items():
                if method not in methods:
                    continue
                documented.add((method.upper(), path))
                self.assertIn("responses", op, (method, path))
                self.assertIn("401", op["responses"], (method, path))
                for code in op["responses"]:
                    self.assertRegex(code, r"^[1-5]\d\d$")
        # Every route the server answers is documented, and every documented route is answered.
        answered = {("GET", "/openapi.json"), ("GET", "/status"), ("POST", "/snapshot"), ("POST", "/runs"),
                    ("GET", "/runs/{id}"), ("GET", "/runs/{id}/events"), ("GET", "/runs/{id}/manifest"),
                    ("POST", "/runs/{id}/stop"), ("POST", "/runs/{id}/pause"),
                    ("POST", "/runs/{id}/continue"), ("POST", "/leds/{name}"), ("POST", "/filter"),
                    ("POST", "/focus"), ("PUT", "/heater"), ("GET", "/timing"), ("GET", "/calibration"),
                    ("POST", "/calibration"), ("POST", "/calibration/cancel")}
        self.assertEqual(documented, answered)
        # A path the server does not have is not documented and is answered 404 "no resource".
        for method, path in [("GET", "/calibrations"), ("POST", "/temperature"), ("GET", "/runs")]:
            self.assertNotIn((method, path), documented)
            status, _, body = self.scope.request_raw(method, path.lstrip("/"),
                                                     b"{}" if method == "POST" else None)
            self.assertIn(status, (404, 405), path)
        # Every documented route answers with a documented status (unknown run id: 404 "no run").
        for method, path in documented:
            if method == "POST" and path in ("/runs", "/snapshot"):
                continue  # exercised above
            concrete = path.replace("{id}", "999999").replace("{name}", "nosuchled")
            status, _, body = self.scope.request_raw(method, concrete.lstrip("/"),
                                                     b"{}" if method == "POST" else None)
            op = doc["paths"][path][method.lower()]
            self.assertIn(str(status), op["responses"], (method, path, status, body[:200]))


if __name__ == "__main__":
    unittest.main(verbosity=2)
