#!/usr/bin/env python3
"""Runs a protocol through `scopesync serve` and plots the mean intensity of each image.

    run_and_plot.py --url http://127.0.0.1:8750 --token-file token PROTOCOL.json

matplotlib draws the plot when it is installed; otherwise a table is printed. tifffile (python3-tifffile)
reads the images back; without it only the run's progress is shown.
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from scopesync_client import ScopeSync, ScopeSyncError  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("protocol", help="protocol .json file (sent inline)")
    ap.add_argument("--url", default="http://127.0.0.1:8750")
    ap.add_argument("--token-file", required=True)
    ap.add_argument("--plot", help="save the plot to this file instead of showing it")
    args = ap.parse_args()

    with open(args.token_file) as f:
        scope = ScopeSync(args.url, f.read())
    with open(args.protocol) as f:
        protocol = json.load(f)
    try:
        run = scope.start_run(protocol=protocol)
        print(f"run {run['id']} started")
        done = scope.wait(run["id"], on_event=lambda e: print(
            f"  {e['frames_done']}/{e['frames_total']} {e['activity']} {e['label']}", file=sys.stderr))
    except ScopeSyncError as e:
        print(f"error: {e}", file=sys.stderr)
        for d in e.body.get("diagnostics", []):
            print(f"  {d['path']}: {d['message']}", file=sys.stderr)
        return 1
    print(f"run {done['id']} {done['state']}: {done['outcome']['images_saved']} images in {done['folder']}")

    try:
        import tifffile
    except ImportError:
        print("tifffile is not installed (apt install python3-tifffile): no intensities")
        return 0
    entries = [e for e in scope.manifest(done["id"])["entries"] if "file" in e]
    rows = []
    for e in entries:
        image = tifffile.imread(os.path.join(done["folder"], e["file"]))
        rows.append((e.get("label", ""), e.get("led", ""), float(image.mean())))
    try:
        import matplotlib
        if args.plot:
            matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print(f"{'#':>4}  {'label':<16} {'led':<10} mean")
        for i, (label, channel, mean) in enumerate(rows):
            print(f"{i:>4}  {label:<16} {channel:<10} {mean:.1f}")
        return 0
    plt.plot([m for _, _, m in rows], marker="o")
    plt.xlabel("image")
    plt.ylabel("mean intensity (counts)")
    plt.title(done["name"])
    if args.plot:
        plt.savefig(args.plot)
    else:
        plt.show()
    return 0


if __name__ == "__main__":
    sys.exit(main())
