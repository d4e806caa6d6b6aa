#!/usr/bin/env bash
# Links an installed agent into the OCF provider directory and heartbeat's resource.d.
# heartbeat's package ships its own IPaddr and Filesystem there: we never overwrite a file
# that is not ours. TAKEOVER_REPLACE_HEARTBEAT=1 keeps the distribution's script as
# NAME.heartbeat and puts ours in its place (undone by `make uninstall`).
set -euo pipefail
destdir=$1 prefix=$2 name=$3 ocf_dir=$4 ha_dir=$5
binary="$prefix/lib/takeover/resource.d/$name"

# Links are not in CMake's install manifest: record them for `make uninstall`.
record="$destdir$prefix/lib/takeover/installed-links"
mkdir -p "$destdir$ocf_dir" "$destdir$ha_dir" "$(dirname "$record")"
note() { grep -qxF "$1" "$record" 2>/dev/null || echo "$1" >> "$record"; }
ln -sfn "$binary" "$destdir$ocf_dir/$name"
note "link $ocf_dir/$name"

target="$destdir$ha_dir/$name"
if [[ -L "$target" && "$(readlink "$target")" == "$binary" ]] || [[ ! -e "$target" && ! -L "$target" ]]; then
    ln -sfn "$binary" "$target"
    note "link $ha_dir/$name"
elif [[ "${TAKEOVER_REPLACE_HEARTBEAT:-0}" == 1 ]]; then
    mv "$target" "$target.heartbeat"
    ln -s "$binary" "$target"
    note "replaced $ha_dir/$name"
    echo "install: $ha_dir/$name was heartbeat's; kept as $name.heartbeat, ours is in its place"
else
    echo "install: $ha_dir/$name belongs to another package; left alone." \
         "Ours is $binary (TAKEOVER_REPLACE_HEARTBEAT=1 to put it in place)"
fi
