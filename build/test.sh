#!/usr/bin/env bash
# Builds the solution once (Release, warnings are errors), packs that build as the tool the end-to-end tests run,
# and runs every test project against a throwaway PostgreSQL started for the run. Prints a line per finished
# test (with its duration) and per project (with the time since the start), and ends with one line:
# "tests: N passed, N failed" (", N skipped" when any were skipped).
#
#   build/test.sh
#
# SAFE_MIGRATE_TEST_CONNECTION (a server connection string with a superuser) skips starting a server.
# A test that runs for more than 10 minutes is stopped and named (dotnet test --blame-hang-timeout).
set -uo pipefail
# A shell without job control starts a background command with SIGINT and SIGQUIT ignored, and the ignoring is
# inherited by every process of the run: the tool the signal tests interrupt (Ctrl+C) would not see it. Run again with
# the default handling (GNU env 8.31 or later).
if [ -z "${SAFE_MIGRATE_TEST_DEFAULT_SIGNALS:-}" ] && env --default-signal=INT true 2>/dev/null; then
  SAFE_MIGRATE_TEST_DEFAULT_SIGNALS=1 exec env --default-signal=INT,QUIT bash "$0" "$@"
fi
root=$(cd "$(dirname "$0")/.." && pwd)
work="$root/.tmp/test-run"
results="$work/results"
rm -rf "$results"; mkdir -p "$results"
cd "$root"
start=$SECONDS
say() { printf '[%4ds] %s\n' "$((SECONDS - start))" "$*"; }

