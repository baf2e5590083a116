#!/usr/bin/env bash
# The main job on the built-in default: a throwaway local PostgreSQL and the sample project (samples/Shop).
# Installs the tool from this checkout, then shows what it does, one act at a time:
#   1 what would run (status, plan)          5 squash a range, with the runtime library
#   2 apply with its verified backup          6 fake-initial on a database that already has the tables
#   3 a failing migration, and its backup     7 lint: what would lock production
#   4 two branches that conflict → merge      8 rollback with Down, and a restore from a backup
#
#   build/demo.sh            run the demo, then stop the throwaway server
#   build/demo.sh --keep     leave the server running (its connection string is printed)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work="$root/.tmp/demo"
keep=${1:-}
mkdir -p "$work"
rm -rf "$work/repo" "$work/backups"
started=$(date +%s)

act() { printf '\n\033[1;36m### %s\033[0m\n' "$*" >&2; }
step() { printf '\n\033[1m$ %s\033[0m\n' "$*" >&2; }
# Runs a command that is expected to fail, and shows its exit code.
expect_failure() { set +e; "$@"; local code=$?; set -e; printf '(exit code %s)\n' "$code" >&2; }
quiet() { "$@" >/dev/null 2>&1; }

exec 1>&2   # one stream, so that tables and messages show in order
act "Setting up: a throwaway PostgreSQL and the tool from this checkout"
server=$("$root/tools/throwaway-postgres.sh" start "$work/postgres" | tail -n 1)
[ "$keep" = "--keep" ] || trap '"$root/tools/throwaway-postgres.sh" stop "$work/postgres" >/dev/null' EXIT
stamp=$(date -u +%H%M%S)
database="shop_demo_$stamp"
# The sample's design-time factory reads this variable, as an ASP.NET app reads ConnectionStrings:Shop.
export ConnectionStrings__Shop="$server;Database=$database"
tool=$("$root/build/install-tool.sh" "$work/install" 2>/dev/null | tail -n 1)
export PATH="$(dirname "$tool"):$PATH"   # so that 'dotnet safe-migrate' finds it
backups="$work/backups"
migration() { ls "$1/Migrations" | grep -E '^[0-9]{14}_.*\.cs$' | grep -v Designer | sort | sed -n "$2p" | sed 's/\.cs$//'; }
cd "$root/samples/Shop"
quiet dotnet build -nologo -v:q   # one build up front; the commands below use it (--no-build)
first=$(migration . 1); third=$(migration . 3)

act "1. What would run — before anything runs"
step "dotnet safe-migrate status          (database $database does not exist yet)"
dotnet safe-migrate status --no-build
step "dotnet safe-migrate plan"
dotnet safe-migrate plan --no-build

act "2. Apply, with a verified backup first and a lock held throughout"
step "dotnet safe-migrate apply $first   (creates the database: a new database has nothing to back up)"
dotnet safe-migrate apply "$first" --no-build --backup-dir "$backups"
step "dotnet safe-migrate apply           (pg_dump backup, verified, then each migration in its own transaction)"
dotnet safe-migrate apply --no-build --backup-dir "$backups"
step "dotnet safe-migrate backup list"
dotnet safe-migrate backup list --backup-dir "$backups"

act "3. A migration that fails half-way: nothing is left half-applied, and the message names the backup"
failing="$root/tests/Fixtures/ShopWithFailingMigration"
quiet dotnet build "$failing" -nologo -v:q
export ConnectionStrings__Shop="$server;Database=${database}_failing"
step "dotnet safe-migrate apply $third -p tests/Fixtures/ShopWithFailingMigration"
dotnet safe-migrate apply "$third" -p "$failing" --no-build --backup-dir "$backups"
step "dotnet safe-migrate apply -p tests/Fixtures/ShopWithFailingMigration   (BreakHalfway fails)"
expect_failure dotnet safe-migrate apply -p "$failing" --no-build --backup-dir "$backups"
step "dotnet safe-migrate status -p tests/Fixtures/ShopWithFailingMigration   (still at $third)"
dotnet safe-migrate status -p "$failing" --no-build
export ConnectionStrings__Shop="$server;Database=$database"

