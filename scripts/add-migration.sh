#!/usr/bin/env bash
# Adds a migration NAME for both providers (docs/adr/0002). Every model change ships both; a test fails otherwise.
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: scripts/add-migration.sh NAME" >&2; exit 2; }
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
cd src/Switchboard.Data
for provider in Sqlite Postgres; do
  dotnet ef migrations add "$1" --context "${provider}SwitchboardDbContext" \
    --output-dir "$provider/Migrations" --namespace "Switchboard.Data.$provider.Migrations"
done
# dotnet-ef places the model snapshot by namespace; keep it beside its migrations.
for provider in Sqlite Postgres; do
  snapshot="Switchboard/Data/$provider/Migrations/${provider}SwitchboardDbContextModelSnapshot.cs"
  [ -f "$snapshot" ] && mv "$snapshot" "$provider/Migrations/"
done
rm -rf Switchboard
