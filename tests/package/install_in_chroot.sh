#!/usr/bin/env bash
# Installs the .deb into a clean Debian 12 root (debootstrap --variant=minbase, cached in the build tree)
# with apt, which pulls its Depends from the mirror, then runs the installed scopesync as an ordinary
# member of gpio and video: --version, doctor (when the build has it), outputs-off and a headless
# simulated run of the installed quick_demo protocol. Prints how long each stage took.
# Usage: install_in_chroot.sh DEB_DIR CACHE_DIR
# Environment: SCOPESYNC_DEBIAN_MIRROR overrides the mirror taken from this machine's apt sources.
set -euo pipefail
debdir=$1 cache=$2
suite=bookworm

skip() { echo "SKIPPED: $*"; exit 77; }
fail() { echo "FAILED: $*"; exit 1; }
now() { date +%s.%N; }
lap() { awk -v what="$1" -v a="$2" -v b="$(now)" 'BEGIN { printf "%-34s %6.1f s\n", what, b - a }'; }

[ "$(id -u)" -eq 0 ] || skip "debootstrap and chroot need root; run the package tests as root (CI's container is)"
command -v debootstrap >/dev/null || skip "debootstrap is missing; install it (packaging/debian-packages-test.txt)"
shopt -s nullglob
debs=("$debdir"/scopesync_*.deb)
[ ${#debs[@]} -eq 1 ] || fail "expected one package in $debdir (package_build makes it)"
deb=${debs[0]}

# The Debian mirror apt uses on this machine, else deb.debian.org.
mirror=${SCOPESYNC_DEBIAN_MIRROR:-}
if [ -z "$mirror" ]; then
    mirror=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null \
        | grep -oE 'https?://[^ ]+/debian/?( |$)' | grep -v security | head -1 | tr -d ' ' || true)
    mirror=${mirror:-http://deb.debian.org/debian}
fi
mirror=${mirror%/}
probe() {
    if command -v curl >/dev/null; then curl -fsS --max-time 15 -o /dev/null "$1"
    else python3 -c 'import sys,urllib.request; urllib.request.urlopen(sys.argv[1], timeout=15).read()' "$1"; fi
}
probe "$mirror/dists/$suite/Release" 2>/dev/null \
    || skip "the Debian mirror $mirror is unreachable (no network?); set SCOPESYNC_DEBIAN_MIRROR to a reachable one"
echo "mirror: $mirror"

mkdir -p "$cache/apt-archives/partial"
base=$cache/$suite-minbase.tar
root=$cache/root
cleanup() {
    for m in "$root/var/cache/apt/archives" "$root/proc"; do
        mountpoint -q "$m" 2>/dev/null && umount -l "$m"
    done
    return 0
}
trap cleanup EXIT
cleanup
rm -rf "$root"

t0=$(now)
if [ ! -f "$base" ]; then
    t=$(now)
    rm -rf "$cache/bootstrap"
    debootstrap --variant=minbase "$suite" "$cache/bootstrap" "$mirror" >"$cache/debootstrap.log" 2>&1 \
        || { tail -20 "$cache/debootstrap.log"; fail "debootstrap failed (log: $cache/debootstrap.log)"; }
    tar -C "$cache/bootstrap" -cf "$base.tmp" . && mv "$base.tmp" "$base"
    rm -rf "$cache/bootstrap"
    lap "debootstrap --variant=minbase" "$t"
else
    echo "debootstrap root: cached $base"
fi

t=$(now)
mkdir -p "$root"
tar -C "$root" -xf "$base"
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
mount -t proc proc "$root/proc"
mount --bind "$cache/apt-archives" "$root/var/cache/apt/archives"
cp "$deb" "$root/tmp/"
lap "fresh root from the cache" "$t"

t=$(now)
in_root() { chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"; }
in_root apt-get update -q >"$cache/apt.log" 2>&1 || { tail -20 "$cache/apt.log"; fail "apt-get update failed"; }
in_root apt-get install -y -q --no-install-recommends "/tmp/$(basename "$deb")" >>"$cache/apt.log" 2>&1 \
    || { tail -30 "$cache/apt.log"; fail "apt-get install of the package failed (log: $cache/apt.log)"; }
lap "apt-get install of the .deb" "$t"
in_root dpkg -s scopesync | grep -E '^(Status|Version|Depends):'

# What the package promised is where it should be; the postinst made the gpio group.
for f in /usr/bin/scopesync /usr/share/scopesync/protocols/quick_demo.json \
         /usr/share/applications/scopesync.desktop /usr/share/man/man1/scopesync.1.gz \
         /usr/lib/systemd/user/scopesync-kiosk.service /usr/lib/systemd/system/scopesync-follow.service \
         /lib/udev/rules.d/60-scopesync.rules \
         /etc/security/limits.d/scopesync.conf; do
    [ -e "$root$f" ] || fail "$f is not installed"
done
in_root getent group gpio >/dev/null || fail "the postinst did not create the gpio group"

# An ordinary user in gpio and video, as the README tells the administrator to set up.
in_root useradd --create-home --groups gpio,video scope
as_user() {
    chroot --userspec=scope:scope --groups=gpio,video "$root" \
        env -i PATH=/usr/bin:/bin HOME=/home/scope LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen "$@"
}

t=$(now)
version=$(as_user scopesync --version) || fail "scopesync --version failed"
echo "$version"
expected=$(in_root dpkg-query -W -f='${Version}' scopesync); expected=${expected%-*}
[ "$version" = "scopesync $expected" ] || fail "--version says '$version', the package is $expected"

if as_user scopesync --help | grep -qE '^  doctor '; then
    set +e; as_user scopesync doctor >"$cache/doctor.log" 2>&1; rc=$?; set -e
    cat "$cache/doctor.log"
    # No camera and no GPIO in a chroot: the doctor must report that, not crash (signal, missing library).
    [ -s "$cache/doctor.log" ] || fail "scopesync doctor printed nothing"
    case $rc in 0|1|3) echo "doctor exit code: $rc" ;; *) fail "scopesync doctor exited with $rc" ;; esac
else
    echo "note: this build has no 'doctor' command; not run"
fi

as_user scopesync outputs-off --rig sim || fail "scopesync outputs-off --rig sim failed"
# A hardware rig in a root without GPIO chips: leds-off (the former name of outputs-off) must say so and exit 3
# (outputs maybe still on).
cat >"$root/home/scope/pi-rig.json" <<'JSON'
{ "backend": "pi", "sensor": "imx477", "mode": "4056x3040", "trigger": "xvs-sink",
  "lines": { "chip": "gpiochip0", "xvs": 6, "leds": { "red": 16, "uv": 18 } }, "delay_us": 93000 }
JSON
set +e; out=$(as_user scopesync leds-off --rig /home/scope/pi-rig.json 2>&1); rc=$?; set -e
echo "$out"
[ "$rc" -eq 3 ] && grep -q gpiochip0 <<<"$out" \
    || fail "leds-off on a rig without its GPIO chip exited $rc without naming the chip"

as_user scopesync run /usr/share/scopesync/protocols/quick_demo.json --rig sim --out /tmp/x \
    || fail "the headless simulated run failed"
[ -s "$root/tmp/x/summary.json" ] || fail "the run wrote no summary.json"
images=$(find "$root/tmp/x" -name '*.ome.tif' | wc -l)
listed=$(grep -c . "$root/tmp/x/manifest.jsonl")
[ "$images" -gt 0 ] && [ "$images" -eq "$listed" ] \
    || fail "the run folder has $images OME-TIFFs but manifest.jsonl lists $listed"
echo "run: $images images, all in the manifest"
lap "scopesync commands in the root" "$t"
lap "total (this run)" "$t0"
# Removed on success only: after a failure the root stays for a look inside.
cleanup
rm -rf "$root"
echo "package_install_chroot: ok"
