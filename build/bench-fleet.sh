#!/usr/bin/env bash
# Fleet apply against the one-database-at-a-time way: N tenant databases migrated from empty by
#
#   dotnet safe-migrate apply --fleet LIST                   one process, --parallel default, verified backups
#   dotnet safe-migrate apply --fleet LIST --no-backup       the same without backups (what dotnet ef never takes)
#   N × dotnet ef database update --no-build                 dotnet-ef 10.0.15 of the repository's tool manifest, one after another
#
#   build/bench-fleet.sh
#
# BENCH_DATABASES (20) databases each time, created empty beforehand (CREATE DATABASE), so that the fleet run with
# backups really takes and verifies one per database (a database the tool creates itself has nothing to back up). The
# history: BENCH_MIGRATIONS (200) migrations shaped like a real application's, generated with build/bench/generate.py
# --shape app (the history build/bench-apply.sh uses) in .tmp/bench-fleet/repo; BENCH_MIGRATIONS=0 uses samples/Shop's
# 6 migrations instead.
# Each command runs once (a fleet run is long enough not to need medians); before them, one untimed warm-up of each
# on a scratch database. Prints the wall-clock seconds of each, the ratio dotnet ef / fleet for both fleet runs, checks
# that every database ends at the newest migration, and prints `uptime` (timings on a busy machine are unreliable).
#
# The tool: SAFE_MIGRATE_TOOL (path of an installed dotnet-safe-migrate), else build/install-tool.sh packs and installs
# it into .tmp/bench-fleet/install. PostgreSQL: SAFE_MIGRATE_BENCH_CONNECTION (a server's connection string without
# Database), else a throwaway cluster in .tmp/bench-fleet/postgres (tools/throwaway-postgres.sh), stopped at the end.
# Databases are named BENCH_DB_PREFIX (fleet_bench)_{ef,sm,nb}_NN and dropped at the end. The connection string (with
# its password) reaches the tools through the environment only. Logs: .tmp/bench-fleet/logs/. Exit code: 0 when every
# run worked and every database is at the newest migration, 2 otherwise.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work="$root/.tmp/bench-fleet"
logs="$work/logs"
count=${BENCH_DATABASES:-20}
migrations=${BENCH_MIGRATIONS:-200}
prefix=${BENCH_DB_PREFIX:-fleet_bench}
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

rm -rf "$logs"; mkdir -p "$logs"
step() { echo "== $*" >&2; }
fail() { echo "bench-fleet: $*" >&2; exit 2; }
[ "$count" -ge 1 ] || fail "BENCH_DATABASES must be 1 or more."

# --- the tool and the server ---------------------------------------------------------------
source "$root/build/bench/common.sh"
bench_tool

bench_server
names() { for i in $(seq -w 1 "$count"); do echo "${prefix}_$1_$i"; done; }
drop_databases() {
  for kind in ef sm nb warm; do
    for d in $(names "$kind"); do psql_admin -c "DROP DATABASE IF EXISTS \"$d\" WITH (FORCE)" >/dev/null 2>&1 || true; done
  done
}
drop_databases
trap 'drop_databases; "$root/tools/throwaway-postgres.sh" stop "$work/postgres" >/dev/null 2>&1 || true' EXIT
[ -n "${SAFE_MIGRATE_BENCH_CONNECTION:-}" ] && trap 'drop_databases' EXIT

# --- the project ---------------------------------------------------------------------------
if [ "$migrations" -gt 0 ]; then
  step "generating $migrations migrations in $work/repo"
  rm -rf "$work/repo"; mkdir -p "$work/repo"
  python3 "$root/build/bench/generate.py" --shape app "$work/repo/Bench" 1 "$migrations"
  project="$work/repo/Bench"; variable=ConnectionStrings__Bench
else
  project="$root/samples/Shop"; variable=ConnectionStrings__Shop
