#!/usr/bin/env bash
# Builds and lints infra/main.bicep with the Bicep CLI restored from NuGet (tools/BicepCli), offline.
# Fails on any warning or error, from the compiler or the linter (bicepconfig.json sets the rules).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

package="azure.bicep.commandline.linux-x64"
version="$(sed -n 's/.*<PackageVersion Include="Azure\.Bicep\.CommandLine\.linux-x64" Version="\([^"]*\)".*/\1/p' Directory.Packages.props)"
if [[ -z "$version" ]]; then
  echo "check-infra: no PackageVersion of Azure.Bicep.CommandLine.linux-x64 in Directory.Packages.props" >&2
  exit 1
fi

packages_folder() {
  if [[ -n "${NUGET_PACKAGES:-}" ]]; then
    echo "${NUGET_PACKAGES%/}"
  else
    dotnet nuget locals global-packages --list | sed -n 's/^global-packages: *//p' | sed 's:/*$::'
  fi
}

bicep="$(packages_folder)/$package/$version/tools/bicep"
if [[ ! -f "$bicep" ]]; then
  # Restoring from the local cache needs no network; on a fresh machine this is the first download.
  echo "check-infra: Bicep CLI $version not in the NuGet cache, restoring tools/BicepCli" >&2
  dotnet restore tools/BicepCli/BicepCli.csproj >&2
fi
if [[ ! -f "$bicep" ]]; then
  echo "check-infra: Bicep CLI not found at $bicep after restoring tools/BicepCli" >&2
  exit 1
fi
# NuGet does not keep the executable bit of files it extracts.
[[ -x "$bicep" ]] || chmod +x "$bicep"

status=0
# Runs the CLI with its standard output thrown away (the compiled template) and fails on any diagnostic.
run() {
  local what="$1"
  shift
  local output
  if ! output="$("$bicep" "$@" 2>&1 >/dev/null)"; then
    status=1
  fi
  # Diagnostics look like: path(line,col) : Warning rule-or-code: message
  if grep -E ' : (Error|Warning) ' <<<"$output" >&2; then
    status=1
  fi
  if [[ $status -ne 0 ]]; then
    echo "check-infra: $what failed" >&2
    grep -vE ' : (Error|Warning) ' <<<"$output" >&2 || true
  fi
}

run "bicep build" build infra/main.bicep --stdout --no-restore
if [[ $status -eq 0 ]]; then
  run "bicep lint" lint infra/main.bicep --no-restore
fi

if [[ $status -ne 0 ]]; then
  exit 1
fi
echo "check-infra: infra/main.bicep builds and lints clean (Bicep $version)"
