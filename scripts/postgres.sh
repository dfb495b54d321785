#!/usr/bin/env bash
# Start Debian's PostgreSQL on loopback and create the test role and database (idempotent).
set -euo pipefail
version=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h | grep -q "^$version main"; then
  pg_createcluster "$version" main > /dev/null
fi
pg_ctlcluster "$version" main start 2> /dev/null || true
for _ in $(seq 1 50); do
  su postgres -c "pg_isready -q -h 127.0.0.1" && break
  sleep 0.2
done
su postgres -c "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='newsfuse'\"" | grep -q 1 \
  || su postgres -c "psql -qc \"CREATE ROLE newsfuse LOGIN PASSWORD 'newsfuse' CREATEDB\""
su postgres -c "psql -qtAc \"SELECT 1 FROM pg_database WHERE datname='newsfuse_test'\"" | grep -q 1 \
  || su postgres -c "psql -qc 'CREATE DATABASE newsfuse_test OWNER newsfuse'"
