# Shared by the build/bench-*.sh scripts (sourced, after they set root, work, logs and define step and fail).
#
#   bench_tool     sets tool: SAFE_MIGRATE_TOOL, or the tool packed and installed into $work/install
#   bench_server   sets server (a connection string) and PGHOST/PGPORT/PGUSER/PGPASSWORD for psql and pg_dump:
#                  SAFE_MIGRATE_BENCH_CONNECTION, or a throwaway PostgreSQL in $work/postgres, stopped on exit;
#                  defines psql_admin (psql on the server's postgres database, stopping on the first error)
# The password reaches the programs through the environment only, never a command line.

bench_tool() {
  if [ -n "${SAFE_MIGRATE_TOOL:-}" ]; then
    tool=$SAFE_MIGRATE_TOOL
  else
    step "packing and installing the tool into $work/install"
    tool=$("$root/build/install-tool.sh" "$work/install" 2>"$logs/install.log" | tail -n 1) || fail "installing the tool failed; see $logs/install.log"
  fi
  [ -x "$tool" ] || fail "the tool '$tool' is not an executable (SAFE_MIGRATE_TOOL must be the path of dotnet-safe-migrate)."
}

bench_server() {
  if [ -n "${SAFE_MIGRATE_BENCH_CONNECTION:-}" ]; then
    server=$SAFE_MIGRATE_BENCH_CONNECTION
  else
    step "starting a throwaway PostgreSQL in $work/postgres"
    server=$("$root/tools/throwaway-postgres.sh" start "$work/postgres" 2>"$logs/postgres.log" | tail -n 1) || fail "starting PostgreSQL failed; see $logs/postgres.log"
    trap '"$root/tools/throwaway-postgres.sh" stop "$work/postgres" >/dev/null 2>&1 || true' EXIT
  fi
  PGHOST=$(bench_field Host) PGPORT=$(bench_field Port) PGUSER=$(bench_field Username) PGPASSWORD=$(bench_field Password)
  export PGHOST PGPORT PGUSER PGPASSWORD
}

bench_field() { printf '%s' "$server" | tr ';' '\n' | awk -F= -v k="$1" 'tolower($1) == tolower(k) { print substr($0, index($0, "=") + 1) }'; }

psql_admin() { psql -X -q -v ON_ERROR_STOP=1 -d postgres "$@"; }
