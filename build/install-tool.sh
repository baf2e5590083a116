#!/usr/bin/env bash
# Packs dotnet-safe-migrate and installs it into a tool folder, as a user installs a .NET tool.
#
#   build/install-tool.sh DIR              → builds (Release), packs and installs into DIR; prints the tool's path
#                                            (DIR/tool/dotnet-safe-migrate) last
#   build/install-tool.sh --no-build DIR   → packs what `dotnet build -c Release` built already (build/test.sh
#                                            builds the solution once and packs that build)
#
# Each pack gets its own pre-release version, so NuGet never serves a stale cached package. The version is the
# package's only: the assemblies keep the version they were built with.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
no_build=()
if [ "${1:-}" = "--no-build" ]; then no_build=(--no-build); shift; fi
dir=${1:?usage: build/install-tool.sh [--no-build] DIR}
mkdir -p "$dir"; dir=$(cd "$dir" && pwd)
version="0.1.0-local.$(date -u +%Y%m%d%H%M%S).$$"
packages="$dir/packages"
rm -rf "$packages" "$dir/tool"
dotnet pack "$root/src/EfSafeMigrate.Tool/EfSafeMigrate.Tool.csproj" -c Release "${no_build[@]}" -o "$packages" -p:PackageVersion="$version" -nologo -v:q >&2
dotnet tool install dotnet-safe-migrate --tool-path "$dir/tool" --add-source "$packages" --version "$version" >&2
echo "$dir/tool/dotnet-safe-migrate"
