#!/usr/bin/env bash
# Regenerates the checked-in CDKTF (cdktn) bindings cdktf/maestro-provider/ from the provider's real schema.
# Usage: bash scripts/cdktf-generate.sh [--check] [--out DIR]   (--check: compare only, exit 1 when stale)
# Needs node, terraform on the PATH (or TERRAFORM_BINARY) and `npm ci`; runs offline.
set -euo pipefail
cd "$(dirname "$0")/.."

# Stale bindings may themselves fail to type-check; tsc still emits, so build errors only warn here.
npx tsc -p tsconfig.json || echo "cdktf-generate: the build reported errors (above); generating from what it emitted" >&2
exec node dist/cdktf/generate-bindings.js "$@"
