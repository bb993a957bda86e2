// Terraform runs in the tests start provider hosts (provider-shim/src/plugin/host.ts) that outlive them by
// their idle time: give this run a runtime directory of its own (jest's workers inherit the environment),
// so that global-teardown.ts can stop exactly the hosts this run started.
const { mkdtempSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

module.exports = async () => {
  process.env.XDG_RUNTIME_DIR = mkdtempSync(join(tmpdir(), 'maestro-test-run-'));
};