act "4. Two branches each add a migration: git, check and merge"
repo="$work/repo"
mkdir -p "$repo"
cp "$root"/Directory.Build.props "$root"/Directory.Build.targets "$root"/Directory.Packages.props "$root"/global.json "$root"/.gitignore "$repo"/
(cd "$root/samples" && tar --exclude=bin --exclude=obj -cf - Shop) | (cd "$repo" && tar -xf -)
cd "$repo"
git init -q -b main && git config user.email demo@example.invalid && git config user.name demo
git add -A && git commit -qm "The sample"
quiet dotnet build Shop -nologo -v:q
git checkout -q -b feature-phone
sed -i 's|    public string Email { get; set; } = "";|    public string Email { get; set; } = "";\n\n    public string? Phone { get; set; }|' Shop/Model/Customer.cs
step "(feature-phone) dotnet safe-migrate add AddCustomerPhone"
dotnet safe-migrate add AddCustomerPhone -p Shop 2>&1 | tail -n 1
git add -A && git commit -qm "Customer phone"
git checkout -q main && git checkout -q -b feature-weight
sed -i 's|    public decimal Price { get; set; }|    public decimal Price { get; set; }\n\n    public int? Weight { get; set; }|' Shop/Model/Product.cs
step "(feature-weight) dotnet safe-migrate add AddProductWeight"
dotnet safe-migrate add AddProductWeight -p Shop 2>&1 | tail -n 1
git add -A && git commit -qm "Product weight"
step "git merge feature-phone             (both branches moved the head line of safe-migrate.sum)"
expect_failure git merge -q --no-edit feature-phone
git checkout -q --ours -- Shop/Migrations/ShopContextModelSnapshot.cs   # merge regenerates the snapshot
step "dotnet safe-migrate check"
expect_failure dotnet safe-migrate check -p Shop
step "dotnet safe-migrate hash && git commit   (record both branches' migrations as they are)"
dotnet safe-migrate hash -p Shop
git add -A && git commit -qm "Merge feature-phone"
step "dotnet safe-migrate merge           (neither branch touched what the other did: a merge migration)"
dotnet safe-migrate merge -p Shop
step "dotnet safe-migrate check --build"
dotnet safe-migrate check --build -p Shop
git add -A && git commit -qm "Merge migration"

act "5. Squash a range into one migration that replaces it ([Replaces] from the EfSafeMigrate library)"
sed -i "s|</Project>|  <ItemGroup>\n    <ProjectReference Include=\"$root/src/EfSafeMigrate/EfSafeMigrate.csproj\" />\n  </ItemGroup>\n</Project>|" Shop/Shop.csproj
git add -A && git commit -qm "Reference EfSafeMigrate"
step "dotnet safe-migrate squash AddProductSku AddOrdersDropLegacy"
dotnet safe-migrate squash AddProductSku AddOrdersDropLegacy -p Shop
step "dotnet safe-migrate check"
dotnet safe-migrate check -p Shop
step "dotnet safe-migrate apply           (on ${database}_failing, inside the squashed range: the rest of the range, then both branches and their merge)"
ConnectionStrings__Shop="$server;Database=${database}_failing" dotnet safe-migrate apply -p Shop --no-backup 2>&1 | grep -v "^Build"
cd "$root/samples/Shop"

act "6. fake-initial: a database that already has the tables (e.g. made by EnsureCreated or by hand)"
existing="${database}_existing"
export ConnectionStrings__Shop="$server;Database=$existing"
host=$(sed -n 's/.*Host=\([^;]*\).*/\1/p' <<<"$server"); port=$(sed -n 's/.*Port=\([^;]*\).*/\1/p' <<<"$server")
PGPASSWORD=$(sed -n 's/.*Password=\([^;]*\).*/\1/p' <<<"$server") && export PGPASSWORD
createdb -h "$host" -p "$port" -U postgres "$existing"
dotnet safe-migrate script 0 "$first" --no-build 2>/dev/null \
  | psql -q -v ON_ERROR_STOP=1 -h "$host" -p "$port" -U postgres -d "$existing" >/dev/null
psql -q -h "$host" -p "$port" -U postgres -d "$existing" -c 'DROP TABLE "__EFMigrationsHistory"' >/dev/null
step "dotnet safe-migrate apply --fake-initial   ($first's tables exist, its history row does not)"
dotnet safe-migrate apply --fake-initial --no-build --backup-dir "$backups"
unset PGPASSWORD
export ConnectionStrings__Shop="$server;Database=$database"

act "7. lint: what would lock or break production, and the safe EF Core recipe"
unsafe="$root/tests/Fixtures/ShopWithUnsafeMigrations"
quiet dotnet build "$unsafe" -nologo -v:q
step "dotnet safe-migrate lint -p tests/Fixtures/ShopWithUnsafeMigrations"
expect_failure dotnet safe-migrate lint -p "$unsafe" --no-build

act "8. Rollback: with Down, then back with a restore of a verified backup"
step "dotnet safe-migrate rollback --to $third --yes   (its Downs drop tables: it names them and the rows they hold, and asks)"
dotnet safe-migrate rollback --to "$third" --yes --no-build --backup-dir "$backups"
latest=$(ls -t "$backups"/${database}_2*.dump | head -n 1)
step "dotnet safe-migrate rollback --backup $(basename "$latest") --yes   (back to where it was before the rollback)"
dotnet safe-migrate rollback --backup "$latest" --yes --no-build --backup-dir "$backups"
step "dotnet safe-migrate status"
dotnet safe-migrate status --no-build
step "dotnet safe-migrate script 0 $third   (first lines; runs as is with psql -v ON_ERROR_STOP=1 -f)"
dotnet safe-migrate script 0 "$third" --no-build | head -n 8
echo >&2
if [ "$keep" = "--keep" ]; then
  echo "The server is still running: ConnectionStrings__Shop='$server;Database=$database' (stop: tools/throwaway-postgres.sh stop $work/postgres)" >&2
fi
echo "Demo finished in $(( $(date +%s) - started )) s. Backups are in $backups." >&2
