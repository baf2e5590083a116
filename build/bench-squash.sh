#!/usr/bin/env bash
# What 'dotnet safe-migrate squash' costs and what it saves, on a long history.
#
#   build/bench-squash.sh
#
# Creates .tmp/bench-squash/repo, a git repository (under the git-ignored .tmp, so that
# Directory.Build.props/targets and Directory.Packages.props apply) holding the EF Core 10 + Npgsql
# project of build/bench/generate.py with BENCH_MIGRATIONS (200) migrations (Step0001 creates two
# tables, every later step drops the column the step before added and adds one), plus a
# ProjectReference to src/EfSafeMigrate (the squashed migration's [Replaces] needs it) and its
# safe-migrate.sum. Then it times whole processes, start-up included, with --no-build after one build:
#
#   dotnet-safe-migrate squash Step0001 Step<N> --no-build      BENCH_RUNS (3) runs, files reset in between
#   dotnet-safe-migrate apply --no-build --no-backup            to an empty database, BEFORE the squash (N migrations)
#   dotnet-safe-migrate apply --no-build --no-backup            to an empty database, AFTER the squash (the squashed one)
#
# and prints the medians in milliseconds, the migration time the tool reports itself ("Done: ... in
# X ms"), the ratio originals / squashed for both, and whether the two databases have the same
# schema (pg_dump --schema-only, lines sorted: the squash creates each table with its final columns).
#
# The tool: SAFE_MIGRATE_TOOL (path of an installed dotnet-safe-migrate), else build/install-tool.sh
# packs and installs it into .tmp/bench-squash/install. PostgreSQL: SAFE_MIGRATE_BENCH_CONNECTION (a
# server's connection string without Database), else a throwaway cluster in .tmp/bench-squash/postgres
# (tools/throwaway-postgres.sh), stopped at the end. Databases are named BENCH_DB_PREFIX (squashtest_bench)
# _originals and _squashed, and dropped at the end. Logs: .tmp/bench-squash/logs/. Exit code: 0 when
# every step worked and the schemas match, 1 when they differ, 2 when a step fails.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work="$root/.tmp/bench-squash"
repo="$work/repo"
logs="$work/logs"
count=${BENCH_MIGRATIONS:-200}
runs=${BENCH_RUNS:-3}
prefix=${BENCH_DB_PREFIX:-squashtest_bench}
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

rm -rf "$logs"; mkdir -p "$logs"
step() { echo "== $*" >&2; }
fail() { echo "bench-squash: $*" >&2; exit 2; }
[ "$count" -ge 2 ] || fail "BENCH_MIGRATIONS must be 2 or more (a squash replaces two or more migrations)."

# --- the tool and the server ---------------------------------------------------------------
source "$root/build/bench/common.sh"
bench_tool

bench_server
drop_databases() { for d in originals squashed; do psql_admin -c "DROP DATABASE IF EXISTS \"${prefix}_$d\" WITH (FORCE)" >/dev/null 2>&1 || true; done; }
drop_databases

# --- the repository ------------------------------------------------------------------------
step "generating $count migrations in $repo"
rm -rf "$repo"; mkdir -p "$repo"
python3 "$root/build/bench/generate.py" "$repo/Bench" 1 "$count"
sed -i "s#</Project>#  <ItemGroup>\n    <ProjectReference Include=\"$root/src/EfSafeMigrate/EfSafeMigrate.csproj\" />\n  </ItemGroup>\n\n</Project>#" "$repo/Bench/Bench.csproj"
printf 'bin/\nobj/\n' > "$repo/.gitignore"
cd "$repo"
git init -q -b main
git config user.name "bench"; git config user.email "bench@example.invalid"; git config commit.gpgsign false
(cd Bench && "$tool" hash) >"$logs/hash.log" 2>&1 || fail "'hash' failed; see $logs/hash.log"
git add -A; git commit -qm "$count migrations"

step "building the project (before the squash)"
dotnet build Bench -nologo -v:q -clp:ErrorsOnly >"$logs/build-before.log" 2>&1 || fail "building the project failed; see $logs/build-before.log"

