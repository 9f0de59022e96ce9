#!/usr/bin/env bash
# Sets up everything the test suite needs on a fresh Debian or Ubuntu machine, then runs it:
# Debian packages (with sudo unless root), a virtual environment in .venv, a throwaway
# PostgreSQL on loopback, then ruff, mypy and pytest. Extra arguments go to pytest.
# POSAPP_TEST_POSTGRES=0 skips PostgreSQL (its tests then say how to enable them).
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

packages=(python3 python3-venv python3-tk xvfb xauth zbar-tools libzbar0 postgresql fonts-dejavu-core
          openbox xdotool x11-utils x11-xkb-utils xkb-data)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages (needs root): ${missing[*]}"
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[test]'

if [ "${POSAPP_TEST_POSTGRES:-1}" != "0" ] && [ -z "${POSAPP_TEST_POSTGRES_URL:-}" ]; then
  # A private cluster in a temporary folder: no system service, no password, loopback only.
  pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  pgdir=$(mktemp -d /tmp/posapp-pg.XXXXXX)
  pgport=$(.venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  run_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
  [ "$(id -u)" -eq 0 ] && chown postgres "$pgdir"
  run_pg "$pgbin/initdb" -D "$pgdir/data" -A trust -U postgres >/dev/null
  run_pg "$pgbin/pg_ctl" -D "$pgdir/data" -l "$pgdir/log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $pgport -k $pgdir -c max_connections=200 -c fsync=off" start >/dev/null
  trap 'run_pg "$pgbin/pg_ctl" -D "$pgdir/data" -m immediate stop >/dev/null 2>&1; rm -rf "$pgdir"' EXIT
  export POSAPP_TEST_POSTGRES_URL="postgresql+psycopg://postgres@127.0.0.1:$pgport/postgres"
  echo "PostgreSQL for the tests: $POSAPP_TEST_POSTGRES_URL"
fi

echo "== ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "== mypy"
.venv/bin/mypy
echo "== pytest"
.venv/bin/pytest "$@"
