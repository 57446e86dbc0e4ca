#!/bin/sh
# axe-core for the Chromium journeys' accessibility check (tests/e2e/conftest.py), from the npm
# registry into tests/e2e/vendor/ (committed: the tests need no network). Usage:
#   scripts/vendor_axe.sh [VERSION]    (default: the version vendored now, 4.14.1)
set -eu
version="${1:-4.14.1}"
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "axe-core@$version" >/dev/null && tar xzf axe-core-*.tgz)
cp "$tmp/package/axe.min.js" "$root/tests/e2e/vendor/axe.min.js"
cp "$tmp/package/LICENSE" "$root/tests/e2e/vendor/axe-core.LICENSE"
sha256sum "$root/tests/e2e/vendor/axe.min.js"