# The test servers' clusters go on the memory file system when it has room: the tests create and drop hundreds of
# databases, about 250 files each, and on ext4 each new file of a busy run costs a search past recently deleted inodes
# (perf: ext4's recently_deleted in the server processes). Measured on three end-to-end classes: 42 CPU-s instead of 48.
if [ -z "${THROWAWAY_PG_BASE:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ] \
    && [ "$(df -P -k /dev/shm 2>/dev/null | awk 'NR == 2 { print $4 }')" -ge $((4 * 1024 * 1024)) ] 2>/dev/null; then
  export THROWAWAY_PG_BASE=/dev/shm
fi
# The tests open thousands of connections; SCRAM's 4096 PBKDF2 iterations cost client and server about 4 ms of CPU on
# each (pgbench -C: 9 ms a connection, 4.5 ms with one iteration). The test servers keep password authentication
# with a verifier of one iteration (tools/throwaway-postgres.sh).
export THROWAWAY_PG_SCRAM_ITERATIONS=${THROWAWAY_PG_SCRAM_ITERATIONS:-1}
started=""
if [ -z "${SAFE_MIGRATE_TEST_CONNECTION:-}" ]; then
  if ! SAFE_MIGRATE_TEST_CONNECTION=$(tools/throwaway-postgres.sh start "$root/.tmp/test-postgres" | tail -n 1); then
    echo "could not start PostgreSQL"; echo "tests: 0 passed, 1 failed"; exit 1
  fi
  export SAFE_MIGRATE_TEST_CONNECTION
  started=1
fi
# Build servers (the MSBuild server, reused MSBuild worker nodes, the C# compiler server) private to this run: they make
# the solution build, the pack and the tests' many `dotnet build` calls cheaper. The id goes into MSBuild's node
# handshake and the compiler's pipe name, so that no other run's servers are used or stopped; the tests' child
# processes get the same id (tests/EfSafeMigrate.EndToEndTests/Infrastructure/BuildServers.cs). They are shut down (and
# anything left that carries the id is ended) when the run ends. The end-to-end tests' builds of copied samples run in
# reused worker nodes (MSBUILDNOINPROCNODE=1, set by BuildServers), not in the MSBuild server: this SDK's MSBuild server
# runs NuGet's restore in a new task host process for every build, about 0.65 s of CPU of each (dotnet/msbuild#13315;
# measured on builds of copies of samples/Shop: 1.56-1.81 s of CPU each with the server, 1.24-1.38 s with worker nodes).
# This script's own few builds (the solution, the pack, `dotnet test`) keep the server: with worker nodes only, the
# first part of the run took 6-8 s longer (a `dotnet test` found the pack's node busy and started a cold one). Each
# end-to-end test process gets worker nodes of its own (the id + "-e2eN"), so that its builds find idle warm nodes. The
# compiler server, which compiles many projects at once and keeps their references loaded, is the run's one.
export SAFE_MIGRATE_TEST_BUILD_SERVERS="safe-migrate-test-$$-$RANDOM$RANDOM"
build_server_ids=("$SAFE_MIGRATE_TEST_BUILD_SERVERS")
export MSBUILDNODEHANDSHAKESALT=$SAFE_MIGRATE_TEST_BUILD_SERVERS SharedCompilationId=$SAFE_MIGRATE_TEST_BUILD_SERVERS
export DOTNET_CLI_USE_MSBUILD_SERVER=1 UseSharedCompilation=true
unset MSBUILDDISABLENODEREUSE
# No profile-guided tiering in the run's processes (test hosts, the tool, the build servers): its instrumented code only
# pays off in long runs. Measured on four end-to-end classes: 64 CPU-s instead of 70.
export DOTNET_TieredPGO=0
# Methods are promoted from quick JIT to optimized code only after 3 s without new quick-JIT work (the default is
# 100 ms): most of the run's processes are short (the tool, dotnet build and msbuild clients) and end before then,
# so the optimizing recompile of their start-up code was wasted. Measured on three end-to-end classes: 32-34 CPU-s
# instead of 42-43.
export DOTNET_TC_CallCountingDelayMs=3000
stop_build_servers() {
  local id compiler
  for id in "${build_server_ids[@]}"; do
    MSBUILDNODEHANDSHAKESALT=$id dotnet build-server shutdown --msbuild >/dev/null 2>&1
  done
  # The one compiler server (SharedCompilationId, the run's id).
  for compiler in "$(dirname "$(command -v dotnet)")"/sdk/*/Roslyn/bincore/VBCSCompiler.dll \
      "$(dirname "$(readlink -f "$(command -v dotnet)")")"/sdk/*/Roslyn/bincore/VBCSCompiler.dll; do
    [ -f "$compiler" ] && dotnet exec "$compiler" -shutdown "-pipename:$SharedCompilationId" >/dev/null 2>&1
  done
  # A node orphaned by a killed build (a task host): end it by pid, only MSBuild or compiler processes that carry
  # one of this run's ids.
  local dir
  for dir in /proc/[0-9]*; do
    tr '\0' ' ' 2>/dev/null < "$dir/cmdline" | grep -qE 'MSBuild|VBCSCompiler' || continue
    tr '\0' '\n' 2>/dev/null < "$dir/environ" | grep -qxE "MSBUILDNODEHANDSHAKESALT=$SAFE_MIGRATE_TEST_BUILD_SERVERS(-e2e[0-9]+)?" \
      && kill "${dir#/proc/}" 2>/dev/null
  done
}
cleanup() {
  [ -n "$started" ] && tools/throwaway-postgres.sh stop "$root/.tmp/test-postgres"
  # The dedicated clusters the tests start on first use (archiving, failing archiver, pgBackRest:
  # tests/EfSafeMigrate.Testing/PostgresServer.cs) belong to this run too: left running, every CI run on the same
  # machine would add three servers.
  local cluster
  for cluster in "$root"/.tmp/test-postgres-*/; do
    [ -d "$cluster" ] && tools/throwaway-postgres.sh stop "${cluster%/}"
  done
  stop_build_servers
}
trap cleanup EXIT

status=0
say "build (Release; warnings are errors)"
if ! dotnet build EfSafeMigrate.sln -c Release -nologo -v:q -clp:ErrorsOnly -p:TreatWarningsAsErrors=true; then
  echo "build failed"; echo "tests: 0 passed, 1 failed"; exit 1
fi
# The sample and the fixtures in the solution are now up to date in Release: the end-to-end tests do not build them again
# (tests/EfSafeMigrate.EndToEndTests/Infrastructure/FixtureProjects.cs).
export SAFE_MIGRATE_TEST_SOLUTION_BUILT=Release

# The end-to-end tests run the packed tool: pack the build above (the libraries are not compiled again) and install
# it once. Its ReadyToRun compile (linux-x64) takes about 40 s; the unit tests, then the integration tests, which do not
# need it, run beside it. (With the integration tests beside the end-to-end tests instead, the run took 5-10 s longer:
# the end-to-end processes, whose in-process tool runs take turns, left more of the two cores idle.) When the pack
# ends, "$work/tool-path" holds the installed tool's path, or "failed": the end-to-end tests may start before that and
# wait for it where they run the tool as a process (SAFE_MIGRATE_TOOL_FILE).
say "pack and install the tool (beside the unit and integration tests)"
tool_file="$work/tool-path"
rm -f "$tool_file"
pack_and_install() {
  local tool rc=0
  build/install-tool.sh --no-build "$work/install" > "$work/install.out" 2> "$work/install.log" || rc=$?
  tool=$(tail -n 1 "$work/install.out" 2>/dev/null)
  if [ "$rc" -eq 0 ] && [ -x "$tool" ]; then echo "$tool" > "$tool_file.new"; else echo failed > "$tool_file.new"; rc=1; fi
  mv "$tool_file.new" "$tool_file"
  return "$rc"
}
pack_and_install &
packing=$!

# Runs one test project (or, with a filter, part of it); its lines carry a short tag (test runs go on at the same
# time). Exit status: dotnet test's.
#   run_tests PROJECT TAG [NAME FILTER]
run_tests() {
  local project=$1 tag=$2 name=${3:-$(basename "$1")} filter=() rc
  [ -n "${4:-}" ] && filter=(--filter "$4")
  say "== $name started"
  dotnet test "$project" --no-build -c Release -nologo "${filter[@]}" \
    --blame-hang-timeout 10m --blame-hang-dump-type none \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" \
    --results-directory "$results" 2>&1 | sed -u "s/^/[$tag] /"
  rc=${PIPESTATUS[0]}
  # A run that was stopped (killed, or its host crashed) may exit 0 without results: count it as failed.
  if [ ! -s "$results/$name.trx" ]; then
    echo "no test results for $name ($results/$name.trx is missing)"; [ "$rc" -eq 0 ] && rc=1
  fi
  say "== $name finished (exit $rc)"
  return "$rc"
}

# Prints which tool package was installed, or why none was (and marks the run failed). Exit status 0 when installed.
#   report_pack EXIT-STATUS
report_pack() {
  if [ "$1" -eq 0 ]; then
    local tool; tool=$(head -n 1 "$tool_file")
    say "tool installed: $(cd "$(dirname "$tool")"/.store/dotnet-safe-migrate/*/ && ls -d dotnet-safe-migrate.*) package"
  else
    echo "packing the tool failed (the end-to-end tests that run it fail):"; tail -n 30 "$work/install.log"; status=1
  fi
  return "$1"
}

run_tests tests/EfSafeMigrate.Tests unit || status=1
run_tests tests/EfSafeMigrate.IntegrationTests integration &
integration=$!
# The end-to-end tests run in several test processes, split by namespace: most of their tool runs are inside the test
# process, and those take turns in a process (they set its environment, working directory and console:
# tests/EfSafeMigrate.EndToEndTests/README.md), so one process kept them to one at a time. Each group below is one
# process; the last one runs every namespace not named before it. Tests/ and Projects/ stay in one process:
# MetadataCacheTests needs samples/Shop's build output unchanged while it runs alone at the end of its process, and
# ApplyTests rebuilds it. The other namespaces are shared out so that both processes end at about the same time.
# (Three processes were no faster: the run is bound by CPU, and a third test host added about 60 CPU-s.)
e2e=tests/EfSafeMigrate.EndToEndTests
e2e_groups=("Tests Projects Lint Execution" "the rest: Rehearsal Merge Squash Conflicts Packaging Fleet")
# The groups whose longest classes run the tool in the test process start when the integration tests or the pack end,
# whichever is first: the pack's last part (the portable package, the install) leaves a core idle for 10-15 s. Their
# runs of the tool as a process wait for it (SAFE_MIGRATE_TOOL_FILE). The first group starts when the tool is
# installed: its longest classes (the kill tests) run it as a process, and waiting would hold two of its three lanes.
e2e_early=(1)
e2e_filters=(); named=()
for i in "${!e2e_groups[@]}"; do
  filter=()
  if [ "$i" -lt $((${#e2e_groups[@]} - 1)) ]; then
    for namespace in ${e2e_groups[$i]}; do
      filter+=("FullyQualifiedName~EfSafeMigrate.EndToEndTests.$namespace."); named+=("$namespace")
    done
    e2e_filters+=("$(IFS='|'; echo "${filter[*]}")")
  else
    for namespace in "${named[@]}"; do filter+=("FullyQualifiedName!~EfSafeMigrate.EndToEndTests.$namespace."); done
    e2e_filters+=("$(IFS='&'; echo "${filter[*]}")")
  fi
done
e2e_runs=()
# Starts end-to-end group I (0-based) in the background.
start_e2e() {
  local i=$1 id="$SAFE_MIGRATE_TEST_BUILD_SERVERS-e2e$(($1 + 1))"
  build_server_ids+=("$id")
  SAFE_MIGRATE_TEST_BUILD_SERVERS=$id MSBUILDNODEHANDSHAKESALT=$id SAFE_MIGRATE_TOOL_FILE=$tool_file \
    run_tests "$e2e" "e2e-$((i + 1))" "EfSafeMigrate.EndToEndTests.$((i + 1))" "${e2e_filters[$i]}" &
  e2e_runs+=($!)
}

integration_rc=""; pack_rc=""
wait -n -p first "$integration" "$packing"; first_rc=$?
if [ "$first" = "$packing" ]; then pack_rc=$first_rc; report_pack "$pack_rc"; else integration_rc=$first_rc; fi
for i in "${e2e_early[@]}"; do start_e2e "$i"; done
if [ -z "$pack_rc" ]; then wait "$packing"; pack_rc=$?; report_pack "$pack_rc"; fi
for i in "${!e2e_groups[@]}"; do
  [[ " ${e2e_early[*]} " == *" $i "* ]] || start_e2e "$i"
done
for run in "${e2e_runs[@]}"; do wait "$run" || status=1; done
if [ -z "$integration_rc" ]; then wait "$integration"; integration_rc=$?; fi
[ "$integration_rc" -eq 0 ] || status=1

# Sum the counters of every result file.
read -r passed failed skipped < <(cat "$results"/*.trx 2>/dev/null | grep -o '<Counters [^>]*>' | awk '
  { for (i = 1; i <= NF; i++) { split($i, kv, "=");
      gsub(/"/, "", kv[2]);
      if (kv[1] == "passed") p += kv[2]; else if (kv[1] == "failed" || kv[1] == "error" || kv[1] == "timeout" || kv[1] == "aborted") f += kv[2]; else if (kv[1] == "notExecuted") s += kv[2]; } }
  END { printf "%d %d %d\n", p, f, s }')
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
# Name what failed, with its message, next to the closing line (the end of a CI log is often all that is kept).
if [ "$failed" -gt 0 ] && command -v python3 >/dev/null; then
  python3 build/failed-tests.py "$results"/*.trx
elif [ "$failed" -gt 0 ]; then
  grep -ho 'testName="[^"]*"[^>]*outcome="Failed"' "$results"/*.trx | sed 's/" .*//; s/testName="/failed: /'
fi
# Stop the server before the closing line, so that the line is the last thing printed.
cleanup >/dev/null 2>&1; started=""
say "done"
line="tests: $passed passed, $failed failed"
[ "$skipped" -gt 0 ] && line="$line, $skipped skipped"
echo "$line"
[ "$failed" -eq 0 ] && [ "$status" -eq 0 ]
