#!/usr/bin/env bash
# Installs what crm needs to build and test on Debian 12 (bookworm) — and only
# what is missing. Safe to run again: with everything present it changes nothing.
# Nothing is downloaded except Debian packages through apt-get.
set -euo pipefail

PACKAGES=(
  cmake g++ make pkg-config        # toolchain
  libsqlite3-dev libsqlitecpp-dev  # storage
  sqlite3                          # the sqlite3 shell: bench_import's baseline (.import)
  libfmt-dev libboost-dev          # fmt, Boost.Outcome (header-only)
  nlohmann-json3-dev               # JSON documents
  libicu-dev libphonenumber-dev    # normalisation: Unicode (NFKC, IDNA, encodings), phone numbers
  catch2                           # unit tests (Catch2 v2)
  python3                          # ctypes example test, CLI tests
  clang libclang-rt-14-dev         # fuzz targets: clang and its libFuzzer/sanitizer runtimes
  llvm-14                          # llvm-symbolizer: readable stacks in fuzz and sanitizer reports
)

say() { printf 'setup: %s\n' "$*"; }

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  say "this is not a Debian-like system (no dpkg-query/apt-get); install these yourself:"
  say "  ${PACKAGES[*]}"
  exit 1
fi

missing=()
for p in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  if [[ "$status" != "install ok installed" ]]; then
    missing+=("$p")
  fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
  say "all ${#PACKAGES[@]} required packages are installed"
  exit 0
fi

say "missing: ${missing[*]}"
if [[ $(id -u) -eq 0 ]]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1; then
  SUDO=(sudo)
  say "not root: using sudo"
else
  say "not root and no sudo: as root, run"
  say "  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
say "apt-get update"
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update </dev/null
say "apt-get install -y --no-install-recommends ${missing[*]}"
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" </dev/null
say "installed: ${missing[*]}"
