#!/usr/bin/env bash
# Backup strategies before an apply, and restore speed, on a database of a few hundred MB:
#
#   dotnet safe-migrate backup create --backup-strategy pgdump            pg_dump --format=custom, verified (what apply does first)
#   dotnet safe-migrate backup create --backup-strategy pgdump-parallel   pg_dump --format=directory --jobs N, verified
#   dotnet safe-migrate backup create --backup-strategy restore-point     pg_create_restore_point + pg_switch_wal, archived
#   dotnet safe-migrate backup create --backup-strategy pgbackrest        pgbackrest backup (first: full; then: incr) + verify
#   pg_dump --format=custom (bare)                                         the floor of the default strategy
#
#   dotnet safe-migrate backup restore DUMP --into NEW --jobs N             custom-format file, pg_restore --jobs N
#   dotnet safe-migrate backup restore DIR  --into NEW --jobs N             directory archive, pg_restore --jobs N
#   createdb NEW && pg_restore --dbname=NEW DUMP (bare, one job)           the reference
#
#   build/bench-backup.sh
#
# The database: BENCH_MB (300) MB of rows generated with SQL (generate_series into three tables with an index each),
# plus samples/Shop's migrations applied, so that the backups are named after a head migration like before an apply.
# Each command runs once (each takes seconds to minutes); the bare pg_dump/pg_restore run first as warm-up is not
# needed for files this size. Prints each time, the ratios to the bare programs, the database's size, and `uptime`
# (timings on a busy machine are unreliable). N: BENCH_JOBS, else the number of processors.
#
# The tool: SAFE_MIGRATE_TOOL (path of an installed dotnet-safe-migrate), else build/install-tool.sh packs and installs
# it into .tmp/bench-backup/install. PostgreSQL: SAFE_MIGRATE_BENCH_CONNECTION (a server's connection string without
# Database; the restore-point strategy is skipped unless it archives its WAL, pgbackrest unless BENCH_PGBACKREST_STANZA
# and BENCH_PGBACKREST_CONFIG are set), else a throwaway cluster that archives its WAL with pgBackRest
# (THROWAWAY_PG_ARCHIVE=pgbackrest, stanza main) in .tmp/bench-backup/postgres, stopped at the end. Databases are named
# BENCH_DB_PREFIX (backup_bench)[_r1, _r2, _r3] and dropped at the end. Logs: .tmp/bench-backup/logs/.
# Exit code: 0 when every run worked and every restore has the source's row counts, 2 otherwise.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work="$root/.tmp/bench-backup"
logs="$work/logs"
megabytes=${BENCH_MB:-300}
jobs=${BENCH_JOBS:-$(nproc)}
prefix=${BENCH_DB_PREFIX:-backup_bench}
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

rm -rf "$logs" "$work/backups" "$work/bare"; mkdir -p "$logs" "$work/bare"
step() { echo "== $*" >&2; }
fail() { echo "bench-backup: $*" >&2; exit 2; }

# --- the tool and the server ---------------------------------------------------------------
source "$root/build/bench/common.sh"
bench_tool
export THROWAWAY_PG_ARCHIVE=pgbackrest   # read only when bench_server creates the throwaway cluster
bench_server
stanza=${BENCH_PGBACKREST_STANZA:-}; pgbr_config=${BENCH_PGBACKREST_CONFIG:-}
if [ -z "${SAFE_MIGRATE_BENCH_CONNECTION:-}" ]; then
  stanza=main; pgbr_config=$(readlink -f "$work/postgres/pgbackrest.conf")   # the link's target: readable by pgbackrest's user
  export SAFE_MIGRATE_PGBACKREST="$work/postgres/pgbackrest-as-owner"   # as the repository's owner
fi
databases() { echo "$prefix" "${prefix}_r1" "${prefix}_r2" "${prefix}_r3"; }
drop_databases() { for d in $(databases); do psql_admin -c "DROP DATABASE IF EXISTS \"$d\" WITH (FORCE)" >/dev/null 2>&1 || true; done; }
drop_databases
if [ -n "${SAFE_MIGRATE_BENCH_CONNECTION:-}" ]; then
  trap 'drop_databases' EXIT
else
  trap 'drop_databases; "$root/tools/throwaway-postgres.sh" stop "$work/postgres" >/dev/null 2>&1 || true' EXIT
fi

project="$root/samples/Shop"; variable=ConnectionStrings__Shop
base="Host=$PGHOST;Port=$PGPORT;Username=$PGUSER;Password=$PGPASSWORD;Database"
step "building $project once (Release; the tool then runs with --no-build)"
dotnet build "$project" -c Release -nologo -v:q -clp:ErrorsOnly >"$logs/build.log" 2>&1 || fail "building failed; see $logs/build.log"
sm() { # sm LOG ARGS...: the tool on the bench database
  local log=$1; shift
  (cd "$project" && env "$variable=$base=$prefix" "$tool" "$@" --no-build --configuration Release --no-color) >>"$log" 2>&1
}