fi
step "building $project once (Release; both tools then run with --no-build)"
dotnet build "$project" -c Release -nologo -v:q -clp:ErrorsOnly >"$logs/build.log" 2>&1 || fail "building failed; see $logs/build.log"
(cd "$root" && dotnet tool restore) >"$logs/tool-restore.log" 2>&1 || fail "'dotnet tool restore' failed; see $logs/tool-restore.log"
newest=$(cd "$project" && ls Migrations/*.Designer.cs | sed 's#.*/\([0-9]\{14\}_[^.]*\)\.Designer\.cs#\1#' | sort | tail -n 1)
expected=$(cd "$project" && ls Migrations/*.Designer.cs | wc -l)

base="Host=$PGHOST;Port=$PGPORT;Username=$PGUSER;Password=$PGPASSWORD;Database"
ms_now() { echo $(( $(date +%s%N) / 1000000 )); }
ef_update() { # ef_update DATABASE LOG
  (cd "$root" && env "$variable=$base=$1" dotnet ef database update --no-build --configuration Release --project "$project" --startup-project "$project") >>"$2" 2>&1
}
fleet() { # fleet KIND LOG [OPTIONS...]
  local kind=$1 log=$2; shift 2
  names "$kind" > "$work/$kind.txt"
  (cd "$project" && env "$variable=$base=postgres" "$tool" apply --fleet "$work/$kind.txt" --no-build --configuration Release --backup-dir "$work/backups" --no-color "$@") >"$log" 2>&1
}

# --- warm-up (untimed): one database each, so that both start from warm disks and JIT caches --------------------
step "warming up"
ef_update "${prefix}_warm_01" "$logs/warm-ef.log" || fail "dotnet ef database update failed; see $logs/warm-ef.log"
psql_admin -c "DROP DATABASE IF EXISTS \"${prefix}_warm_01\" WITH (FORCE)" >/dev/null
echo "${prefix}_warm_01" > "$work/warm.txt"
(cd "$project" && env "$variable=$base=postgres" "$tool" apply --fleet "$work/warm.txt" --no-build --configuration Release --no-backup) >"$logs/warm-fleet.log" 2>&1 || fail "the warm-up fleet run failed; see $logs/warm-fleet.log"

for kind in ef sm nb; do
  for d in $(names "$kind"); do psql_admin -c "CREATE DATABASE \"$d\"" >/dev/null || fail "cannot create the database $d"; done
done

# --- the runs ------------------------------------------------------------------------------
step "dotnet ef database update on $count databases, one after another"
start=$(ms_now)
for d in $(names ef); do ef_update "$d" "$logs/ef.log" || fail "dotnet ef database update of $d failed; see $logs/ef.log"; done
ef_ms=$(( $(ms_now) - start ))

step "dotnet safe-migrate apply --fleet on $count databases (verified backups)"
rm -rf "$work/backups"
start=$(ms_now)
fleet sm "$logs/fleet.log" || fail "apply --fleet failed; see $logs/fleet.log"
sm_ms=$(( $(ms_now) - start ))
parallel=$(sed -n 's/.* \([0-9]*\) at a time.*/\1/p' "$logs/fleet.log" | head -n 1)

step "dotnet safe-migrate apply --fleet --no-backup on $count databases"
start=$(ms_now)
fleet nb "$logs/fleet-no-backup.log" --no-backup || fail "apply --fleet --no-backup failed; see $logs/fleet-no-backup.log"
nb_ms=$(( $(ms_now) - start ))

# --- check ---------------------------------------------------------------------------------
for kind in ef sm nb; do
  for d in $(names "$kind"); do
    got=$(psql -X -qtA -d "$d" -c "SELECT count(*) || ' ' || max(\"MigrationId\") FROM \"__EFMigrationsHistory\"") || fail "cannot read the history of $d"
    [ "$got" = "$expected $newest" ] || fail "$d has '$got' in its history, expected '$expected $newest'"
  done
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo
echo "bench-fleet: $count databases × $expected migrations ($(basename "$project")), from empty (existing) databases"
printf '  %-58s %8.1f s\n' "$count × dotnet ef database update --no-build (one by one)" "$(awk -v m="$ef_ms" 'BEGIN { print m / 1000 }')"
printf '  %-58s %8.1f s   ratio dotnet ef / fleet: %s\n' "safe-migrate apply --fleet (parallel $parallel, verified backups)" "$(awk -v m="$sm_ms" 'BEGIN { print m / 1000 }')" "$(ratio "$ef_ms" "$sm_ms")"
printf '  %-58s %8.1f s   ratio dotnet ef / fleet: %s\n' "safe-migrate apply --fleet --no-backup" "$(awk -v m="$nb_ms" 'BEGIN { print m / 1000 }')" "$(ratio "$ef_ms" "$nb_ms")"
echo "  every database is at $newest"
echo "  machine: $(nproc) cores; $(uptime)"
