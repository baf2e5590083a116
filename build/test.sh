#!/usr/bin/env bash
# Runs every test project against a throwaway PostgreSQL started for the run, and ends with
# one line: "tests: N passed, N failed" (", N skipped" when any were skipped).
#
#   build/test.sh
#
# SAFE_MIGRATE_TEST_CONNECTION (a server connection string with a superuser) skips starting a server.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work="$root/.tmp/test-run"
results="$work/results"
rm -rf "$results"; mkdir -p "$results"
cd "$root"

started=""
if [ -z "${SAFE_MIGRATE_TEST_CONNECTION:-}" ]; then
  if ! SAFE_MIGRATE_TEST_CONNECTION=$(tools/throwaway-postgres.sh start "$root/.tmp/test-postgres" | tail -n 1); then
    echo "could not start PostgreSQL"; echo "tests: 0 passed, 1 failed"; exit 1
  fi
  export SAFE_MIGRATE_TEST_CONNECTION
  started=1
fi
cleanup() { [ -n "$started" ] && tools/throwaway-postgres.sh stop "$root/.tmp/test-postgres"; }
trap cleanup EXIT

status=0
if ! dotnet build EfSafeMigrate.sln -nologo -v:q -clp:ErrorsOnly; then
  echo "build failed"; echo "tests: 0 passed, 1 failed"; exit 1
fi

# The end-to-end tests run the packed tool; pack and install it once for the whole run.
if SAFE_MIGRATE_TOOL=$(build/install-tool.sh "$work/install" | tail -n 1); then
  export SAFE_MIGRATE_TOOL
else
  echo "packing the tool failed"; status=1
fi

for project in tests/EfSafeMigrate.Tests tests/EfSafeMigrate.IntegrationTests tests/EfSafeMigrate.EndToEndTests; do
  [ -d "$project" ] || continue
  name=$(basename "$project")
  echo "== $name"
  dotnet test "$project" --no-build -nologo --logger "trx;LogFileName=$name.trx" --results-directory "$results" || status=1
done

# Sum the counters of every result file.
read -r passed failed skipped < <(cat "$results"/*.trx 2>/dev/null | grep -o '<Counters [^>]*>' | awk '
  { for (i = 1; i <= NF; i++) { split($i, kv, "=");
      gsub(/"/, "", kv[2]);
      if (kv[1] == "passed") p += kv[2]; else if (kv[1] == "failed" || kv[1] == "error" || kv[1] == "timeout" || kv[1] == "aborted") f += kv[2]; else if (kv[1] == "notExecuted") s += kv[2]; } }
  END { printf "%d %d %d\n", p, f, s }')
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
# Stop the server before the closing line, so that the line is the last thing printed.
cleanup >/dev/null 2>&1; started=""
line="tests: $passed passed, $failed failed"
[ "$skipped" -gt 0 ] && line="$line, $skipped skipped"
echo "$line"
[ "$failed" -eq 0 ] && [ "$status" -eq 0 ]
