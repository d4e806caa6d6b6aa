#!/usr/bin/env bash
# Removes exactly what `make install` put there: the files in CMake's install manifest and the
# agent links recorded by install-agent.sh; a heartbeat script we replaced is put back.
set -euo pipefail
build=$1 destdir=${2:-}
manifest=$build/install_manifest.txt
[[ -f "$manifest" ]] || { echo "uninstall: $manifest not found (run make install first)" >&2; exit 1; }
# Manifest and link-record paths are both without DESTDIR.
prefix=$(grep -m1 '/lib/takeover/resource.d/' "$manifest" | sed 's|/lib/takeover/resource.d/.*||')
record="$destdir$prefix/lib/takeover/installed-links"
if [[ -f "$record" ]]; then
    while read -r kind path; do
        case "$kind" in
        link) rm -f "$destdir$path" ;;
        replaced) rm -f "$destdir$path"; mv "$destdir$path.heartbeat" "$destdir$path" ;;
        esac
    done < "$record"
    rm -f "$record"
fi
while read -r file || [[ -n "$file" ]]; do
    rm -f "$destdir$file"
done < "$manifest"
# Remove the directories we made if they are now empty.
find "$destdir$prefix/lib/takeover" -depth -type d -empty -delete 2>/dev/null || true
echo "uninstall: removed $(wc -l < "$manifest") files and the agent links"
