#!/usr/bin/env bash
# Stops what scripts/demo.sh started: the engine, then the lab.
set -uo pipefail
cd "$(dirname "$0")/.."
DEMO=${MAESTRO_DEMO_DIR:-$PWD/.lab/demo}
if [ -f "$DEMO/engine/engine.json" ]; then
  pid=$(node -p "require('$DEMO/engine/engine.json').pid")
  kill "$pid" 2>/dev/null && for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
fi
bin/maestro lab down --dir "$DEMO/lab"
