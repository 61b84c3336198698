#!/usr/bin/env bash
# README command 2 (and CI's, through .ci/run): the whole test suite, twice;
# optionally a fuzzing run.
#
#   1. build/       Release build; every test (ctest); each benchmark at a tiny size
#   2. build-asan/  Debug build (line tables only) with AddressSanitizer +
#                   UndefinedBehaviorSanitizer; every test again. Both runs replay
#                   every fuzz target's seed corpus and saved regressions
#                   (ctest's fuzz.<target>.replay, docs/fuzzing.md)
#   3. build-fuzz/  with CRM_FUZZ_SECONDS=N (N > 0): the clang build of the libFuzzer
#                   targets in fuzz/ (ASan + UBSan), each fuzzing N seconds from its
#                   corpus. Off by default: CI keeps within its time budget with the
#                   replays; run `CRM_FUZZ_SECONDS=30 scripts/test.sh` before a release
#
# Exits non-zero if anything fails to build or any test fails.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

JOBS=$(nproc)
BENCH_SIZE=${CRM_BENCH_SMOKE_SIZE:-200}  # records per benchmark in the smoke run
CTEST_ARGS=(--output-on-failure -j2 --timeout 900 --no-tests=error)

start=$SECONDS
failures=()
passed=0
failed=0
say() { printf '\n== [%4ds] %s\n' "$((SECONDS - start))" "$*"; }

# Runs ctest in a build tree and adds its counts to the totals.
run_ctest() {
  local dir=$1 log rc=0
  log=$(mktemp)
  (cd "$dir" && ctest "${CTEST_ARGS[@]}") 2>&1 | tee "$log" || rc=$?
  local line
  line=$(grep -E '[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -n1 || true)
  if [[ $line =~ ([0-9]+)\ tests?\ failed\ out\ of\ ([0-9]+) ]]; then
    failed=$((failed + BASH_REMATCH[1]))
    passed=$((passed + BASH_REMATCH[2] - BASH_REMATCH[1]))
  fi
  rm -f "$log"
  return "$rc"
}

say "checking packages (scripts/setup.sh)"
scripts/setup.sh

# ---- 1. Release build ---------------------------------------------------------
say "configuring build/ (Release)"
# -O2: the benchmarks' ratios hold at -O2, and it builds faster than CMake's -O3.
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DCRM_SANITIZE=OFF -DCMAKE_C_FLAGS_RELEASE="-O2 -DNDEBUG" \
  -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG"
say "building build/ with $JOBS jobs"
cmake --build build -j"$JOBS"

say "ctest in build/"
run_ctest build || failures+=("tests in build/")

say "benchmark smoke runs (size $BENCH_SIZE)"
shopt -s nullglob
benches=()
for f in build/bench/*; do
  [[ -f $f && -x $f ]] && benches+=("$f")
done
if [[ ${#benches[@]} -eq 0 ]]; then
  echo "no benchmarks in build/bench: skipped"
fi
bench_dir=$(mktemp -d)  # benchmarks may write database files where they run
for b in "${benches[@]}"; do
  echo "-- $b $BENCH_SIZE"
  if (cd "$bench_dir" && timeout 300 "$OLDPWD/$b" "$BENCH_SIZE" </dev/null); then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    failures+=("benchmark $b")
  fi
done
rm -rf "$bench_dir"

# ---- 2. sanitizer build ---------------------------------------------------------
say "configuring build-asan/ (Debug, ASan + UBSan)"
# -g1: line tables are what sanitizer reports need, and full debug info is a third of the build.
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DCRM_SANITIZE=ON -DCRM_BUILD_BENCH=OFF \
  -DCMAKE_C_FLAGS_DEBUG=-g1 -DCMAKE_CXX_FLAGS_DEBUG=-g1
say "building build-asan/ with $JOBS jobs"
cmake --build build-asan -j"$JOBS"

say "ctest in build-asan/ under ASan + UBSan"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
run_ctest build-asan || failures+=("tests in build-asan/ (ASan + UBSan)")

# ---- 3. fuzz targets -------------------------------------------------------------
FUZZ_SECONDS=${CRM_FUZZ_SECONDS:-0}
if [[ $FUZZ_SECONDS -gt 0 ]]; then
  say "configuring build-fuzz/ (clang, libFuzzer + ASan + UBSan)"
  cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
    -DCRM_BUILD_FUZZ=ON -DCRM_BUILD_TESTS=OFF -DCRM_BUILD_EXAMPLES=OFF -DCRM_BUILD_BENCH=OFF
  say "building build-fuzz/ with $JOBS jobs"
  cmake --build build-fuzz -j"$JOBS"

  if [[ -x /usr/lib/llvm-14/bin/llvm-symbolizer ]]; then
    export ASAN_SYMBOLIZER_PATH=/usr/lib/llvm-14/bin/llvm-symbolizer
  fi
  fuzz_out=$(mktemp -d)  # new corpus entries, crash files and logs of this run
  # Runs one target for FUZZ_SECONDS over its seed corpus and regressions; new
  # inputs go to a scratch directory, never into the repository.
  run_fuzzer() {
    local t=$1 dirs=("fuzz/corpus/$1")
    [[ -d fuzz/regressions/$t ]] && dirs+=("fuzz/regressions/$t")
    mkdir -p "$fuzz_out/$t"
    "build-fuzz/fuzz/$t" -max_total_time="$FUZZ_SECONDS" -max_len=4096 -timeout=20 -rss_limit_mb=2048 \
      -dict=fuzz/json.dict -print_final_stats=1 -artifact_prefix="$fuzz_out/$t-" \
      "$fuzz_out/$t" "${dirs[@]}" >"$fuzz_out/$t.log" 2>&1
  }
  targets=()
  for f in fuzz/fuzz_*.cpp; do
    t=$(basename "$f" .cpp)
    [[ $t != fuzz_common ]] && targets+=("$t")
  done
  say "fuzzing ${#targets[@]} targets, $FUZZ_SECONDS s each, $JOBS at a time"
  pids=()
  for i in "${!targets[@]}"; do
    run_fuzzer "${targets[$i]}" &
    pids+=($!)
    if [[ ${#pids[@]} -ge $JOBS || $i -eq $((${#targets[@]} - 1)) ]]; then
      for j in "${!pids[@]}"; do
        t=${targets[$((i - ${#pids[@]} + 1 + j))]}
        if wait "${pids[$j]}"; then
          passed=$((passed + 1))
          printf -- '-- %s: %s\n' "$t" "$(grep -E '^stat::number_of_executed_units' "$fuzz_out/$t.log" | awk '{print $2}') executions, no failure"
        else
          failed=$((failed + 1))
          failures+=("fuzz target $t (see docs/fuzzing.md to replay the crash file)")
          printf -- '-- %s FAILED:\n' "$t"
          tail -n 60 "$fuzz_out/$t.log"
          ls "$fuzz_out/$t-"* 2>/dev/null || true
        fi
      done
      pids=()
    fi
  done
  rm -rf "$fuzz_out"
fi

# ---- summary --------------------------------------------------------------------
say "done in $((SECONDS - start)) s"
if [[ ${#failures[@]} -gt 0 ]]; then
  printf 'FAILED: %s\n' "${failures[@]}"
fi
echo "total: $passed passed, $failed failed"
[[ ${#failures[@]} -eq 0 ]]
