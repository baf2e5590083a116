#!/usr/bin/env bash
# Packs the three packages into ./artifacts (or DIR): the tool dotnet-safe-migrate, the runtime library
# EfSafeMigrate and EfSafeMigrate.Npgsql, each with its symbols package (.snupkg).
#
#   build/pack.sh [DIR] [VERSION]      e.g. build/pack.sh ./artifacts 0.2.0
#
# Then: dotnet tool install --global dotnet-safe-migrate --add-source ./artifacts
#       dotnet add package EfSafeMigrate --source ./artifacts
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/artifacts}
mkdir -p "$out"; out=$(cd "$out" && pwd)
version_args=()
[ -n "${2:-}" ] && version_args=("-p:Version=$2")
for project in src/EfSafeMigrate src/EfSafeMigrate.Npgsql src/EfSafeMigrate.Tool; do
  dotnet pack "$root/$project" -c Release -o "$out" -nologo -v:q -clp:NoSummary "${version_args[@]}" >&2
done
ls -1 "$out"/*.nupkg "$out"/*.snupkg
