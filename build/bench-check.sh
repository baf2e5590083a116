#!/usr/bin/env bash
# The speed target of 'dotnet safe-migrate check' on a long history.
#
#   build/bench-check.sh
#
# Creates .tmp/bench-check/repo, a git repository (nested in this one, under the git-ignored .tmp,
# so that Directory.Build.props/targets, Directory.Packages.props and the dotnet-ef manifest apply)
# holding an EF Core 10 + Npgsql project (same packages as samples/Shop) whose one migrations folder
# has BENCH_MIGRATIONS (1000) migrations with designer files and a model snapshot, as
# 'dotnet ef migrations add' writes them (build/bench/generate.py), plus its safe-migrate.sum.
# Then, on a branch 'feature' that adds one more migration (recorded with 'hash'), it times whole
# processes, start-up included, as a hook or a pipeline starts them:
#
#   dotnet safe-migrate check --staged           the new migration staged, not committed (pre-commit hook)
#   dotnet safe-migrate check --against main     the new migration committed on 'feature' (pipeline)
#   dotnet safe-migrate check --against main-moved   a branch from main that added its own migration: the fork, and
#                                                the footprint analysis of both new migrations (SM203; exit 1)
#   dotnet ef migrations list --no-build --no-connect    dotnet-ef 10.0.15 of the repository's manifest, on the built project
#
# each after one untimed warm-up run: BENCH_RUNS (7) runs of ours, BENCH_EF_RUNS (3) of dotnet ef.
# It prints each median and all runs in milliseconds (wall clock; CPU time, user + system with
# child processes, too when GNU time is installed), the ratio dotnet-ef / ours (wall-clock medians),
# and the goal (median < 1000 ms and ratio >= 10) with PASS/FAIL. For reference it also times the
# tool's own executable without the 'dotnet' muxer in front, and '--version' (start-up alone).
# The history is packed (git gc) as in any clone; the new migration's objects stay loose.
# Exit code (judged on dotnet-safe-migrate run directly, as the installed hook runs it when the
# tool is on PATH): 0 when both goals pass, 1 when one fails, 2 when the set-up fails. Timings on a busy
# machine are unreliable: the report prints the load average; compare CPU times then.
#
# The tool: SAFE_MIGRATE_TOOL (path of an installed dotnet-safe-migrate), else build/install-tool.sh
# packs and installs it into .tmp/bench-check/install. Its folder goes first on PATH, so
# 'dotnet safe-migrate' finds it as it finds a tool folder on PATH. Takes about two minutes on two
# cores (most of it building the project once for dotnet ef). Logs: .tmp/bench-check/logs/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work="$root/.tmp/bench-check"
repo="$work/repo"
logs="$work/logs"
count=${BENCH_MIGRATIONS:-1000}
runs=${BENCH_RUNS:-7}
ef_runs=${BENCH_EF_RUNS:-3}
goal_ms=1000
goal_ratio=10
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

rm -rf "$logs"; mkdir -p "$logs"
step() { echo "== $*" >&2; }
fail() { echo "bench-check: $*" >&2; exit 2; }

# --- the tool ------------------------------------------------------------------------------
source "$root/build/bench/common.sh"
bench_tool
export PATH="$(cd "$(dirname "$tool")" && pwd):$PATH"
version=$(dotnet safe-migrate --version 2>"$logs/version.log" | tail -n 1) || fail "'dotnet safe-migrate --version' failed; see $logs/version.log"

# --- the repository ------------------------------------------------------------------------
step "generating $count migrations in $repo"
rm -rf "$repo"; mkdir -p "$repo"
python3 "$root/build/bench/generate.py" "$repo/Bench" 1 "$count"
printf 'bin/\nobj/\n' > "$repo/.gitignore"
cd "$repo"
git init -q -b main
git config user.name "bench"; git config user.email "bench@example.invalid"; git config commit.gpgsign false
dotnet safe-migrate hash >"$logs/hash-main.log" 2>&1 || fail "'dotnet safe-migrate hash' failed; see $logs/hash-main.log"
git add -A; git commit -qm "$count migrations"
# A clone holds its history in packs, not as loose objects: pack it as a real repository would be.
git gc --quiet

step "adding migration $((count + 1)) on branch 'feature' (staged, recorded with hash)"
git checkout -q -b feature
python3 "$root/build/bench/generate.py" "$repo/Bench" "$((count + 1))" "$((count + 1))"
dotnet safe-migrate hash >"$logs/hash-feature.log" 2>&1 || fail "'dotnet safe-migrate hash' failed; see $logs/hash-feature.log"
git add -A

step "building the project once (dotnet ef needs its assembly)"
dotnet tool restore >"$logs/tool-restore.log" 2>&1 || fail "'dotnet tool restore' failed; see $logs/tool-restore.log"
dotnet build Bench -nologo -v:q -clp:ErrorsOnly >"$logs/build.log" 2>&1 || fail "building the project failed; see $logs/build.log"

