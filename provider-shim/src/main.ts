// Entry point of the maestro terraform provider process (started by terraform through the launcher).

import { serve } from './plugin/serve';
import type { ProviderServer } from './tfplugin6/protocol';
import { lazyProviderServer } from './tfplugin6/lazy-provider-server';
import { createProviderService } from './tfplugin6/server';

// Required lazily: the framework and resources load on the first RPC, after the handshake.
const loadProvider = (): ProviderServer => (require('./provider') as { createProvider(): ProviderServer }).createProvider();

serve({
  provider: createProviderService(lazyProviderServer(loadProvider)),
  providerAddress: 'registry.terraform.io/maestro/maestro',
  debug: process.argv.includes('--debug') || process.env.MAESTRO_PROVIDER_DEBUG === '1',
}).catch((err: Error) => {
  process.stderr.write(`maestro provider failed to start: ${err.message}\n`);
  process.exit(1);
});
