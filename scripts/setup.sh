#!/usr/bin/env bash
# Installs the Debian packages aswg needs to build, run and test (only those that are missing).
set -euo pipefail

PACKAGES=(
  build-essential cmake pkg-config
  libmicrohttpd-dev libjansson-dev libsqlite3-dev libcurl4-gnutls-dev libzip-dev zlib1g-dev libgnutls28-dev libsodium-dev libcrypt-dev
  libcmocka-dev python3 valgrind clang-14 libclang-rt-14-dev clang-tidy-14 tzdata cppcheck
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "setup: run as root or install sudo" >&2; exit 1; }
  SUDO=sudo
fi
echo "setup: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