load_start=$(cut -d ' ' -f 1-3 /proc/loadavg 2>/dev/null || echo "?")

# --- timing --------------------------------------------------------------------------------
# CPU time (user + system, children included) comes from GNU time when it is installed; it says
# more than wall-clock time when other work shares the machine.
gnu_time=""
[ -x /usr/bin/time ] && /usr/bin/time -f "%U" -o /dev/null true 2>/dev/null && gnu_time=/usr/bin/time
median_of() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

# measure NAME RUNS EXPECTED_EXIT_CODE COMMAND...: one warm-up run, then RUNS timed runs.
# Sets $median and $all (wall-clock milliseconds), $cpu_median and $cpu_all (CPU milliseconds, or "-").
measure() {
  local name=$1 n=$2 expect=$3; shift 3
  local log="$logs/$name.log" times=() cpus=() i start end code user sys
  step "timing $name ($n runs): $*"
  for ((i = 0; i <= n; i++)); do
    start=$(date +%s%N)
    set +e
    if [ -n "$gnu_time" ]; then "$gnu_time" -f "%U %S" -o "$logs/cpu.txt" "$@" >>"$log" 2>&1; else "$@" >>"$log" 2>&1; fi
    code=$?
    set -e
    end=$(date +%s%N)
    [ "$code" -eq "$expect" ] || fail "'$*' exited $code (expected $expect); see $log"
    [ "$i" -eq 0 ] && continue
    times+=($(((end - start) / 1000000)))
    if [ -n "$gnu_time" ]; then read -r user sys < <(tail -n 1 "$logs/cpu.txt"); cpus+=($(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%d", (u + s) * 1000 }')); fi
  done
  all="${times[*]}"; median=$(median_of "${times[@]}")
  if [ -n "$gnu_time" ]; then cpu_all="${cpus[*]}"; cpu_median=$(median_of "${cpus[@]}"); else cpu_all="-"; cpu_median="-"; fi
}

measure check-staged "$runs" 0 dotnet safe-migrate check --staged
staged_median=$median staged_all=$all staged_cpu=$cpu_median staged_cpu_all=$cpu_all
measure direct-check-staged "$runs" 0 dotnet-safe-migrate check --staged
direct_staged_median=$median direct_staged_all=$all direct_staged_cpu=$cpu_median direct_staged_cpu_all=$cpu_all

git commit -qm "Step$(printf %04d $((count + 1)))"
measure check-against "$runs" 0 dotnet safe-migrate check --against main
against_median=$median against_all=$all against_cpu=$cpu_median against_cpu_all=$cpu_all
measure direct-check-against "$runs" 0 dotnet-safe-migrate check --against main
direct_against_median=$median direct_against_all=$all direct_against_cpu=$cpu_median direct_against_cpu_all=$cpu_all
# The footprint analysis (SM203) runs when both sides added migrations since the merge base: a branch from main adds
# its own migration (the same step under another id), so 'check --against main-moved' on 'feature' finds the fork and
# reads both new migrations' Up as syntax (both drop Step<count> and add Step<count+1> on Customers: exit 1).
step "adding a migration under another id on branch 'main-moved' (from main), for check --against with the footprint analysis"
git checkout -q -b main-moved main
python3 "$root/build/bench/generate.py" "$repo/Bench" "$((count + 1))" "$((count + 1))"
python3 - "$repo/Bench/Migrations" <<'PY'
import os, sys
folder = sys.argv[1]
for name in sorted(os.listdir(folder)):
    if name.endswith(".cs") and "_Step" in name and not name.endswith("Snapshot.cs"):
        last = name
old_id = last.split(".")[0]
new_id = old_id + "OnMain"
for suffix in (".cs", ".Designer.cs"):
    path = os.path.join(folder, old_id + suffix)
    with open(path, encoding="utf-8-sig") as f:
        text = f.read().replace('"' + old_id + '"', '"' + new_id + '"')
    with open(os.path.join(folder, new_id + suffix), "w", encoding="utf-8-sig", newline="\n") as f:
        f.write(text)
    os.remove(path)
PY
dotnet safe-migrate hash >"$logs/hash-main-moved.log" 2>&1 || fail "'dotnet safe-migrate hash' failed; see $logs/hash-main-moved.log"
git add -A; git commit -qm "Step$(printf %04d $((count + 1))) under another id"
git checkout -q feature
measure check-against-fork "$runs" 1 dotnet safe-migrate check --against main-moved
fork_median=$median fork_all=$all fork_cpu=$cpu_median fork_cpu_all=$cpu_all
measure direct-check-against-fork "$runs" 1 dotnet-safe-migrate check --against main-moved
direct_fork_median=$median direct_fork_all=$all direct_fork_cpu=$cpu_median direct_fork_cpu_all=$cpu_all
grep -q "SM203" "$logs/direct-check-against-fork.log" || fail "check --against main-moved reported no SM203; see $logs/direct-check-against-fork.log"

measure version "$runs" 0 dotnet safe-migrate --version
version_median=$median version_all=$all version_cpu=$cpu_median version_cpu_all=$cpu_all
measure direct-version "$runs" 0 dotnet-safe-migrate --version
direct_version_median=$median direct_version_all=$all direct_version_cpu=$cpu_median direct_version_cpu_all=$cpu_all

measure ef-list "$ef_runs" 0 dotnet ef migrations list --no-build --no-connect --project Bench --startup-project Bench
ef_median=$median ef_all=$all ef_cpu=$cpu_median ef_cpu_all=$cpu_all
listed=$(dotnet ef migrations list --no-build --no-connect --project Bench --startup-project Bench --prefix-output 2>/dev/null | grep -c '^data: ' || true)
[ "$listed" -eq "$((count + 1))" ] || fail "dotnet ef listed $listed migrations, expected $((count + 1)); see $logs/ef-list.log"

# --- report --------------------------------------------------------------------------------
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b > 0 ? a / b : 0) }'; }
verdict() { awk -v m="$1" -v r="$2" -v gm="$goal_ms" -v gr="$goal_ratio" 'BEGIN { print (m < gm && r >= gr) ? "PASS" : "FAIL" }'; }
staged_ratio=$(ratio "$ef_median" "$staged_median")
against_ratio=$(ratio "$ef_median" "$against_median")
staged_verdict=$(verdict "$staged_median" "$staged_ratio")
against_verdict=$(verdict "$against_median" "$against_ratio")
direct_staged_ratio=$(ratio "$ef_median" "$direct_staged_median")
direct_against_ratio=$(ratio "$ef_median" "$direct_against_median")
direct_staged_verdict=$(verdict "$direct_staged_median" "$direct_staged_ratio")
direct_against_verdict=$(verdict "$direct_against_median" "$direct_against_ratio")

