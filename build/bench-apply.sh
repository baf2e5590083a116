#!/usr/bin/env bash
# Apply speed: safe-migrate's compiled migrations against `dotnet ef database update` and the physical floor, on a
# generated BENCH_MIGRATIONS-migration (200) project shaped like a real application's (build/bench/generate.py --shape app:
# tables, columns, indexes, foreign keys, renames, Sql() steps, designers that grow with the history). In one run:
#
#   dotnet ef database update --no-build                 to an empty database (dotnet-ef of the repository's tool manifest)
#   dotnet safe-migrate apply --no-build --no-backup     cold cache (obj/safe-migrate/compiled removed first)
#   dotnet safe-migrate apply --no-build --no-backup     warm cache (the files the cold run wrote), another empty database
#   no-op: both tools again on an up-to-date database
#   psql -f of the same SQL (`safe-migrate script`: EF Core's script, Sql() statements terminated), the floor
#
# Like dotnet ef, the timed safe-migrate runs are without --verbose; one more warm apply, untimed, with --verbose prints what
# came from the cache (compiled SQL and lint verdicts).
# and the ratios against dotnet ef (targets: warm ≤ 0.3, cold ≤ 1.0, no-op ≤ 0.5). Every database is created empty
# beforehand, so no run creates one; safe-migrate runs with --no-backup (dotnet ef takes none; backups are bench-fleet's
# subject). Each timed command runs BENCH_RUNS (3) times on fresh databases and the median is printed; before them one
# untimed warm-up of each tool. At the end, every database must hold all migrations and have the same schema
# (pg_dump --schema-only), else exit 2. Prints `uptime`: timings on a busy machine are unreliable.
#
#   build/bench-apply.sh
#
# The tool: SAFE_MIGRATE_TOOL (path of an installed dotnet-safe-migrate), else build/install-tool.sh packs and installs
# it into .tmp/bench-apply/install. PostgreSQL: SAFE_MIGRATE_BENCH_CONNECTION (a server's connection string without
# Database), else a throwaway cluster in .tmp/bench-apply/postgres (tools/throwaway-postgres.sh), stopped at the end.
# Databases are named BENCH_DB_PREFIX (apply_bench)_* and dropped at the end. The password reaches the tools through the
# environment only. Logs: .tmp/bench-apply/logs/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work="$root/.tmp/bench-apply"
logs="$work/logs"
count=${BENCH_MIGRATIONS:-200}
runs=${BENCH_RUNS:-3}
prefix=${BENCH_DB_PREFIX:-apply_bench}
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

rm -rf "$logs"; mkdir -p "$logs"
step() { echo "== $*" >&2; }
fail() { echo "bench-apply: $*" >&2; exit 2; }
[ "$count" -ge 1 ] && [ "$runs" -ge 1 ] || fail "BENCH_MIGRATIONS and BENCH_RUNS must be 1 or more."

source "$root/build/bench/common.sh"
bench_tool
bench_server
databases=()
drop_databases() { for d in "${databases[@]}"; do psql_admin -c "DROP DATABASE IF EXISTS \"$d\" WITH (FORCE)" >/dev/null 2>&1 || true; done; }
trap 'drop_databases; "$root/tools/throwaway-postgres.sh" stop "$work/postgres" >/dev/null 2>&1 || true' EXIT
[ -n "${SAFE_MIGRATE_BENCH_CONNECTION:-}" ] && trap 'drop_databases' EXIT
new_database() { # new_database NAME: an empty database, dropped at the end
  databases+=("$1")
  psql_admin -c "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)" >/dev/null 2>&1 && psql_admin -c "CREATE DATABASE \"$1\"" >/dev/null || fail "cannot create the database $1"
}

