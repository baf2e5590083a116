#!/usr/bin/env bash
# The main job on the built-in default: a throwaway local PostgreSQL and the sample project
# (samples/Shop). Installs the tool from this checkout, then shows status, plan, apply with its
# verified backup, rollback with Down, a restore from the backup, and a psql-ready script.
#
#   build/demo.sh            run the demo, then stop the throwaway server
#   build/demo.sh --keep     leave the server running (its connection string is printed)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work="$root/.tmp/demo"
keep=${1:-}
mkdir -p "$work"

step() { printf '\n\033[1m== %s\033[0m\n' "$*" >&2; }

step "Starting a throwaway PostgreSQL (tools/throwaway-postgres.sh)"
server=$("$root/tools/throwaway-postgres.sh" start "$work/postgres" | tail -n 1)
[ "$keep" = "--keep" ] || trap '"$root/tools/throwaway-postgres.sh" stop "$work/postgres"' EXIT
database="shop_demo_$(date -u +%H%M%S)"
# The sample's design-time factory reads this variable, as an ASP.NET app reads ConnectionStrings:Shop.
export ConnectionStrings__Shop="$server;Database=$database"

step "Installing dotnet-safe-migrate from this checkout (dotnet pack + dotnet tool install)"
tool=$("$root/build/install-tool.sh" "$work/install" | tail -n 1)
export PATH="$(dirname "$tool"):$PATH"   # so that 'dotnet safe-migrate' finds it
cd "$root/samples/Shop"
backups="$work/backups"

step "dotnet safe-migrate status            (database $database does not exist yet)"
dotnet safe-migrate status
step "dotnet safe-migrate plan"
dotnet safe-migrate plan --no-build
first=$(ls Migrations | grep -E '^[0-9]{14}_.*\.cs$' | grep -v Designer | sort | sed -n 1p | sed 's/\.cs$//')
step "dotnet safe-migrate apply $first   (creates the database: a new database has nothing to back up)"
dotnet safe-migrate apply "$first" --no-build --backup-dir "$backups"
step "dotnet safe-migrate apply             (verified backup first, then each migration)"
dotnet safe-migrate apply --no-build --backup-dir "$backups"
step "dotnet safe-migrate status"
dotnet safe-migrate status --no-build
third=$(ls Migrations | grep -E '^[0-9]{14}_.*\.cs$' | grep -v Designer | sort | sed -n 3p | sed 's/\.cs$//')
step "dotnet safe-migrate rollback --to $third"
dotnet safe-migrate rollback --to "$third" --no-build --backup-dir "$backups"
step "dotnet safe-migrate backup list"
dotnet safe-migrate backup list --backup-dir "$backups"
latest=$(ls -t "$backups"/*.dump | head -n 1)
step "dotnet safe-migrate backup verify $(basename "$latest")"
dotnet safe-migrate backup verify "$latest"
step "dotnet safe-migrate rollback --backup $(basename "$latest") --yes   (back to where it was before the rollback)"
dotnet safe-migrate rollback --backup "$latest" --yes --no-build --backup-dir "$backups"
step "dotnet safe-migrate status"
dotnet safe-migrate status --no-build
step "dotnet safe-migrate script 0 $third   (first lines; runs as is with psql -v ON_ERROR_STOP=1 -f)"
dotnet safe-migrate script 0 "$third" --no-build | head -n 12
echo >&2
if [ "$keep" = "--keep" ]; then
  echo "The server is still running: ConnectionStrings__Shop='$server;Database=$database' (stop: tools/throwaway-postgres.sh stop $work/postgres)" >&2
fi
echo "Demo finished. Backups are in $backups." >&2
