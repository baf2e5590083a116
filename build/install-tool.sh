#!/usr/bin/env bash
# Packs dotnet-safe-migrate and installs it into a tool folder, as a user installs a .NET tool.
#
#   build/install-tool.sh DIR              → builds (Release), packs and installs into DIR; prints the tool's path
#                                            (DIR/tool/dotnet-safe-migrate) last
#   build/install-tool.sh --no-build DIR   → the same after `dotnet build -c Release` of the solution (build/test.sh):
#                                            the libraries are not compiled again; the tool project is, once per
#                                            package RID (linux-x64, ReadyToRun-compiled, and any), because its
#                                            packages are RID-specific and the solution build has no RID
#
# `dotnet pack` writes three tool packages (see src/EfSafeMigrate.Tool/EfSafeMigrate.Tool.csproj): dotnet-safe-migrate
# (the one installed by name; it only points to the others), dotnet-safe-migrate.linux-x64 and dotnet-safe-migrate.any;
# `dotnet tool install` picks the one for this machine. The ReadyToRun compile takes most of the pack's time (~40 s).
#
# Each pack gets its own pre-release version, so NuGet never serves a stale cached package. The version is the
# package's only: the assemblies keep the version they were built with.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
no_build=()
if [ "${1:-}" = "--no-build" ]; then no_build=(-p:BuildProjectReferences=false); shift; fi
dir=${1:?usage: build/install-tool.sh [--no-build] DIR}
mkdir -p "$dir"; dir=$(cd "$dir" && pwd)
version="0.1.0-local.$(date -u +%Y%m%d%H%M%S).$$"
packages="$dir/packages"
rm -rf "$packages" "$dir/tool"
dotnet pack "$root/src/EfSafeMigrate.Tool/EfSafeMigrate.Tool.csproj" -c Release "${no_build[@]}" -o "$packages" -p:PackageVersion="$version" -nologo -v:q >&2
dotnet tool install dotnet-safe-migrate --tool-path "$dir/tool" --add-source "$packages" --version "$version" >&2
echo "$dir/tool/dotnet-safe-migrate"
