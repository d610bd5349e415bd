#!/usr/bin/env bash
# Ensures a PostgreSQL server from Debian's packages runs on loopback with a test role and
# database, then prints the connection string the tests read from MODERNIZER_TEST_POSTGRES.
set -euo pipefail

if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  echo "installing PostgreSQL from Debian packages..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
fi

version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
if ! pg_lsclusters -h 2>/dev/null | awk '{print $1" "$2}' | grep -q "^$version main$"; then
  pg_createcluster "$version" main >&2
fi
if ! pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $4}' | grep -q online; then
  pg_ctlcluster "$version" main start >&2
fi

for _ in $(seq 1 30); do
  if su postgres -c "psql -qtAc 'select 1'" >/dev/null 2>&1; then break; fi
  sleep 1
done

su postgres -c "psql -qtAc \"DO \\\$\\\$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname='modernizer') THEN CREATE ROLE modernizer LOGIN PASSWORD 'modernizer' CREATEDB; END IF; END\\\$\\\$;\"" >&2
if ! su postgres -c "psql -qtAc \"SELECT 1 FROM pg_database WHERE datname='modernizer_test'\"" | grep -q 1; then
  su postgres -c "createdb -O modernizer modernizer_test" >&2
fi

echo "Host=127.0.0.1;Port=5432;Username=modernizer;Password=modernizer;Database=modernizer_test"
