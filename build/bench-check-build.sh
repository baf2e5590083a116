#!/usr/bin/env bash
# The speed target of 'dotnet safe-migrate check --build' (issue 12 §1): a warm check --build costs at most 2× what
# 'dotnet ef migrations has-pending-model-changes' costs, on a generated BENCH_MIGRATIONS-migration (200) project shaped
# like a real application's (build/bench/generate.py --shape app, as build/bench-apply.sh generates it).
#
#   build/bench-check-build.sh
#
# Like for like: the project is built once (Release) and both tools run on that build without building it again:
#
#   dotnet ef migrations has-pending-model-changes --no-build    loads the app, builds its model and the snapshot's, diffs them
#   dotnet safe-migrate check --build --no-build, cold           the model check cache removed before each run
#   dotnet safe-migrate check --build --no-build, warm           the cache the run before wrote
#
# 'check --build' is the model tier ("also check the model"); '--no-build' (dotnet ef's option, on every project command)
# says not to build the project for it, so 'check --build --no-build' checks the model of the last build, as
# 'has-pending-model-changes --no-build' does. Without --no-build both sides would add the same MSBuild run. check --build
# does more than dotnet ef: the fast checks (safe-migrate.sum, git), the snapshot against the newest migration's target
# model (SM302) and every migration's operations against its parent's and its own target model (SM303), the part the
# cache (obj/safe-migrate/model-check-cache of the migrations project) makes unnecessary when the files did not change.
# The generated project has a sum file (safe-migrate hash) and lives in a git repository of its own under .tmp.
# The --shape app model has entity classes for Customer and Order only, so its code model differs from the snapshot:
# both tools report pending model changes and exit 1 (expected; both compute the whole difference either way).
#
# Each command runs BENCH_RUNS (5) times after one untimed warm-up; the medians (wall clock, whole processes, start-up
# included), all runs, and the ratios warm/ef and cold/ef are printed with `uptime`: timings on a busy machine are
# unreliable. Exit 0 when warm/ef <= 2.0, 1 when not, 2 when the set-up fails.
#
# The tool: SAFE_MIGRATE_TOOL (path of an installed dotnet-safe-migrate), else build/install-tool.sh packs and installs it
# into .tmp/bench-check-build/install; its folder goes first on PATH, so 'dotnet safe-migrate' finds it as 'dotnet ef'
# finds the repository's tool manifest. No database is needed. Logs: .tmp/bench-check-build/logs/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work="$root/.tmp/bench-check-build"
logs="$work/logs"
count=${BENCH_MIGRATIONS:-200}
runs=${BENCH_RUNS:-5}
goal_ratio=2.0
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

rm -rf "$logs"; mkdir -p "$logs"
step() { echo "== $*" >&2; }
fail() { echo "bench-check-build: $*" >&2; exit 2; }
[ "$count" -ge 1 ] && [ "$runs" -ge 1 ] || fail "BENCH_MIGRATIONS and BENCH_RUNS must be 1 or more."

source "$root/build/bench/common.sh"
bench_tool
export PATH="$(cd "$(dirname "$tool")" && pwd):$PATH"

# --- the project ---------------------------------------------------------------------------
repo="$work/repo"
project="$repo/Bench"
step "generating $count migrations (--shape app) in $project"
rm -rf "$repo"; mkdir -p "$repo"
python3 "$root/build/bench/generate.py" --shape app "$project" 1 "$count"
printf 'bin/\nobj/\n' > "$repo/.gitignore"
(cd "$repo" && git init -q -b main && git config user.name bench && git config user.email bench@example.invalid && git config commit.gpgsign false)
(cd "$project" && dotnet safe-migrate hash) >"$logs/hash.log" 2>&1 || fail "'dotnet safe-migrate hash' failed; see $logs/hash.log"
(cd "$repo" && git add -A && git commit -qm "$count migrations")
step "building $project once (Release; both tools then run with --no-build)"
dotnet build "$project" -c Release -nologo -v:q -clp:ErrorsOnly >"$logs/build.log" 2>&1 || fail "building failed; see $logs/build.log"
(cd "$root" && dotnet tool restore) >"$logs/tool-restore.log" 2>&1 || fail "'dotnet tool restore' failed; see $logs/tool-restore.log"
cache="$project/obj/safe-migrate/model-check-cache"

