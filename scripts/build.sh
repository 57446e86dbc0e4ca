#!/usr/bin/env bash
# The production build, in one place: the Dockerfile RUNs it and `make smoke` (scripts/smoke.py)
# runs it into a copy of the tree, so the image and the smoke test cannot drift apart.
#
#   scripts/build.sh deps     install the locked production dependencies
#                             (requirements/production.txt, exact versions and hashes)
#   scripts/build.sh assets   with DEBUG off: compile the catalogues, collect the static files
#                             (manifest storage: hashed names, compressed), prepare the notices'
#                             fonts
#   scripts/build.sh          both
#
# PYTHON names the interpreter (default: python, the image's). STATIC_ROOT and NOTICE_FONT_DIR
# pass through; by default they are staticfiles/ and var/fonts/ beside manage.py.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python}"

deps() {
  "$PYTHON" -m pip install --no-deps --require-hashes -r requirements/production.txt
}

# Production settings for the build steps alone: no database, broker or mail server is
# needed (the serving processes refuse to start without them, the build does not), and the
# container gets its own SECRET_KEY (the settings refuse the embedded one when DEBUG is off).
build_env=(
  DEBUG=off
  SECRET_KEY=build-only-key-never-used-at-runtime-0123456789abcdefghijklmnop
)

assets() {
  env "${build_env[@]}" "$PYTHON" manage.py compilemessages --ignore=.venv
  env "${build_env[@]}" "$PYTHON" manage.py collectstatic --noinput
  env "${build_env[@]}" "$PYTHON" manage.py prepare_notice_fonts
}

case "${1:-all}" in
  deps) deps ;;
  assets) assets ;;
  all) deps && assets ;;
  *) echo "usage: scripts/build.sh [deps|assets]" >&2; exit 2 ;;
esac