# --- the database --------------------------------------------------------------------------
step "generating about $megabytes MB in $prefix"
psql_admin -c "CREATE DATABASE \"$prefix\"" >/dev/null
sm "$logs/apply.log" apply --no-backup || fail "apply failed; see $logs/apply.log"
rows=$(( megabytes * 1000000 / 3 / 155 ))   # about 155 bytes a row with its index entries, three tables
psql -X -q -v ON_ERROR_STOP=1 -d "$prefix" >"$logs/generate.log" 2>&1 <<SQL || fail "generating the data failed; see $logs/generate.log"
CREATE TABLE bench_events (id bigint PRIMARY KEY, at timestamptz NOT NULL, kind int NOT NULL, payload text NOT NULL);
CREATE TABLE bench_accounts (id bigint PRIMARY KEY, name text NOT NULL, balance numeric(12,2) NOT NULL, note text);
CREATE TABLE bench_lines (id bigint PRIMARY KEY, account_id bigint NOT NULL, amount numeric(12,2) NOT NULL, memo text NOT NULL);
INSERT INTO bench_events SELECT i, now() - i * interval '1 second', i % 17, md5(i::text) || md5((i * 3)::text) FROM generate_series(1, $rows) i;
INSERT INTO bench_accounts SELECT i, 'account ' || i, (i % 100000) / 100.0, repeat(md5(i::text), 2) FROM generate_series(1, $rows) i;
INSERT INTO bench_lines SELECT i, i % 50000, (i % 9999) / 100.0, md5((i * 7)::text) || md5(i::text) FROM generate_series(1, $rows) i;
CREATE INDEX ON bench_events (kind, at);
CREATE INDEX ON bench_lines (account_id);
ANALYZE;
SQL
size=$(psql -X -qtA -d "$prefix" -c "SELECT pg_size_pretty(pg_database_size(current_database()))")
counts() { psql -X -qtA -d "$1" -c "SELECT (SELECT count(*) FROM bench_events) || ' ' || (SELECT count(*) FROM bench_accounts) || ' ' || (SELECT count(*) FROM bench_lines)"; }
expected=$(counts "$prefix")

