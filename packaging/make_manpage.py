#!/usr/bin/env python3
"""Writes the scopesync(1) man page from the built binary's --help texts, so the page never drifts.

Usage: make_manpage.py SCOPESYNC_BINARY CHANGELOG OUTPUT [EMULATOR [ARG...]]
A cross-built binary runs through EMULATOR (CMake's CMAKE_CROSSCOMPILING_EMULATOR, e.g. qemu-aarch64-static).
The page's date is the newest changelog entry's, so the same sources give the same page.
"""
import email.utils
import os
import re
import subprocess
import sys


def run_help(command, *args):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", LC_ALL="C.UTF-8")
    out = subprocess.run([*command, *args, "--help"], env=env, capture_output=True, text=True, timeout=120)
    if out.returncode != 0:
        cmd = " ".join([*command, *args])
        sys.exit(f"make_manpage: '{cmd} --help' exited with {out.returncode}:\n{out.stderr}")
    return out.stdout


def esc(text):
    """Escapes text for roff: backslashes, hyphens and a leading control character."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return re.sub(r"^([.'])", r"\\&\1", text)


def commands(top_help):
    """(name, summary) for each line of the 'Commands:' section."""
    found, inside = [], False
    for line in top_help.splitlines():
        if line.strip() == "Commands:":
            inside = True
            continue
        if inside:
            m = re.match(r"^  (\S+)\s+(.*)$", line)
            if not m:
                break
            found.append((m.group(1), m.group(2).strip()))
    return found


def parse_command_help(text):
    """Splits a QCommandLineParser help text into usage, description and (term, text) sections."""
    lines = text.splitlines()
    usage = re.sub(r"^Usage: \S+", "", lines[0]).strip() if lines else ""
    description, sections, current = [], {}, None
    for line in lines[1:]:
        header = re.match(r"^(Options|Arguments):$", line)
        if header:
            current = sections.setdefault(header.group(1), [])
            continue
        if current is None:
            if line.strip():
                description.append(line.strip())
            continue
        entry = re.match(r"^  (\S.*?)(?:\s{2,}(\S.*))?$", line)
        if entry and not line.startswith("   "):
            current.append([entry.group(1), entry.group(2) or ""])
        elif line.strip() and current:
            current[-1][1] += " " + line.strip()
    return usage, " ".join(description), sections


def page(command, changelog):
    version = subprocess.run([*command, "--version"], capture_output=True, text=True, check=True).stdout.split()[-1]
    date = "1970-01-01"
    with open(changelog, encoding="utf-8") as f:
        for line in f:
            m = re.match(r"^ -- .*?  (.+)$", line)
            if m:
                date = email.utils.parsedate_to_datetime(m.group(1)).strftime("%Y-%m-%d")
                break
    top = run_help(command)
    out = [
        '.\\" The scopesync(1) page, generated from the --help texts of scopesync ' + version + ".",
        f'.TH SCOPESYNC 1 "{date}" "scopesync {version}" "User Commands"',
        ".SH NAME",
        "scopesync \\- synchronised LED strobes for Raspberry Pi camera microscopes",
        ".SH SYNOPSIS",
        ".B scopesync",
        "[\\fICOMMAND\\fR] [\\fIOPTIONS\\fR]",
        ".br",
        ".B scopesync",
        "\\fB\\-\\-help\\fR | \\fB\\-\\-version\\fR",
        ".SH DESCRIPTION",
        "ScopeSync drives a microscope built on a Raspberry Pi camera and flashes its LEDs in sync with the "
        "camera's rolling-shutter exposures, saving every image as a 16\\-bit OME\\-TIFF with the measured "
        "LED edges in its metadata. Without a command it starts the GUI; the commands below run headless.",
        ".SH COMMANDS",
    ]
    for name, summary in commands(top):
        usage, description, sections = parse_command_help(run_help(command, name))
        out += [".SS " + esc(name), esc(summary), ".PP", ".B scopesync " + esc(name), esc(usage)]
        if description:
            out += [".PP", esc(description)]
        for title in ("Arguments", "Options"):
            for term, text in sections.get(title, []):
                out += [".TP", "\\fB" + esc(term) + "\\fR", esc(text)]
    out += [
        ".SH EXIT STATUS",
        ".TP", "0", "Success.",
        ".TP", "1", "Invalid input: the message names the file, the JSON path or line, and the fix.",
        ".TP", "2", "Usage error on the command line.",
        ".TP", "3", "A run started and stopped on a fault or a signal; what was saved stays valid.",
        ".SH FILES",
        ".TP", "/usr/share/scopesync/protocols/", "Sample protocols (native and 454 Bio *.454sp.json).",
        ".TP", "/usr/share/scopesync/camera/", "rpicam\\-apps config files of the reference rig.",
        ".TP", "/usr/share/scopesync/rigs/", "Sample rig files.",
        ".TP", "~/.config/scopesync/rig.json, ~/.config/scopesync/kiosk.conf",
        "The rig and settings of the touchscreen kiosk (systemd user unit scopesync\\-kiosk.service).",
        ".TP", "/etc/security/limits.d/scopesync.conf",
        "Real-time priority and locked memory for members of the gpio group.",
        ".TP", "/lib/udev/rules.d/60\\-scopesync.rules",
        "GPIO and camera DMA-heap device access for the gpio and video groups.",
        ".SH SEE ALSO",
        "rpicam\\-still(1), systemctl(1), limits.conf(5)",
    ]
    return "\n".join(out) + "\n"


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    text = page([*sys.argv[4:], sys.argv[1]], sys.argv[2])
    with open(sys.argv[3], "w", encoding="utf-8") as f:
        f.write(text)


if __name__ == "__main__":
    main()
