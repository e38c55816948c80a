#!/usr/bin/env bash
# Builds the .deb with CPack in the build tree and checks what it holds: files, control fields, the
# man page against every command of `scopesync --help`, the changelog version against the package's.
# Usage: build_package.sh CPACK BUILD_DIR DEB_DIR SCOPESYNC_BINARY SOURCE_DIR
set -euo pipefail
cpack=$1 build=$2 debdir=$3 bin=$4 src=$5

skip() { echo "SKIPPED: $*"; exit 77; }
fail() { echo "FAILED: $*"; exit 1; }
for tool in dpkg-deb dpkg-shlibdeps fakeroot; do
    command -v "$tool" >/dev/null || skip "$tool is missing; install dpkg-dev and fakeroot (packaging/debian-packages.txt)"
done

rm -f "$debdir"/scopesync_*.deb
"$cpack" --config "$build/CPackConfig.cmake" -G DEB -B "$debdir"
shopt -s nullglob
debs=("$debdir"/scopesync_*.deb)
[ ${#debs[@]} -eq 1 ] || fail "expected one scopesync_*.deb in $debdir, found ${#debs[@]}"
deb=${debs[0]}
echo "package: $deb ($(stat -c %s "$deb") bytes)"

field() { dpkg-deb -f "$deb" "$1"; }
echo "Depends: $(field Depends)"
[ "$(field Package)" = scopesync ] || fail "Package is '$(field Package)'"
[ "$(field Section)" = science ] || fail "Section is '$(field Section)', not science"
field Depends | grep -q 'libqt6core6' || fail "Depends lacks libqt6core6: dpkg-shlibdeps did not run"
field Depends | grep -q 'libc6' || fail "Depends lacks libc6: dpkg-shlibdeps did not run"
field Maintainer | grep -qE '^[^<]+ <[^>]+@[^>]+>$' || fail "Maintainer '$(field Maintainer)' is not 'Name <address>'"

contents=$(dpkg-deb -c "$deb" | awk '{print $6}')
for f in ./usr/bin/scopesync \
         ./usr/libexec/scopesync/scopesync-output-guard \
         ./usr/share/scopesync/protocols/quick_demo.json \
         ./usr/share/scopesync/camera/reference-hq-250ms.txt \
         ./usr/share/applications/scopesync.desktop \
         ./usr/share/icons/hicolor/scalable/apps/scopesync.svg \
         ./usr/share/man/man1/scopesync.1.gz \
         ./usr/share/doc/scopesync/copyright \
         ./usr/share/doc/scopesync/changelog.Debian.gz \
         ./usr/lib/systemd/user/scopesync-kiosk.service \
         ./usr/lib/systemd/system/scopesync-follow.service \
         ./lib/udev/rules.d/60-scopesync.rules \
         ./etc/security/limits.d/scopesync.conf; do
    grep -qxF "$f" <<<"$contents" || fail "$f is not in the package"
done
for f in postinst postrm conffiles md5sums; do
    dpkg-deb -I "$deb" "$f" >/dev/null || fail "control member $f is missing"
done
dpkg-deb -I "$deb" conffiles | grep -qxF /etc/security/limits.d/scopesync.conf \
    || fail "the limits drop-in is not a conffile"

# The man page has a section for every command the binary lists.
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
dpkg-deb -x "$deb" "$work"
page=$(zcat "$work/usr/share/man/man1/scopesync.1.gz")
cmds=$(QT_QPA_PLATFORM=offscreen "$bin" --help | awk '/^Commands:/{on=1;next} on&&/^  [^ ]/{print $1;next} on{exit}')
[ -n "$cmds" ] || fail "'scopesync --help' lists no commands"
for c in $cmds; do
    grep -qxF ".SS ${c//-/\\-}" <<<"$page" || fail "the man page has no section for '$c'"
done
echo "man page covers: $(echo $cmds)"

# The changelog's newest entry is this package's version.
version=$(field Version)
top=$(zcat "$work/usr/share/doc/scopesync/changelog.Debian.gz" | head -1 | sed -E 's/^[^ ]+ \(([^)]+)\).*/\1/')
[ "$top" = "$version" ] || fail "packaging/debian/changelog's newest entry is $top but the package is $version: add an entry"

# The kiosk unit: systemd accepts it, and the commands and options it calls exist in this binary.
unit=$work/usr/lib/systemd/user/scopesync-kiosk.service
if command -v systemd-analyze >/dev/null; then
    mkdir -p "$work/verify"
    sed "s#/usr/bin/scopesync#$work/usr/bin/scopesync#g" "$unit" >"$work/verify/scopesync-kiosk.service"
    systemd-analyze verify --man=no "$work/verify/scopesync-kiosk.service" || fail "systemd-analyze rejects the kiosk unit"
else
    echo "note: systemd-analyze not installed; kiosk unit not verified"
fi
grep -q '^ExecStopPost=/usr/bin/scopesync outputs-off --rig ' "$unit" || fail "the kiosk unit does not turn the outputs off on stop"
grep -qxF outputs-off <<<"$cmds" || fail "the units call 'scopesync outputs-off', which this binary lacks"
if grep -qxF gui <<<"$cmds"; then
    gui_help=$(QT_QPA_PLATFORM=offscreen "$bin" gui --help)
    for opt in --fullscreen --rig; do
        grep -q -- "$opt" <<<"$gui_help" || fail "the kiosk unit calls 'scopesync gui $opt', which 'gui --help' does not list"
    done
else
    echo "note: this build has no 'gui' command yet: the kiosk unit's ExecStart cannot work until it lands"
fi

# The follower unit: systemd accepts it, and every option it passes to 'scopesync follow' exists.
funit=$work/usr/lib/systemd/system/scopesync-follow.service
if command -v systemd-analyze >/dev/null; then
    sed "s#/usr/bin/scopesync#$work/usr/bin/scopesync#g" "$funit" >"$work/verify/scopesync-follow.service"
    systemd-analyze verify --man=no "$work/verify/scopesync-follow.service" || fail "systemd-analyze rejects the follower unit"
fi
grep -q '^ExecStopPost=/usr/bin/scopesync outputs-off --rig ' "$funit" || fail "the follower unit does not turn the outputs off on stop"
follow_help=$("$bin" follow --help)
for opt in $(grep '^ExecStart=' "$funit" | grep -oE -- '--[a-z-]+'); do
    grep -q -- "$opt" <<<"$follow_help" || fail "the follower unit calls 'scopesync follow $opt', which 'follow --help' does not list"
done

if command -v desktop-file-validate >/dev/null; then
    desktop-file-validate "$work/usr/share/applications/scopesync.desktop" || fail "desktop entry is invalid"
else
    echo "note: desktop-file-validate not installed (desktop-file-utils); desktop entry not validated"
fi
echo "package_build: ok"
