// A ProviderServer that loads the real one on first use, so nothing heavy runs before the handshake.

import type { ProviderServer } from './protocol';

/**
 * Defers `load` (which typically requires the framework and every resource
 * module) until the first RPC. StopProvider before anything was loaded has
 * nothing to stop and answers '' without loading.
 */
export function lazyProviderServer(load: () => ProviderServer): ProviderServer {
  let server: ProviderServer | undefined;
  return new Proxy({} as ProviderServer, {
    get(_target, name: keyof ProviderServer) {
      if (name === 'stopProvider' && !server) return async () => '';
      if (name === 'close') return () => server?.close?.();
      return (...args: unknown[]) => {
        server ??= load();
        return (server[name] as (...a: unknown[]) => unknown).apply(server, args);
      };
    },
  });
}
