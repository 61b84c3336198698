#!/usr/bin/env bash
# README command 1: set up, build, and run the crm CLI's demo on a fresh sample company.
#
#   scripts/demo.sh            # database in build/demo.crm (replaced on each run)
#   CRM_DEMO_DB=my.crm scripts/demo.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

say() { printf '\n== %s\n' "$*"; }

say "checking packages (scripts/setup.sh)"
scripts/setup.sh

say "configuring build/ (Release)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_FLAGS_RELEASE="-O2 -DNDEBUG" -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG"

say "building with $(nproc) jobs"
cmake --build build -j"$(nproc)"

if [[ ! -x build/bin/crm ]]; then
  echo "demo: build/bin/crm was not built (examples/crm has no sources yet?)" >&2
  exit 1
fi

db=${CRM_DEMO_DB:-build/demo.crm}
rm -f -- "$db" "$db-wal" "$db-shm"

say "build/bin/crm --db $db demo --size small"
build/bin/crm --db "$db" demo --size small

say "done: the sample company is in $db"
echo "   the commands of the tour work on it: export CRM_DB=$db, then e.g. build/bin/crm deal list"
echo "   (build/bin/crm --help lists every command; docs/sample.md tells what the company holds)"
