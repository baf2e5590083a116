#!/usr/bin/env bash
# Packs dotnet-safe-migrate and installs it into a tool folder, as a user installs a .NET tool.
#
#   build/install-tool.sh DIR     → installs into DIR; prints the tool's path (DIR/dotnet-safe-migrate) last
#
# Each pack gets its own pre-release version, so NuGet never serves a stale cached package.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:?usage: build/install-tool.sh DIR}
mkdir -p "$dir"; dir=$(cd "$dir" && pwd)
version="0.1.0-local.$(date -u +%Y%m%d%H%M%S).$$"
packages="$dir/packages"
rm -rf "$packages" "$dir/tool"
dotnet pack "$root/src/EfSafeMigrate.Tool/EfSafeMigrate.Tool.csproj" -c Release -o "$packages" -p:Version="$version" -nologo -v:q >&2
dotnet tool install dotnet-safe-migrate --tool-path "$dir/tool" --add-source "$packages" --version "$version" >&2
echo "$dir/tool/dotnet-safe-migrate"
