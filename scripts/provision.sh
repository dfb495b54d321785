#!/usr/bin/env bash
# Install and start what the test suite needs beyond Python, when this machine lets us:
# Debian's chromium (browser tests), PostgreSQL (store tests run on it too) and a Java 17
# runtime (the Spark tests run pyspark in local mode). Prints the
# PostgreSQL URL for the tests on stdout; says on stderr what it could not do.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v pg_ctlcluster > /dev/null || need+=(postgresql)
command -v java > /dev/null || [ -n "${JAVA_HOME:-}" ] || need+=(openjdk-17-jre-headless)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null; then
    apt-get update -qq >&2
    apt-get install -y -qq "${need[@]}" > /dev/null
  elif command -v sudo > /dev/null && sudo -n true 2> /dev/null; then
    sudo apt-get update -qq >&2
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" > /dev/null
  else
    echo "provision: cannot install ${need[*]} (needs root and apt-get); their tests will fail" >&2
  fi
fi
if command -v pg_ctlcluster > /dev/null && [ "$(id -u)" = 0 ]; then
  bash scripts/postgres.sh >&2
  echo "postgresql+psycopg://newsfuse:newsfuse@127.0.0.1:5432/newsfuse_test"
fi
