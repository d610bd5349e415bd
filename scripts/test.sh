#!/usr/bin/env bash
# Runs the whole test suite: starts PostgreSQL (the state-store tests run against a real server)
# and runs every test project. Prints one closing line "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."

# The sample's reference programs pin IANA time zones (America/New_York) and need the system's zone data.
if [ ! -e /usr/share/zoneinfo/America/New_York ] && command -v apt-get >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tzdata
fi

# The dashboard's browser tests drive Debian's Chromium through Playwright (never a downloaded browser).
if [ ! -x /usr/bin/chromium ] && command -v apt-get >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
fi

# The Static Analyzer runs sqlfluff and bandit as processes (Debian packages).
if { ! command -v sqlfluff >/dev/null 2>&1 || ! command -v bandit >/dev/null 2>&1; } && command -v apt-get >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq sqlfluff bandit
fi

export MODERNIZER_TEST_POSTGRES="${MODERNIZER_TEST_POSTGRES:-$(bash scripts/postgres.sh)}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

log=$(mktemp)
status=0
dotnet test Modernizer.sln -c Release --logger "console;verbosity=minimal" 2>&1 | tee "$log" || status=$?

passed=$(grep -Eo 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -Eo 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
rm -f "$log"
echo "${passed} passed, ${failed} failed"
exit "$status"