# --- the project ---------------------------------------------------------------------------
step "generating $count migrations (--shape app) in $work/repo"
rm -rf "$work/repo"; mkdir -p "$work/repo"
python3 "$root/build/bench/generate.py" --shape app "$work/repo/Bench" 1 "$count"
project="$work/repo/Bench"
step "building $project once (Release; every tool then runs with --no-build)"
dotnet build "$project" -c Release -nologo -v:q -clp:ErrorsOnly >"$logs/build.log" 2>&1 || fail "building failed; see $logs/build.log"
(cd "$root" && dotnet tool restore) >"$logs/tool-restore.log" 2>&1 || fail "'dotnet tool restore' failed; see $logs/tool-restore.log"
newest=$(cd "$project" && ls Migrations/*.Designer.cs | sed 's#.*/\([0-9]\{14\}_[^.]*\)\.Designer\.cs#\1#' | sort | tail -n 1)
cache="$project/obj/safe-migrate/compiled"

base="Host=$PGHOST;Port=$PGPORT;Username=$PGUSER;Password=$PGPASSWORD;Database"
ms_now() { echo $(( $(date +%s%N) / 1000000 )); }
ef_update() { # ef_update DATABASE LOG
  (cd "$root" && env "ConnectionStrings__Bench=$base=$1" dotnet ef database update --no-build --configuration Release --project "$project" --startup-project "$project") >>"$2" 2>&1
}
sm_apply() { # sm_apply DATABASE LOG [--verbose]: timed runs leave out --verbose, as dotnet ef runs without it
  (cd "$project" && env "ConnectionStrings__Bench=$base=$1" "$tool" apply --no-build --configuration Release --no-backup --no-color "${@:3}") >>"$2" 2>&1
}
timed() { # timed COMMAND...: prints the milliseconds it took; fails the bench when it fails
  local start; start=$(ms_now)
  "$@" || fail "'$*' failed; see $logs/"
  echo $(( $(ms_now) - start ))
}
median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

step "the script of the same migrations (for psql -f)"
# safe-migrate's script is EF Core's `migrations script` with each Sql() statement terminated (EF Core's leaves
# `Sql("UPDATE ...")` without a semicolon, which psql runs together with the next statement).
(cd "$project" && env "ConnectionStrings__Bench=$base=postgres" "$tool" script --no-build --configuration Release --no-color --output "$work/script.sql") >"$logs/script.log" 2>&1 \
  || fail "safe-migrate script failed; see $logs/script.log"

# --- warm-up (untimed) ---------------------------------------------------------------------
step "warming up"
new_database "${prefix}_warmup_ef"; ef_update "${prefix}_warmup_ef" "$logs/warmup.log" || fail "warm-up dotnet ef failed; see $logs/warmup.log"
new_database "${prefix}_warmup_sm"; sm_apply "${prefix}_warmup_sm" "$logs/warmup.log" || fail "warm-up safe-migrate failed; see $logs/warmup.log"

# --- the runs ------------------------------------------------------------------------------
ef=() cold=() warm=() ef_noop=() sm_noop=() floor=()
for r in $(seq 1 "$runs"); do
  step "run $r of $runs"
  new_database "${prefix}_ef_$r"; new_database "${prefix}_cold_$r"; new_database "${prefix}_warm_$r"; new_database "${prefix}_psql_$r"
  ef+=("$(timed ef_update "${prefix}_ef_$r" "$logs/ef.log")")
  rm -rf "$cache"
  cold+=("$(timed sm_apply "${prefix}_cold_$r" "$logs/cold.log")")
  [ -d "$cache" ] || fail "the cold run wrote no compiled migrations into $cache; see $logs/cold.log"
  warm+=("$(timed sm_apply "${prefix}_warm_$r" "$logs/warm.log")")
  ef_noop+=("$(timed ef_update "${prefix}_ef_$r" "$logs/ef-noop.log")")
  sm_noop+=("$(timed sm_apply "${prefix}_warm_$r" "$logs/sm-noop.log")")
  floor+=("$(timed psql -X -q -v ON_ERROR_STOP=1 -d "${prefix}_psql_$r" -f "$work/script.sql" -o /dev/null)")
done
# One more warm apply, untimed, with --verbose: what came from the cache (compiled SQL, lint verdicts).
new_database "${prefix}_verbose"; sm_apply "${prefix}_verbose" "$logs/warm-verbose.log" --verbose || fail "the verbose warm apply failed; see $logs/warm-verbose.log"
grep -h -e "Compiled migrations:" -e "^Lint:" "$logs/warm-verbose.log" | sed 's/^/  warm run: /' >&2 || true

ef_ms=$(median "${ef[@]}") cold_ms=$(median "${cold[@]}") warm_ms=$(median "${warm[@]}")
ef_noop_ms=$(median "${ef_noop[@]}") sm_noop_ms=$(median "${sm_noop[@]}") floor_ms=$(median "${floor[@]}")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
secs() { awk -v m="$1" 'BEGIN { printf "%.2f", m / 1000 }'; }
echo
echo "bench-apply: $count migrations ($(basename "$project"), --shape app) to an empty database, median of $runs"
printf '  %-52s %8s s\n' "dotnet ef database update" "$(secs "$ef_ms")"
printf '  %-52s %8s s   %s× ef (target ≤ 1.0)\n' "safe-migrate apply, cold cache" "$(secs "$cold_ms")" "$(ratio "$cold_ms" "$ef_ms")"
printf '  %-52s %8s s   %s× ef (target ≤ 0.3)\n' "safe-migrate apply, warm cache" "$(secs "$warm_ms")" "$(ratio "$warm_ms" "$ef_ms")"
printf '  %-52s %8s s\n' "no-op: dotnet ef database update" "$(secs "$ef_noop_ms")"
printf '  %-52s %8s s   %s× ef no-op (target ≤ 0.5)\n' "no-op: safe-migrate apply" "$(secs "$sm_noop_ms")" "$(ratio "$sm_noop_ms" "$ef_noop_ms")"
printf '  %-52s %8s s   %s× ef\n' "psql -f of the same SQL (floor)" "$(secs "$floor_ms")" "$(ratio "$floor_ms" "$ef_ms")"
steps_s() { sed -n 's/.*Done: [0-9]* step(s) in \(.*\)\. .*/\1/p' "$1" | tr '\n' ' '; }
echo "  time in the migration steps themselves (safe-migrate's 'Done:' lines, per run): cold $(steps_s "$logs/cold.log")| warm $(steps_s "$logs/warm.log")"
echo "  machine: $(nproc) cores; $(uptime)"

# --- check: the same history and schema everywhere -----------------------------------------
step "checking the databases"
# safe-migrate's own bookkeeping (its journal table) is left out: dotnet ef and psql do not write it.
schema() { pg_dump --schema-only --no-owner -T '"__SafeMigrate"*' -d "$1" | grep -v -e '^--' -e '^\\restrict' -e '^\\unrestrict' -e '^$'; }
schema "${prefix}_ef_1" > "$work/schema-ef.sql"
for d in "${databases[@]}"; do
  case "$d" in *warmup*) continue ;; esac
  got=$(psql -X -qtA -d "$d" -c "SELECT count(*) || ' ' || max(\"MigrationId\") FROM \"__EFMigrationsHistory\"") || fail "cannot read the history of $d"
  [ "$got" = "$count $newest" ] || fail "$d has '$got' in its history, expected '$count $newest'"
  schema "$d" | diff - "$work/schema-ef.sql" >"$logs/schema-$d.diff" || fail "the schema of $d differs from ${prefix}_ef_1's (pg_dump --schema-only); see $logs/schema-$d.diff"
done

echo "  every database holds $count migrations up to $newest, with the same schema (pg_dump --schema-only)"
