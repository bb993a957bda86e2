// Entry point of the maestro terraform provider process (started by terraform through the launcher),
// or, with `--host <dir>`, of the provider host that serves the launchers' sessions (plugin/host.ts).

import { serve } from './plugin/serve';
import type { ProviderServer } from './tfplugin6/protocol';
import { lazyProviderServer } from './tfplugin6/lazy-provider-server';
import { createProviderService } from './tfplugin6/server';

/** The environment and working directory a provider serves (provider.ts's ProviderContext, not imported: that module loads lazily). */
interface ProviderContext {
  env: NodeJS.ProcessEnv;
  cwd: string;
}

// Required lazily: the framework and resources load on the first RPC, after the handshake.
const loadProvider = (ctx?: ProviderContext): ProviderServer => (require('./provider') as { createProvider(ctx?: ProviderContext): ProviderServer }).createProvider(ctx);

/** Milliseconds from an environment variable in seconds; `fallback` seconds when unset or not a positive number. */
function secondsFromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  return (Number.isFinite(value) && value > 0 ? value : fallback) * 1000;
}

const hostDir = process.argv.indexOf('--host');
if (hostDir > 0 && process.argv[hostDir + 1]) {
  (require('./plugin/host') as typeof import('./plugin/host')).runHost({
    dir: process.argv[hostDir + 1],
    idleMs: secondsFromEnv('MAESTRO_PROVIDER_HOST_IDLE_SECONDS', 300),
    maxAgeMs: secondsFromEnv('MAESTRO_PROVIDER_HOST_MAX_AGE_SECONDS', 12 * 3600),
    createProvider: (env, cwd) => {
      const server = lazyProviderServer(() => loadProvider({ env, cwd }));
      return { service: createProviderService(server), close: () => server.close?.() };
    },
  });
} else {
  serve({
    provider: createProviderService(lazyProviderServer(() => loadProvider())),
    providerAddress: 'registry.terraform.io/maestro/maestro',
    debug: process.argv.includes('--debug') || process.env.MAESTRO_PROVIDER_DEBUG === '1',
  }).catch((err: Error) => {
    process.stderr.write(`maestro provider failed to start: ${err.message}\n`);
    process.exit(1);
  });
}
