// The maestro provider: its configuration, its resources, and how it reaches the engine.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { FrameworkServer } from './framework/server';
import type { Diagnostics } from './framework/diagnostics';
import type { ObjectValue, ProviderDef } from './framework/resource';
import type { ProviderServer } from './tfplugin6/protocol';
import type { ProviderClient } from './resources/engine';
import { serverInstance } from './resources/server-instance';
import { switchPort } from './resources/switch-port';
import { tenancy } from './resources/tenancy';
import { profiles } from './resources/data/profiles';
import { servers } from './resources/data/servers';
import { switchData } from './resources/data/switch';
import { tenancyData } from './resources/data/tenancy';

/** Where the provider runs: the environment and working directory terraform gave it. */
export interface ProviderContext {
  env: NodeJS.ProcessEnv;
  /** Relative file settings are resolved from here. */
  cwd: string;
}

/** Reads a value from the config, else from the environment. */
function setting(config: ObjectValue, attr: string, env: NodeJS.ProcessEnv, name: string): string | null {
  const v = config[attr];
  if (typeof v === 'string' && v !== '') return v;
  return env[name] || null;
}

function readFileSetting(ctx: ProviderContext, path: string, attr: string, diags: Diagnostics): string | null {
  try {
    return readFileSync(resolve(ctx.cwd, path), 'utf8').trim();
  } catch (err) {
    diags.error(`Cannot read ${attr}`, `${attr}: ${(err as Error).message}`, [attr]);
    return null;
  }
}

async function configure(ctx: ProviderContext, config: ObjectValue, diags: Diagnostics): Promise<ProviderClient | null> {
  const { env } = ctx;
  const endpoint = setting(config, 'endpoint', env, 'MAESTRO_ENDPOINT');
  if (!endpoint) diags.error('Missing engine endpoint', 'Set endpoint in the provider block or MAESTRO_ENDPOINT, e.g. "127.0.0.1:7443".', ['endpoint']);
  let token = setting(config, 'token', env, 'MAESTRO_TOKEN');
  const tokenFile = env.MAESTRO_TOKEN_FILE;
  if (!token && tokenFile) token = readFileSetting(ctx, tokenFile, 'token', diags);
  if (!token) diags.error('Missing engine token', 'Set token in the provider block, or MAESTRO_TOKEN / MAESTRO_TOKEN_FILE.', ['token']);
  const caFile = setting(config, 'ca_cert_file', env, 'MAESTRO_CA_CERT_FILE');
  if (!caFile) diags.error('Missing engine CA certificate', 'Set ca_cert_file in the provider block or MAESTRO_CA_CERT_FILE: the PEM file the engine wrote into its data directory (tls/ca.pem).', ['ca_cert_file']);
  const caCertPem = caFile ? readFileSetting(ctx, caFile, 'ca_cert_file', diags) : null;
  if (diags.hasErrors() || !endpoint || !token || !caCertPem) return null;
  const { EngineClient } = await import('../../engine/src/api/client');
  const client = EngineClient.connect({ endpoint, token, caCertPem });
  // Terraform builds its graph after ConfigureProvider: the connection is made meanwhile, not by the first refresh.
  client.warmUp();
  return client;
}

/** The maestro provider for one context (a process, or one session of the provider host). */
export function maestroProvider(ctx: ProviderContext): ProviderDef<ProviderClient> {
  return { ...provider, configure: (config, diags) => configure(ctx, config, diags) };
}

export const provider: ProviderDef<ProviderClient> = {
  schema: {
    version: 0,
    description: 'Maestro orchestrates bare-metal servers, switches and tenancies through its engine.',
    attributes: {
      endpoint: { type: 'string', optional: true, description: 'Engine API address as host:port. Defaults to MAESTRO_ENDPOINT.' },
      token: { type: 'string', optional: true, sensitive: true, description: 'Engine API token. Defaults to MAESTRO_TOKEN, or the contents of MAESTRO_TOKEN_FILE.' },
      ca_cert_file: { type: 'string', optional: true, description: 'PEM file of the certificate the engine API presents. Defaults to MAESTRO_CA_CERT_FILE.' },
    },
  },
  configure: (config, diags) => configure({ env: process.env, cwd: process.cwd() }, config, diags),
  close: (client) => client.close?.(),
  resources: [switchPort, tenancy, serverInstance],
  dataSources: [
    servers,
    profiles,
    switchData,
    tenancyData,
  ],
};

/** Entry point for the plugin server (loaded after the handshake). */
export function createProvider(ctx: ProviderContext = { env: process.env, cwd: process.cwd() }): ProviderServer {
  return new FrameworkServer(maestroProvider(ctx));
}
