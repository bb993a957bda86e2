#!/usr/bin/env bash
# Builds the project and synthesizes examples/cdktf into Terraform JSON, the way `cdktn synth` would.
# Usage: bash examples/cdktf/synth.sh [OUTDIR]   (default examples/cdktf/cdktf.out; the stack lands in OUTDIR/stacks/apps/cdk.tf.json)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=$(realpath -m "${1:-$HERE/cdktf.out}")
cd "$HERE/../.."
npx tsc -p tsconfig.json
CDKTF_OUTDIR=$OUT node dist/examples/cdktf/main.js
