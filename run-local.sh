#!/usr/bin/env bash
# Runs the archive locally: installs Azurite from package.json if needed, then starts Azurite, a simulated
# PortSIP PBX with a week of calls, and the CDR sync on a schedule. Ctrl+C stops everything it started.
# Options: --calls N --days N --seed N --sync-interval-seconds N; product settings as environment variables.
set -euo pipefail
cd "$(dirname "$0")"
[ -f node_modules/azurite/dist/src/azurite.js ] || npm ci --no-audit --no-fund --loglevel=error
exec dotnet run --project src/PortSipArchive.Local -c Release -- "$@"
