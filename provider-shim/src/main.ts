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

const DEFAULT_HOST_IDLE_SECONDS = 300;

const hostDir = process.argv.indexOf('--host');
if (hostDir > 0 && process.argv[hostDir + 1]) {
  const idle = Number(process.env.MAESTRO_PROVIDER_HOST_IDLE_SECONDS ?? DEFAULT_HOST_IDLE_SECONDS);
  (require('./plugin/host') as typeof import('./plugin/host')).runHost({
    dir: process.argv[hostDir + 1],
    idleMs: (Number.isFinite(idle) && idle > 0 ? idle : DEFAULT_HOST_IDLE_SECONDS) * 1000,
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