ms_now() { echo $(( $(date +%s%N) / 1000000 )); }
ef_pending() { (cd "$project" && dotnet ef migrations has-pending-model-changes --no-build --configuration Release --project . --startup-project .); }
sm_check() { (cd "$project" && dotnet safe-migrate check --build --no-build --configuration Release --no-color --verbose); }
sm_check_cold() { rm -f "$cache"; sm_check; }
# timed LOG EXPECTED_EXIT COMMAND...: prints the milliseconds it took; fails the bench on another exit code
timed() {
  local log=$1 expect=$2 start code; shift 2
  start=$(ms_now)
  set +e; "$@" >>"$log" 2>&1; code=$?; set -e
  [ "$code" -eq "$expect" ] || fail "'$*' exited $code (expected $expect); see $log"
  echo $(( $(ms_now) - start ))
}
median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

step "warming up (untimed)"
timed "$logs/warmup.log" 1 ef_pending >/dev/null
timed "$logs/warmup.log" 1 sm_check_cold >/dev/null
[ -f "$cache" ] || fail "check --build wrote no model check cache at $cache; see $logs/warmup.log"

ef=() cold=() warm=()
for r in $(seq 1 "$runs"); do
  step "run $r of $runs"
  ef+=("$(timed "$logs/ef.log" 1 ef_pending)")
  cold+=("$(timed "$logs/cold.log" 1 sm_check_cold)")
  warm+=("$(timed "$logs/warm.log" 1 sm_check)")
done
grep -q "SM301" "$logs/warm.log" || fail "the warm check --build reported no pending model changes (SM301); see $logs/warm.log"
grep -q "Changes have been made to the model" "$logs/ef.log" || fail "dotnet ef reported no pending model changes; see $logs/ef.log"
cold_findings=$(grep -o 'SM3[0-9][0-9]' "$logs/cold.log" | sort | uniq -c | awk '{ print $2 "×" $1 / '"$runs"' }' | tr '\n' ' ')
warm_findings=$(grep -o 'SM3[0-9][0-9]' "$logs/warm.log" | sort | uniq -c | awk '{ print $2 "×" $1 / '"$runs"' }' | tr '\n' ' ')
[ "$cold_findings" = "$warm_findings" ] || fail "cold and warm runs found different model findings ($cold_findings / $warm_findings); see $logs/"

ef_ms=$(median "${ef[@]}") cold_ms=$(median "${cold[@]}") warm_ms=$(median "${warm[@]}")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
secs() { awk -v m="$1" 'BEGIN { printf "%.2f", m / 1000 }'; }
warm_ratio=$(ratio "$warm_ms" "$ef_ms")
verdict=$(awk -v r="$warm_ratio" -v g="$goal_ratio" 'BEGIN { print (r <= g) ? "PASS" : "FAIL" }')
echo
echo "bench-check-build: $count migrations ($(basename "$project"), --shape app), built once, median of $runs (runs in ms)"
printf '  %-58s %7s s   runs: %s\n' "dotnet ef migrations has-pending-model-changes --no-build" "$(secs "$ef_ms")" "${ef[*]}"
printf '  %-58s %7s s   runs: %-30s %s× ef\n' "safe-migrate check --build --no-build, cold cache" "$(secs "$cold_ms")" "${cold[*]}" "$(ratio "$cold_ms" "$ef_ms")"
printf '  %-58s %7s s   runs: %-30s %s× ef (target ≤ %s): %s\n' "safe-migrate check --build --no-build, warm cache" "$(secs "$warm_ms")" "${warm[*]}" "$warm_ratio" "$goal_ratio" "$verdict"
echo "  model findings per run (cold = warm): $warm_findings"
grep -h "Model check of" "$logs/warm.log" | tail -n 1 | sed 's/^/  warm run: /' || true
grep -h "Model check times" "$logs/warm.log" | tail -n 1 | sed -e 's/^[a-z]*: *//' -e 's/ (cache: .*)//' -e 's/^/  warm run: /' || true
grep -h "Model check of" "$logs/cold.log" | tail -n 1 | sed 's/^/  cold run: /' || true
grep -h "Model check times" "$logs/cold.log" | tail -n 1 | sed -e 's/^[a-z]*: *//' -e 's/ (cache: .*)//' -e 's/^/  cold run: /' || true
echo "  machine: $(nproc) cores; $(uptime)"
[ "$verdict" = PASS ]
