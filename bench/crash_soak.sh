#!/usr/bin/env bash
# The crash soak: the integration test's SIGKILL/restart loop, 500 cycles (or $1) instead of the
# 50 CI runs, against the real collector and mosquitto on 127.0.0.1. Prints the test's summary
# line; exit status 0 means every acknowledged submission reached the feed.
set -euo pipefail
cd "$(dirname "$0")/.."
cycles=${1:-500}
cmake --build --preset default --target integration_tests >/dev/null
INTAKE_CRASH_CYCLES=$cycles build/bin/integration_tests \
  --gtest_filter='crash_test.fifty_sigkill_restart_cycles_under_load_lose_nothing' |
  grep -E '^\[ +(info|OK|FAILED) +\]|Failure|missing'
