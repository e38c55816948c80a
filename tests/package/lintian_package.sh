#!/usr/bin/env bash
# Runs lintian on the .deb: any error or warning fails (info tags are printed). Justified exceptions go
# to packaging/lintian-overrides, which the package installs and lintian applies.
# Usage: lintian_package.sh DEB_DIR SOURCE_DIR
set -euo pipefail
debdir=$1

command -v lintian >/dev/null || { echo "SKIPPED: lintian is missing; install it (packaging/debian-packages-test.txt)"; exit 77; }
shopt -s nullglob
debs=("$debdir"/scopesync_*.deb)
[ ${#debs[@]} -eq 1 ] || { echo "FAILED: expected one package in $debdir (package_build makes it)"; exit 1; }
echo "lintian $(lintian --version | awk '{print $2}') on ${debs[0]}"
# Overridden tags are listed with their reasons first. They are shown in a separate run because lintian
# 2.116 counts a shown override of a warning as a warning for --fail-on.
lintian --show-overrides "${debs[0]}" | grep -E '^(O|N):' || true
lintian --display-info --fail-on error,warning "${debs[0]}"
echo "package_lintian: no errors or warnings"
