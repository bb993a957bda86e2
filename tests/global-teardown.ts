// Stops the provider hosts that this run's terraform runs started (see global-setup.js) and removes their directory.
import { rmSync } from 'node:fs';
import { stopHostsUnder } from '../provider-shim/src/plugin/host';

export default async function globalTeardown(): Promise<void> {
  const runtimeDir = process.env.XDG_RUNTIME_DIR;
  if (!runtimeDir || !runtimeDir.includes('maestro-test-run-')) return;
  await stopHostsUnder(runtimeDir);
  rmSync(runtimeDir, { recursive: true, force: true });
}