ms_now() { echo $(( $(date +%s%N) / 1000000 )); }
seconds() { awk -v m="$1" 'BEGIN { printf "%.1f", m / 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

# --- the tool's own start (opening the project, connecting), part of each of its times below ----------
step "dotnet safe-migrate status (the tool's start, for reference)"
start=$(ms_now)
sm "$logs/status.log" status || fail "status failed; see $logs/status.log"
status_ms=$(( $(ms_now) - start ))

# --- backups -------------------------------------------------------------------------------
step "bare pg_dump --format=custom"
start=$(ms_now)
pg_dump --format=custom --no-password --file="$work/bare/bench.dump" --dbname="$prefix" 2>"$logs/pg_dump.log" || fail "pg_dump failed; see $logs/pg_dump.log"
bare_dump_ms=$(( $(ms_now) - start ))

create() { # create STRATEGY: prints the time in ms, the path in $work/last-backup
  local log="$logs/create-$1.log" begin
  begin=$(ms_now)
  sm "$log" backup create --backup-strategy "$1" --backup-jobs "$jobs" --backup-dir "$work/backups" || return 1
  echo $(( $(ms_now) - begin ))
}
step "backup create --backup-strategy pgdump"
pgdump_ms=$(create pgdump) || fail "backup create (pgdump) failed; see $logs/create-pgdump.log"
custom=$(ls -t "$work"/backups/*.dump | head -n 1)
step "backup create --backup-strategy pgdump-parallel --backup-jobs $jobs"
parallel_ms=$(create pgdump-parallel) || fail "backup create (pgdump-parallel) failed; see $logs/create-pgdump-parallel.log"
directory=$(ls -dt "$work"/backups/*.dir | head -n 1)
archive_mode=$(psql -X -qtA -d "$prefix" -c "SHOW archive_mode")
if [ "$archive_mode" = on ] || [ "$archive_mode" = always ]; then
  step "backup create --backup-strategy restore-point"
  point_ms=$(create restore-point) || fail "backup create (restore-point) failed; see $logs/create-restore-point.log"
else
  point_ms=
fi
pgbr() { # pgbr LABEL: prints the time in ms
  local log="$logs/create-pgbackrest-$1.log" begin
  begin=$(ms_now)
  sm "$log" backup create --backup-strategy pgbackrest --pgbackrest-stanza "$stanza" --pgbackrest-config "$pgbr_config" --backup-dir "$work/backups" || return 1
  echo $(( $(ms_now) - begin ))
}
if [ -n "$stanza" ]; then
  step "backup create --backup-strategy pgbackrest (the stanza's first backup: full)"
  pgbr_full_ms=$(pgbr full) || fail "backup create (pgbackrest) failed; see $logs/create-pgbackrest-full.log"
  psql -X -q -d "$prefix" -c "UPDATE bench_accounts SET balance = balance + 1 WHERE id % 100 = 0" >/dev/null
  step "backup create --backup-strategy pgbackrest (incremental, after 1% of one table changed)"
  pgbr_incr_ms=$(pgbr incr) || fail "backup create (pgbackrest) failed; see $logs/create-pgbackrest-incr.log"
else
  pgbr_full_ms=
fi

# --- restores ------------------------------------------------------------------------------
step "bare createdb + pg_restore (one job)"
start=$(ms_now)
psql_admin -c "CREATE DATABASE \"${prefix}_r1\" TEMPLATE template0" >/dev/null
pg_restore --exit-on-error --no-password --dbname="${prefix}_r1" "$work/bare/bench.dump" 2>"$logs/pg_restore.log" || fail "pg_restore failed; see $logs/pg_restore.log"
bare_restore_ms=$(( $(ms_now) - start ))

restore() { # restore ARCHIVE DATABASE LOG: prints the time in ms
  local begin
  begin=$(ms_now)
  sm "$3" backup restore "$1" --into "$2" --jobs "$jobs" || return 1
  echo $(( $(ms_now) - begin ))
}
step "backup restore (custom format) --jobs $jobs"
custom_restore_ms=$(restore "$custom" "${prefix}_r2" "$logs/restore-custom.log") || fail "backup restore of $custom failed; see $logs/restore-custom.log"
step "backup restore (directory format) --jobs $jobs"
dir_restore_ms=$(restore "$directory" "${prefix}_r3" "$logs/restore-directory.log") || fail "backup restore of $directory failed; see $logs/restore-directory.log"

for d in "${prefix}_r1" "${prefix}_r2" "${prefix}_r3"; do
  [ "$(counts "$d")" = "$expected" ] || fail "$d has rows '$(counts "$d")', the source '$expected'"
done

echo
echo "bench-backup: database $prefix of $size (rows $expected), $jobs job(s)"
echo " before an apply:"
printf '  %-62s %8s s   (part of every tool time below)\n' "the tool's start: dotnet safe-migrate status" "$(seconds "$status_ms")"
printf '  %-62s %8s s\n' "pg_dump --format=custom (bare)" "$(seconds "$bare_dump_ms")"
printf '  %-62s %8s s   ratio to bare pg_dump: %s\n' "backup create --backup-strategy pgdump (dump + verify + hash)" "$(seconds "$pgdump_ms")" "$(ratio "$pgdump_ms" "$bare_dump_ms")"
printf '  %-62s %8s s   ratio to bare pg_dump: %s\n' "backup create --backup-strategy pgdump-parallel --backup-jobs $jobs" "$(seconds "$parallel_ms")" "$(ratio "$parallel_ms" "$bare_dump_ms")"
if [ -n "$point_ms" ]; then
  printf '  %-62s %8s s   ratio to bare pg_dump: %s\n' "backup create --backup-strategy restore-point" "$(seconds "$point_ms")" "$(ratio "$point_ms" "$bare_dump_ms")"
else
  echo "  backup create --backup-strategy restore-point: skipped, archive_mode is '$archive_mode' on the server"
fi
if [ -n "$pgbr_full_ms" ]; then
  printf '  %-62s %8s s   ratio to bare pg_dump: %s\n' "backup create --backup-strategy pgbackrest (first: full)" "$(seconds "$pgbr_full_ms")" "$(ratio "$pgbr_full_ms" "$bare_dump_ms")"
  printf '  %-62s %8s s   ratio to bare pg_dump: %s\n' "backup create --backup-strategy pgbackrest (incremental)" "$(seconds "$pgbr_incr_ms")" "$(ratio "$pgbr_incr_ms" "$bare_dump_ms")"
else
  echo "  backup create --backup-strategy pgbackrest: skipped (no stanza: BENCH_PGBACKREST_STANZA, BENCH_PGBACKREST_CONFIG)"
fi
echo " restore:"
printf '  %-62s %8s s\n' "createdb + pg_restore (bare, one job)" "$(seconds "$bare_restore_ms")"
printf '  %-62s %8s s   ratio to bare pg_restore: %s\n' "backup restore DUMP --into NEW --jobs $jobs (custom format)" "$(seconds "$custom_restore_ms")" "$(ratio "$custom_restore_ms" "$bare_restore_ms")"
printf '  %-62s %8s s   ratio to bare pg_restore: %s\n' "backup restore DIR --into NEW --jobs $jobs (directory format)" "$(seconds "$dir_restore_ms")" "$(ratio "$dir_restore_ms" "$bare_restore_ms")"
echo "  (the tool's times include its start, loading the project, and verifying the archive's size and SHA-256 first)"
echo "  every restore has the source's row counts"
echo "  machine: $(nproc) cores; $(uptime)"
