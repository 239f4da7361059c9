#!/usr/bin/env bash
# Builds and lints the Bicep templates with the Bicep CLI from NuGet, fails on any warning or error,
# and writes the compiled ARM template to artifacts/infra/main.json (read by
# tests/PortSipArchive.Infra.Tests). Needs the .NET SDK; the Bicep CLI package is restored once into
# the NuGet global packages folder through infra/bicep-cli/BicepCli.csproj (a restore-only project).
# Set BICEP_CLI to use another bicep binary instead.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
out="$root/artifacts/infra"

bicep=${BICEP_CLI:-}
if [ -z "$bicep" ]; then
  project="infra/bicep-cli/BicepCli.csproj"
  version=$(sed -n 's:.*<BicepCliVersion>\(.*\)</BicepCliVersion>.*:\1:p' "$project")
  [ -n "$version" ] || { echo "check.sh: no BicepCliVersion in $project" >&2; exit 1; }
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) ;;
    *) echo "check.sh: the pinned Bicep CLI package is linux-x64; set BICEP_CLI to a bicep $version binary" >&2; exit 1 ;;
  esac
  packages=${NUGET_PACKAGES:-$HOME/.nuget/packages}
  bicep="$packages/azure.bicep.commandline.linux-x64/$version/tools/bicep"
  if [ ! -f "$bicep" ]; then
    echo "Restoring the Bicep CLI $version"
    dotnet restore "$project" --nologo --verbosity quiet
  fi
  [ -f "$bicep" ] || { echo "check.sh: $bicep not found after restore" >&2; exit 1; }
  [ -x "$bicep" ] || chmod +x "$bicep"
fi
"$bicep" --version

mkdir -p "$out"
log=$(mktemp)
trap 'rm -f "$log" "$out/main.json.tmp"' EXIT
status=0

# bicep writes diagnostics as "<file>(line,col) : <Level> <code>: <message>".
"$bicep" build infra/main.bicep --outfile "$out/main.json.tmp" >"$log" 2>&1 || status=1
"$bicep" lint infra/main.bicep >>"$log" 2>&1 || status=1
cat "$log"
if grep -Eq '\) : (Warning|Error) ' "$log"; then
  status=1
fi
if [ "$status" -ne 0 ]; then
  rm -f "$out/main.json" # never leave a stale template for the tests to pass on
  echo "check.sh: bicep build/lint reported errors or warnings" >&2
  exit 1
fi

mv "$out/main.json.tmp" "$out/main.json"
echo "Bicep build and lint: 0 warnings, 0 errors -> artifacts/infra/main.json"
