// The gRPC service definitions a plugin process serves, from the precompiled plugin-protos.json.
//
// Start-up matters (terraform starts the provider 3-5 times per command):
// parsing the .proto text with @grpc/proto-loader cost ~65 ms per start; this
// descriptor with proto-codec.ts costs about 1 ms. Messages look exactly as
// proto-loader made them, which is what tfplugin6/wire.ts describes.

import type { ServiceDefinition } from '@grpc/grpc-js';
import descriptor from './plugin-protos.json';
import { ProtoCodecs, type DescriptorNode } from './proto-codec';
import { serviceDefinition } from './service-definition';

export interface PluginProtos {
  provider: ServiceDefinition;
  controller: ServiceDefinition;
  stdio: ServiceDefinition;
  broker: ServiceDefinition;
  health: ServiceDefinition;
}

/** Builds the five services; each message's codec is prepared on its first use. */
export function loadProtos(): PluginProtos {
  const codecs = new ProtoCodecs(descriptor as DescriptorNode);
  const service = (name: string) => serviceDefinition(codecs, name);
  return {
    provider: service('tfplugin6.Provider'),
    controller: service('plugin.GRPCController'),
    stdio: service('plugin.GRPCStdio'),
    broker: service('plugin.GRPCBroker'),
    health: service('grpc.health.v1.Health'),
  };
}
