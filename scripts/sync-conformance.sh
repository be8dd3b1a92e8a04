#!/bin/bash
# Re-copy the shared conformance scenarios into the project's own fixtures and
# report what differs. fixtures/conformance belongs to the project (a clone
# without ../shared still tests); this keeps the shared part of it in sync.
#
# Usage: scripts/sync-conformance.sh [--check] [SOURCE]
#   SOURCE   the shared conformance folder (default: ../shared/conformance,
#            relative to the repository root)
#   --check  only report differences; exit 1 if there are any
#
# Copied: py311/ and py27/ (scenarios and their .expected files), tools/
# (oracle.sh, normalize.py) and README.md. Scenarios that exist only in the
# project (the ones we wrote) are listed but never deleted; the project's
# PENDING file is not touched.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
check=0
if [ "${1:-}" = "--check" ]; then check=1; shift; fi
src=${1:-$root/../shared/conformance}
dst=$root/fixtures/conformance
if [ ! -d "$src" ]; then
  echo "sync-conformance: no shared conformance folder at $src" >&2
  exit 2
fi
src=$(cd "$src" && pwd)

changed=0
report() { printf '%-9s %s\n' "$1" "$2"; }

for sub in py311 py27 tools; do
  [ -d "$src/$sub" ] || continue
  mkdir -p "$dst/$sub"
  for f in "$src/$sub"/*; do
    [ -f "$f" ] || continue
    rel=$sub/$(basename "$f")
    if [ ! -e "$dst/$rel" ]; then
      report new "$rel"; changed=1
      [ "$check" = 1 ] || cp "$f" "$dst/$rel"
    elif ! cmp -s "$f" "$dst/$rel"; then
      report changed "$rel"; changed=1
      if [ "$check" = 1 ]; then diff -u "$dst/$rel" "$f" | sed 's/^/    /' || true
      else cp "$f" "$dst/$rel"; fi
    fi
  done
done
if [ -f "$src/README.md" ] && ! cmp -s "$src/README.md" "$dst/README.md" 2>/dev/null; then
  report changed README.md; changed=1
  [ "$check" = 1 ] || cp "$src/README.md" "$dst/README.md"
fi

own=$(for sub in py311 py27; do for f in "$dst/$sub"/*.py; do [ -e "$src/$sub/$(basename "$f")" ] || echo x; done; done | wc -l | tr -d ' ')
if [ "$changed" = 0 ]; then
  echo "sync-conformance: in sync with the shared scenarios ($own project-only scenarios untouched)"
elif [ "$check" = 1 ]; then
  echo "sync-conformance: differences found (run without --check to copy)"
  exit 1
else
  echo "sync-conformance: copied; review with git diff, then run npm run conformance -- --update-pending if needed"
fi