load_end=$(cut -d ' ' -f 1-3 /proc/loadavg 2>/dev/null || echo "?")
row() { printf '%-56s median %6s ms   runs: %-42s cpu median %5s ms   runs: %s\n' "$@"; }
echo
echo "bench-check: $count migrations (+1 new) in one folder, $(nproc) cores, load average $load_start (start) / $load_end (end), .NET SDK $(dotnet --version), dotnet-safe-migrate $version"
row "dotnet safe-migrate check --staged" "$staged_median" "$staged_all" "$staged_cpu" "$staged_cpu_all"
row "dotnet safe-migrate check --against main" "$against_median" "$against_all" "$against_cpu" "$against_cpu_all"
row "dotnet ef migrations list --no-build --no-connect" "$ef_median" "$ef_all" "$ef_cpu" "$ef_cpu_all"
row "dotnet-safe-migrate check --staged (what the hook runs)" "$direct_staged_median" "$direct_staged_all" "$direct_staged_cpu" "$direct_staged_cpu_all"
row "dotnet-safe-migrate check --against main" "$direct_against_median" "$direct_against_all" "$direct_against_cpu" "$direct_against_cpu_all"
row "dotnet safe-migrate check --against main-moved (fork, footprints)" "$fork_median" "$fork_all" "$fork_cpu" "$fork_cpu_all"
row "dotnet-safe-migrate check --against main-moved (fork, footprints)" "$direct_fork_median" "$direct_fork_all" "$direct_fork_cpu" "$direct_fork_cpu_all"
echo "start-up alone, for reference:"
row "  dotnet safe-migrate --version" "$version_median" "$version_all" "$version_cpu" "$version_cpu_all"
row "  dotnet-safe-migrate --version" "$direct_version_median" "$direct_version_all" "$direct_version_cpu" "$direct_version_cpu_all"
echo "goal: median < $goal_ms ms and ratio dotnet-ef / ours >= $goal_ratio"
echo "  dotnet-safe-migrate check --staged:        $direct_staged_verdict ($direct_staged_median ms, ratio $direct_staged_ratio)"
echo "  dotnet-safe-migrate check --against main:  $direct_against_verdict ($direct_against_median ms, ratio $direct_against_ratio)"
direct_fork_verdict=$(awk -v m="$direct_fork_median" -v gm="$goal_ms" 'BEGIN { print (m < gm) ? "PASS" : "FAIL" }')
echo "  dotnet-safe-migrate check --against main-moved (fork; both sides' new migrations read as syntax): $direct_fork_verdict ($direct_fork_median ms; goal < $goal_ms ms)"
echo "  dotnet safe-migrate check --staged:        $staged_verdict ($staged_median ms, ratio $staged_ratio)"
echo "  dotnet safe-migrate check --against main:  $against_verdict ($against_median ms, ratio $against_ratio)"
echo "The installed hook runs dotnet-safe-migrate directly when it is on PATH (global tools are); 'dotnet safe-migrate'"
echo "adds the dotnet host's own start-up (the --version rows), which dotnet ef pays too."
[ "$direct_staged_verdict" = PASS ] && [ "$direct_against_verdict" = PASS ] && [ "$direct_fork_verdict" = PASS ]
