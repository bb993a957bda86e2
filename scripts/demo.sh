#!/usr/bin/env bash
# The demo: simulated lab + engine + `terraform apply` of examples/switch-ports.
# Leaves the lab and the engine running and prints how to look around and destroy.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DEMO=$ROOT/.lab/demo
export CHECKPOINT_DISABLE=1

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "Building"
npm run --silent build

step "Stopping a previous demo, if any"
scripts/demo-down.sh >/dev/null 2>&1 || true
mkdir -p "$DEMO"

step "Starting the lab (SSH switch simulators, a Redfish BMC simulator per server)"
bin/maestro lab up --dir "$DEMO/lab"

step "Starting the engine"
rm -rf "$DEMO/engine"
nohup bin/maestro engine serve --data-dir "$DEMO/engine" --listen 127.0.0.1:0 --inventory "$DEMO/lab/inventory.yaml" >"$DEMO/engine.log" 2>&1 &
for _ in $(seq 1 200); do [ -f "$DEMO/engine/engine.json" ] && break; sleep 0.1; done
[ -f "$DEMO/engine/engine.json" ] || { echo "the engine did not start:"; cat "$DEMO/engine.log"; exit 1; }
ENDPOINT=$(node -p "require('$DEMO/engine/engine.json').endpoint")
echo "engine listening on $ENDPOINT (log: $DEMO/engine.log)"

step "Installing the provider into terraform's local plugin mirror"
node dist/provider-shim/src/install.js

cat >"$DEMO/env.sh" <<ENV
export MAESTRO_ENDPOINT=$ENDPOINT
export MAESTRO_TOKEN_FILE=$DEMO/engine/admin.token
export MAESTRO_CA_CERT_FILE=$DEMO/engine/tls/ca.pem
export TF_CLI_CONFIG_FILE=$DEMO/terraformrc
export CHECKPOINT_DISABLE=1
ENV
: >"$DEMO/terraformrc"
# shellcheck source=/dev/null
. "$DEMO/env.sh"

step "terraform apply (examples/switch-ports)"
rm -rf "$DEMO/work" && cp -r examples/switch-ports "$DEMO/work"
terraform -chdir="$DEMO/work" init -input=false
terraform -chdir="$DEMO/work" apply -input=false -auto-approve

step "What was built"
bin/maestro switches list
bin/maestro servers list
for port in leaf1/Ethernet1 leaf1/Ethernet48 leaf2/Ethernet48 leaf2/Ethernet7; do
  bin/maestro ports get "${port%%/*}" "${port#*/}"
done

cat <<DONE

The lab and the engine keep running. To look around or tear down:
  . $DEMO/env.sh
  terraform -chdir=$DEMO/work plan        # no changes
  terraform -chdir=$DEMO/work destroy     # ports back to quarantine
  scripts/demo-down.sh                    # stop the engine and the lab
DONE
