#!/usr/bin/env bash
# Every benchmark in one command (npm run bench): builds, then runs the provider benchmarks and each engine-*.js
# benchmark in turn. Arguments go to the provider benchmarks (dist/bench/provider-run.js).
set -euo pipefail
cd "$(dirname "$0")/.."
npm run --silent build
echo "== provider: start-up, plan overhead, memory"
node dist/bench/provider-run.js "$@"
for bench in dist/bench/engine-*.js; do
  grep -q '^main()' "$bench" || continue # helpers (the engine bench lab) have no main
  echo
  echo "== $(basename "$bench" .js)"
  node "$bench"
done
