#!/usr/bin/env bash
# Runs every test, installing what the tests need first. Used by the README's quick start and by .ci/run.
#   scripts/test.sh            install PostgreSQL and Chromium if missing, start a throwaway PostgreSQL on loopback,
#                              build, run all tests, print the tally
# Environment: SWITCHBOARD_TEST_POSTGRES, when already set, names a server to use instead of the throwaway one.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
results="$root/artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# 1. PostgreSQL 15 server binaries (preinstalled on the dev machines; installed from Debian otherwise).
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "${SWITCHBOARD_TEST_POSTGRES:-}" ] && [ ! -x "${pg_bin:-/nonexistent}/initdb" ]; then
  echo "Installing PostgreSQL from Debian packages..."
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi

# 2. Debian's Chromium for the browser tests (Playwright drives it; its own browser download cannot work here).
if [ ! -x /usr/bin/chromium ]; then
  echo "Installing Chromium from Debian packages..."
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

# 3. A throwaway cluster on loopback, owned by the postgres user when we are root (PostgreSQL refuses root).
pg_dir=""
stop_pg() {
  if [ -n "$pg_dir" ] && [ -f "$pg_dir/data/postmaster.pid" ]; then
    run_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true
  fi
  [ -n "$pg_dir" ] && rm -rf "$pg_dir"
}
run_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [ -z "${SWITCHBOARD_TEST_POSTGRES:-}" ]; then
  pg_dir=$(mktemp -d /tmp/switchboard-pg.XXXXXX)
  chmod 755 "$pg_dir"
  [ "$(id -u)" = 0 ] && chown postgres "$pg_dir"
  trap stop_pg EXIT
  run_pg "$pg_bin/initdb" -D "$pg_dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  # A random loopback port; another one if it is taken (up to five tries), and the server's log if none works.
  for attempt in 1 2 3 4 5; do
    port=$(( 55000 + RANDOM % 1000 ))
    if run_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w -t 60 \
      -o "-p $port -k $pg_dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null; then
      break
    fi
    if [ "$attempt" = 5 ]; then cat "$pg_dir/log" >&2; exit 1; fi
  done
  export SWITCHBOARD_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres;Pooling=true"
  echo "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (throwaway)"
fi

# 4. Build once, then test; results as TRX for the tally.
dotnet build Switchboard.slnx -c Debug --nologo -v quiet
set +e
dotnet test tests/Switchboard.Tests --no-build --nologo \
  --logger "trx;LogFileName=switchboard.trx" --results-directory "$results"
status=$?

# 5. The closing line, counted from the results (grep and awk only: a fresh machine may have no Python).
grep -ho '<UnitTestResult [^>]*>' "$results"/*.trx 2>/dev/null \
  | grep -o ' outcome="[A-Za-z]*"' \
  | awk -F'"' '{ if ($2 == "Passed") p++; else if ($2 == "NotExecuted" || $2 == "Inconclusive") s++; else f++ }
               END { printf "%d passed, %d failed, %d skipped\n", p, f, s }'
exit $status
