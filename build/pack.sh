#!/usr/bin/env bash
# Packs the three packages into ./artifacts (or DIR): the tool dotnet-safe-migrate, the runtime library
# EfSafeMigrate and EfSafeMigrate.Npgsql, each with its symbols package (.snupkg).
#
#   build/pack.sh [DIR] [VERSION] [PROJECT...]   e.g. build/pack.sh ./artifacts 0.2.0
#
# PROJECT: EfSafeMigrate, EfSafeMigrate.Npgsql and/or EfSafeMigrate.Tool (default: all three). The tool is three
# packages: dotnet-safe-migrate (installed by name; it points to the platform packages), dotnet-safe-migrate.linux-x64
# (ReadyToRun-compiled) and dotnet-safe-migrate.any (portable); `dotnet tool install` picks the platform's.
#
# Then: dotnet tool install --global dotnet-safe-migrate --add-source ./artifacts
#       dotnet add package EfSafeMigrate --source ./artifacts
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/artifacts}
mkdir -p "$out"; out=$(cd "$out" && pwd)
version_args=()
[ -n "${2:-}" ] && version_args=("-p:Version=$2")
projects=("${@:3}")
[ ${#projects[@]} -eq 0 ] && projects=(EfSafeMigrate EfSafeMigrate.Npgsql EfSafeMigrate.Tool)
for project in "${projects[@]}"; do
  [ -f "$root/src/$project/$project.csproj" ] || { echo "pack.sh: no project src/$project" >&2; exit 2; }
  dotnet pack "$root/src/$project" -c Release -o "$out" -nologo -v:q -clp:NoSummary "${version_args[@]}" >&2
done
ls -1 "$out"/*.nupkg "$out"/*.snupkg
