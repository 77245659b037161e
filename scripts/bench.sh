#!/usr/bin/env bash
# The benchmark command (`make bench`): what the load benchmark needs beyond the product's own
# set-up (wrk from Debian's packages, locust from benchmarks/requirements.lock), then
# benchmarks/national.py against the configured PostgreSQL and Redis, or embedded ones.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
if ! command -v wrk >/dev/null; then
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends wrk >/dev/null
fi
stamp=.venv/.bench-requirements.lock
if ! cmp -s benchmarks/requirements.lock "$stamp"; then
  echo "Installing the benchmark's Python packages from benchmarks/requirements.lock"
  .venv/bin/python -m pip install --quiet -r benchmarks/requirements.lock
  cp benchmarks/requirements.lock "$stamp"
fi
exec .venv/bin/python -m sfo.launcher bench benchmarks/national.py "$@"
