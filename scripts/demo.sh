#!/usr/bin/env bash
# The demo: simulated lab + engine + `terraform apply` of examples/switch-ports.
# Leaves the lab and the engine running and prints how to look around and destroy.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
# For tests: MAESTRO_DEMO_DIR (default .lab/demo), MAESTRO_DEMO_TOPOLOGY (a lab topology file),
# MAESTRO_DEMO_SKIP_BUILD=1 (dist/ is fresh already).
DEMO=${MAESTRO_DEMO_DIR:-$ROOT/.lab/demo}
TOPOLOGY=()
[ -n "${MAESTRO_DEMO_TOPOLOGY:-}" ] && TOPOLOGY=(--topology "$MAESTRO_DEMO_TOPOLOGY")
export CHECKPOINT_DISABLE=1

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

if [ "${MAESTRO_DEMO_SKIP_BUILD:-}" != 1 ]; then
  step "Building"
  npm run --silent build
fi

step "Stopping a previous demo, if any"
scripts/demo-down.sh >/dev/null 2>&1 || true
mkdir -p "$DEMO"

# Netns mode (real namespaces, sshd, VXLAN: the hosts really ping each other) when root can
# have it; otherwise the simulator lab. MAESTRO_DEMO_MODE=simulator|netns chooses.
MODE=${MAESTRO_DEMO_MODE:-}
if [ -z "$MODE" ]; then
  if [ "$(id -u)" = 0 ] && [ -x /usr/sbin/sshd ] && ip netns list >/dev/null 2>&1; then MODE=netns; else MODE=simulator; fi
fi
case "$MODE" in
  netns)
    step "Starting the lab in netns mode (leaves and servers as network namespaces with sshd, VXLAN, a Redfish BMC simulator per server)"
    bin/maestro lab up --netns ${TOPOLOGY[@]+"${TOPOLOGY[@]}"} --dir "$DEMO/lab"
    EXAMPLE=basic ;;
  simulator)
    step "Starting the lab (SSH switch simulators, a Redfish BMC simulator per server)"
    bin/maestro lab up ${TOPOLOGY[@]+"${TOPOLOGY[@]}"} --dir "$DEMO/lab"
    EXAMPLE=app-cluster ;;
  *) echo "MAESTRO_DEMO_MODE must be simulator or netns, not $MODE" >&2; exit 2 ;;
esac

step "Starting the engine"
rm -rf "$DEMO/engine"
nohup bin/maestro engine serve --data-dir "$DEMO/engine" --listen 127.0.0.1:0 --inventory "$DEMO/lab/inventory.yaml" \
  --bmc-poll-ms 200 --os-reachable-interval-ms 500 >"$DEMO/engine.log" 2>&1 &
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

step "terraform apply (examples/$EXAMPLE): the engine's job steps stream below as they run"
rm -rf "$DEMO/examples" && cp -r examples "$DEMO/examples"
WORK=$DEMO/examples/$EXAMPLE
terraform -chdir="$WORK" init -input=false >/dev/null
bin/maestro jobs follow --data-dir "$DEMO/engine" --interval-ms 300 > >(sed -u 's/^/  engine | /') &
FOLLOW=$!
trap 'kill $FOLLOW 2>/dev/null || true' EXIT
terraform -chdir="$WORK" apply -input=false -auto-approve
sleep 0.5
kill $FOLLOW 2>/dev/null || true
wait $FOLLOW 2>/dev/null || true

step "What was built"
terraform -chdir="$WORK" output
echo
bin/maestro instances list --data-dir "$DEMO/engine"
echo
bin/maestro servers list --data-dir "$DEMO/engine"
echo
echo "Switch ports the instances' NICs are cabled to, read from the switches:"
for port in $(terraform -chdir="$WORK" output -json | node -e '
  const out = JSON.parse(require("fs").readFileSync(0, "utf8"));
  const ports = new Set();
  const walk = (v) => { if (Array.isArray(v)) v.forEach(walk); else if (v && typeof v === "object") { for (const [k, x] of Object.entries(v)) { if (k === "switch_ports") x.forEach((p) => ports.add(p)); else walk(x); } } };
  for (const o of Object.values(out)) walk(o.value);
  console.log([...ports].sort().join(" "));'); do
  bin/maestro ports get --data-dir "$DEMO/engine" "${port%%/*}" "${port#*/}" | { [ -n "${shown:-}" ] && tail -n +2 || cat; }
  shown=1
done
if [ "$MODE" = netns ]; then
  step "On the wire: every instance pings every other one's tenancy address (same tenancy answers, another must not)"
  bin/maestro lab reach --dir "$DEMO/lab" --data-dir "$DEMO/engine"
fi

cat <<DONE

The lab and the engine keep running. To look around or tear down:
  . $DEMO/env.sh
  bin/maestro jobs list --data-dir $DEMO/engine     # every job, with its steps (jobs get <id>)
  terraform -chdir=$WORK plan        # no changes
  terraform -chdir=$WORK destroy     # power off, secure erase, ports back to quarantine, servers available
  scripts/demo-down.sh               # stop the engine and the lab
DONE
