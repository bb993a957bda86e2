// Loads the service definitions a plugin process serves, once, from proto/ (found next to the code).

import type { ServiceDefinition } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface PluginProtos {
  provider: ServiceDefinition;
  controller: ServiceDefinition;
  stdio: ServiceDefinition;
  broker: ServiceDefinition;
  health: ServiceDefinition;
}

const FILES = ['tfplugin6.proto', 'plugin/grpc_controller.proto', 'plugin/grpc_stdio.proto', 'plugin/grpc_broker.proto', 'grpc/health/v1/health.proto'];

/**
 * The proto/ directory: the first ancestor of this file holding proto/tfplugin6.proto
 * (the repository when run from sources or dist/, the package directory once installed).
 */
export function findProtoDir(from = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'proto', 'tfplugin6.proto'))) return join(dir, 'proto');
    if (dirname(dir) === dir) throw new Error(`proto/tfplugin6.proto not found above ${from}: the provider package is incomplete; reinstall it`);
  }
}

export function loadProtos(): PluginProtos {
  const defs = loadSync(FILES, { includeDirs: [findProtoDir()], keepCase: true, longs: Number, enums: String, bytes: Buffer, defaults: true, oneofs: true });
  const service = (name: string) => defs[name] as unknown as ServiceDefinition;
  return {
    provider: service('tfplugin6.Provider'),
    controller: service('plugin.GRPCController'),
    stdio: service('plugin.GRPCStdio'),
    broker: service('plugin.GRPCBroker'),
    health: service('grpc.health.v1.Health'),
  };
}
