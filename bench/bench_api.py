#!/usr/bin/env python3
"""`scopesync serve` on the simulated rig: status requests per second, and the time from asking for a run to
its first image listed in manifest.jsonl, against the same protocol from `scopesync run`.

    bench_api.py SCOPESYNC_BINARY [status_requests=2000] [repeats=10]

The API's run starts on a rig that is already open; `scopesync run` is timed from the process start, so it
includes opening the rig. Both are polled every 2 ms for the manifest's first line.
"""
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "clients", "python"))
from scopesync_client import ScopeSync  # noqa: E402

PROTOCOL = {"format": "scopesync-protocol", "version": 1, "name": "bench", "description": "",
            "steps": [{"type": "group", "label": "loop", "iterations": 2, "steps": [
                {"type": "image", "label": "645", "flashes": [{"led": "red", "duration_ms": 50}]}]}]}


def pct(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def first_manifest_line(folder_of, ended, deadline_s=60):
    """True when the first image is listed; False when the run ended (a fault) before any."""
    start = time.monotonic()
    while time.monotonic() - start < deadline_s:
        folder = folder_of()
        if folder:
            path = os.path.join(folder, "manifest.jsonl")
            try:
                with open(path) as f:
                    if any('"file"' in line for line in f):
                        return True
            except FileNotFoundError:
                pass
        if ended():
            return False
        time.sleep(0.002)
    raise RuntimeError("no image in 60 s")


def main():
    binary = sys.argv[1]
    n_status = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 10
    tmp = tempfile.mkdtemp(prefix="bench_api-")
    token = os.path.join(tmp, "token")
    with open(token, "w") as f:
        f.write("bench-token-0123456789abcdef")
    os.chmod(token, 0o600)
    os.mkdir(os.path.join(tmp, "protocols"))
    proto_file = os.path.join(tmp, "bench.json")
    with open(proto_file, "w") as f:
        json.dump(PROTOCOL, f)
    # The reference rig in its 2028x1520 mode (as the API test), for both.
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "rigs",
                           "reference-hq-sim.json")) as f:
        rig = json.load(f)
    rig["mode"] = "2028x1520"
    rig_file = os.path.join(tmp, "rig.json")
    with open(rig_file, "w") as f:
        json.dump(rig, f)
    proc = subprocess.Popen([binary, "serve", "--rig", rig_file, "--port", "0", "--token-file", token,
                             "--protocols", os.path.join(tmp, "protocols"), "--out", os.path.join(tmp, "runs")],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        m = re.search(r"http://([\d.]+):(\d+)/", proc.stdout.readline())
        scope = ScopeSync(f"http://{m.group(1)}:{m.group(2)}", "bench-token-0123456789abcdef")
        while not scope.status()["open"]:
            time.sleep(0.1)

        lat = []
        t0 = time.perf_counter()
        for _ in range(n_status):
            s = time.perf_counter()
            scope.status()
            lat.append((time.perf_counter() - s) * 1e3)
        total = time.perf_counter() - t0
        print(f"GET /status, {n_status} sequential requests on one keep-alive connection: "
              f"{n_status / total:.0f} requests/s; latency median {statistics.median(lat):.3f} ms, "
              f"p99 {pct(lat, 99):.3f} ms")

        api, api_failed = [], 0
        for _ in range(repeats):
            s = time.perf_counter()
            run = scope.start_run(protocol=PROTOCOL)
            if first_manifest_line(lambda: scope.run(run["id"])["folder"],
                                   lambda: scope.run(run["id"])["state"] in ("completed", "stopped", "failed")):
                api.append((time.perf_counter() - s) * 1e3)
            else:
                api_failed += 1
            scope.wait(run["id"], poll_s=0.05)
        cli, cli_failed = [], 0
        for i in range(repeats):
            out = os.path.join(tmp, f"cli-{i}")
            s = time.perf_counter()
            p = subprocess.Popen([binary, "run", proto_file, "--rig", rig_file, "--out", out],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if first_manifest_line(lambda: out if os.path.isdir(out) else None, lambda: p.poll() is not None):
                cli.append((time.perf_counter() - s) * 1e3)
            else:
                cli_failed += 1
            p.wait()
        if not api or not cli:
            print(f"no figures: runs that ended on a fault before their first image: API {api_failed}, "
                  f"scopesync run {cli_failed}")
            return
        print(f"start → first image in manifest.jsonl, {repeats} runs of a 2-image protocol:")
        print(f"  POST /api/v1/runs (rig already open): median {statistics.median(api):.0f} ms, "
              f"p99 {pct(api, 99):.0f} ms ({api_failed} run(s) ended on a fault before an image)")
        print(f"  scopesync run (new process, opens the rig): median {statistics.median(cli):.0f} ms, "
              f"p99 {pct(cli, 99):.0f} ms ({cli_failed} run(s) ended on a fault before an image)")
    finally:
        proc.terminate()
        proc.wait(30)


if __name__ == "__main__":
    main()
