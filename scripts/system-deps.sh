#!/usr/bin/env bash
# Make sure the Debian packages named as arguments are installed.
# As root with apt-get it installs what is missing; otherwise it names what is missing.
set -u
missing=()
for pkg in "$@"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  command -v fc-cache >/dev/null && fc-cache -f >/dev/null 2>&1
  exit 0
fi
echo "WARNING: these Debian packages are missing: ${missing[*]}" >&2
echo "         install them with: sudo apt-get install ${missing[*]}" >&2
exit 0