median_of() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
ms_now() { echo $(( $(date +%s%N) / 1000000 )); }
# timed LOG COMMAND...: runs it from Bench/, sets $elapsed (wall-clock ms); fails the bench on a non-zero exit.
timed() {
  local log=$1 start code; shift
  start=$(ms_now)
  set +e; (cd Bench && "$@") >"$log" 2>&1; code=$?; set -e
  elapsed=$(( $(ms_now) - start ))
  [ "$code" -eq 0 ] || fail "'$*' exited $code; see $log"
}
reported_ms() { sed -n 's/^Done: [0-9]* step(s) in \([0-9]*\) ms.*/\1/p' "$1" | tail -n 1; }

# --- apply the originals -------------------------------------------------------------------
step "applying the $count original migrations to an empty database (${prefix}_originals)"
timed "$logs/apply-originals.log" "$tool" apply --no-build --no-backup --connection "$server;Database=${prefix}_originals"
apply_originals=$elapsed; apply_originals_reported=$(reported_ms "$logs/apply-originals.log")

# --- squash --------------------------------------------------------------------------------
first=$(printf 'Step%04d' 1); last=$(printf 'Step%04d' "$count")
squash_times=()
for ((i = 1; i <= runs; i++)); do
  git checkout -q -- . && git clean -qfd -e bin -e obj
  step "timing squash $first $last (run $i of $runs)"
  timed "$logs/squash-$i.log" "$tool" squash "$first" "$last" --no-build
  squash_times+=("$elapsed")
done
squash_median=$(median_of "${squash_times[@]}")
squashed_file=$(ls Bench/Migrations/*Squashed*.cs | grep -v Designer)
ops=$(grep -c 'migrationBuilder\.' "$squashed_file" || true)

step "building the project (with the squashed migration)"
dotnet build Bench -nologo -v:q -clp:ErrorsOnly >"$logs/build-after.log" 2>&1 || fail "building the project with the squashed migration failed; see $logs/build-after.log"

# --- apply the squashed migration ----------------------------------------------------------
step "applying to an empty database (${prefix}_squashed): the squashed migration"
timed "$logs/apply-squashed.log" "$tool" apply --no-build --no-backup --connection "$server;Database=${prefix}_squashed"
apply_squashed=$elapsed; apply_squashed_reported=$(reported_ms "$logs/apply-squashed.log")
steps_squashed=$(sed -n 's/^Done: \([0-9]*\) step(s).*/\1/p' "$logs/apply-squashed.log" | tail -n 1)

schema() { pg_dump --schema-only -d "${prefix}_$1" | grep -v -e '^--' -e '^\\restrict' -e '^\\unrestrict' -e '^$' | sed 's/,$//' | sort; }
schema originals >"$logs/schema-originals.sql"; schema squashed >"$logs/schema-squashed.sql"
if diff -q "$logs/schema-originals.sql" "$logs/schema-squashed.sql" >/dev/null; then same="yes"; else same="NO (diff $logs/schema-originals.sql $logs/schema-squashed.sql)"; fi
drop_databases

# --- report --------------------------------------------------------------------------------
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b > 0 ? a / b : 0) }'; }
echo
echo "bench-squash: $count migrations, $(nproc) cores, load average $(cut -d ' ' -f 1-3 /proc/loadavg 2>/dev/null || echo "?"), .NET SDK $(dotnet --version), $("$tool" --version 2>/dev/null | tail -n 1)"
printf '%-62s median %6s ms   runs: %s\n' "dotnet-safe-migrate squash $first $last --no-build" "$squash_median" "${squash_times[*]}"
printf '%-62s %s operation call(s) in %s\n' "  squashed migration" "$ops" "$(basename "$squashed_file")"
printf '%-62s %6s ms   (migrations: %s ms as the tool reports)\n' "apply to an empty database, $count original migrations" "$apply_originals" "$apply_originals_reported"
printf '%-62s %6s ms   (migrations: %s ms as the tool reports, %s step(s))\n' "apply to an empty database, the squashed migration" "$apply_squashed" "$apply_squashed_reported" "$steps_squashed"
echo "ratio originals / squashed: $(ratio "$apply_originals" "$apply_squashed") (whole process), $(ratio "$apply_originals_reported" "$apply_squashed_reported") (migrations alone)"
echo "same schema (pg_dump --schema-only, lines sorted): $same"
[ "$same" = yes ] || exit 1
