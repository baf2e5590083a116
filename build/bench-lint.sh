#!/usr/bin/env bash
# The time of 'dotnet safe-migrate lint' on a long history, next to 'check --build'.
#
#   build/bench-lint.sh
#
# Creates .tmp/bench-lint/repo, a git repository (nested in this one, under the git-ignored .tmp, so
# that Directory.Build.props/targets and Directory.Packages.props apply) holding the EF Core 10 +
# Npgsql project of build/bench-check.sh (build/bench/generate.py) with BENCH_MIGRATIONS (160, a
# bitwarden-sized history) migrations, designer files, snapshot and safe-migrate.sum. It builds the
# project once, then times whole processes, start-up and loading the app included, each after one
# untimed warm-up run, BENCH_RUNS (5) times:
#
#   dotnet safe-migrate lint --no-build            every migration (no database: default severities)
#   dotnet safe-migrate lint --no-build --json     the same as JSON
#   dotnet safe-migrate check --build --no-build   the model checks (pending model changes, snapshot,
#                                                  each migration against its parent's target model)
#
# and prints each median and all runs in milliseconds (wall clock; CPU time too when GNU time is
# installed), and the number of findings. Every generated step drops the column the step before
# added, so lint reports one SM512 per migration (exit 1 is expected). Timings on a busy machine are
# unreliable: the report prints the load average.
#
# The tool: SAFE_MIGRATE_TOOL (path of an installed dotnet-safe-migrate), else build/install-tool.sh
# packs and installs it into .tmp/bench-lint/install. Logs: .tmp/bench-lint/logs/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work="$root/.tmp/bench-lint"
repo="$work/repo"
logs="$work/logs"
count=${BENCH_MIGRATIONS:-160}
runs=${BENCH_RUNS:-5}
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

rm -rf "$logs"; mkdir -p "$logs"
step() { echo "== $*" >&2; }
fail() { echo "bench-lint: $*" >&2; exit 2; }

source "$root/build/bench/common.sh"
bench_tool
export PATH="$(cd "$(dirname "$tool")" && pwd):$PATH"
version=$(dotnet safe-migrate --version 2>"$logs/version.log" | tail -n 1) || fail "'dotnet safe-migrate --version' failed; see $logs/version.log"

step "generating $count migrations in $repo"
rm -rf "$repo"; mkdir -p "$repo"
python3 "$root/build/bench/generate.py" "$repo/Bench" 1 "$count"
printf 'bin/\nobj/\n' > "$repo/.gitignore"
cd "$repo"
git init -q -b main
git config user.name "bench"; git config user.email "bench@example.invalid"; git config commit.gpgsign false
dotnet safe-migrate hash >"$logs/hash.log" 2>&1 || fail "'dotnet safe-migrate hash' failed; see $logs/hash.log"
git add -A; git commit -qm "$count migrations"

step "building the project once"
dotnet build Bench -nologo -v:q -clp:ErrorsOnly >"$logs/build.log" 2>&1 || fail "building the project failed; see $logs/build.log"

load_start=$(cut -d ' ' -f 1-3 /proc/loadavg 2>/dev/null || echo "?")
gnu_time=""
[ -x /usr/bin/time ] && /usr/bin/time -f "%U" -o /dev/null true 2>/dev/null && gnu_time=/usr/bin/time
median_of() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

# measure NAME EXPECTED_EXIT_CODE COMMAND...: one warm-up run, then $runs timed runs; sets $median, $all, $cpu_median, $cpu_all.
measure() {
  local name=$1 expect=$2; shift 2
  local log="$logs/$name.log" times=() cpus=() i start end code user sys
  step "timing $name ($runs runs): $*"
  for ((i = 0; i <= runs; i++)); do
    start=$(date +%s%N)
    set +e
    if [ -n "$gnu_time" ]; then "$gnu_time" -f "%U %S" -o "$logs/cpu.txt" "$@" >"$log" 2>"$log.err"; else "$@" >"$log" 2>"$log.err"; fi
    code=$?
    set -e
    end=$(date +%s%N)
    [ "$code" -eq "$expect" ] || fail "'$*' exited $code (expected $expect); see $log and $log.err"
    [ "$i" -eq 0 ] && continue
    times+=($(((end - start) / 1000000)))
    # GNU time puts "Command exited with non-zero status N" before the figures when the exit code is not 0.
    if [ -n "$gnu_time" ]; then read -r user sys < <(tail -n 1 "$logs/cpu.txt"); cpus+=($(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%d", (u + s) * 1000 }')); fi
  done
  all="${times[*]}"; median=$(median_of "${times[@]}")
  if [ -n "$gnu_time" ]; then cpu_all="${cpus[*]}"; cpu_median=$(median_of "${cpus[@]}"); else cpu_all="-"; cpu_median="-"; fi
}

measure lint 1 dotnet safe-migrate lint --no-build -p Bench
lint_median=$median lint_all=$all lint_cpu=$cpu_median lint_cpu_all=$cpu_all
measure lint-json 1 dotnet safe-migrate lint --no-build --json -p Bench
json_median=$median json_all=$all json_cpu=$cpu_median json_cpu_all=$cpu_all
findings=$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(len(d['findings']), 'findings in', len(d['migrations']), 'migrations')" "$logs/lint-json.log")
measure check-build 0 dotnet safe-migrate check --build --no-build -p Bench
check_median=$median check_all=$all check_cpu=$cpu_median check_cpu_all=$cpu_all
load_end=$(cut -d ' ' -f 1-3 /proc/loadavg 2>/dev/null || echo "?")

echo
echo "bench-lint: dotnet-safe-migrate $version, $count migrations, $(nproc) core(s), load average $load_start -> $load_end"
echo "  lint --no-build              median ${lint_median} ms (runs: $lint_all), CPU median ${lint_cpu} ms (runs: $lint_cpu_all); $findings"
echo "  lint --no-build --json       median ${json_median} ms (runs: $json_all), CPU median ${json_cpu} ms (runs: $json_cpu_all)"
echo "  check --build --no-build     median ${check_median} ms (runs: $check_all), CPU median ${check_cpu} ms (runs: $check_cpu_all)"
