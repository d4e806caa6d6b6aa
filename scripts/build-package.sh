#!/usr/bin/env bash
# Builds the .deb from a copy of the tracked tree (dpkg-buildpackage writes next to the
# source), leaving takeover_*.deb in OUT_DIR.
set -euo pipefail
out=${1:-build-package}
top=$(cd "$(dirname "$0")/.." && pwd)
rm -rf "$out"
mkdir -p "$out/src"
out=$(cd "$out" && pwd)
cd "$top"
git ls-files -z | xargs -0 cp --parents -t "$out/src"
cd "$out/src"
dpkg-buildpackage -us -uc -b -j"$(nproc)" >"$out/build.log" 2>&1 || {
    tail -40 "$out/build.log"; echo "package: dpkg-buildpackage failed (log: $out/build.log)"; exit 1; }
ls "$out"/takeover_*.deb
