// The engine API's gRPC service and FieldViolations codec, from the precompiled engine-protos.json.
//
// The provider shim loads the client in every terraform-started process (3-5 per
// command): loading @grpc/proto-loader and parsing engine.proto cost 50-100 ms
// there each time; this descriptor with proto-codec.ts costs about 2 ms
// (bench/engine-client-start.ts measures the difference). Messages look
// exactly as proto-loader made them with { keepCase: false, longs: Number, enums:
// String, defaults: true, oneofs: false }: camelCase fields, unset `optional`
// fields undefined, repeated fields and scalars at their defaults
// (tests/unit/engine-proto-descriptor.test.ts checks it byte for byte).
// Regenerate engine-protos.json after changing engine.proto: see engine-descriptor.ts.

import type { ServiceDefinition } from '@grpc/grpc-js';
import { ProtoCodecs, type DescriptorNode } from '../../../provider-shim/src/plugin/proto-codec';
import { serviceDefinition } from '../../../provider-shim/src/plugin/service-definition';
import descriptor from './engine-protos.json';

export interface EngineProto {
  /** maestro.engine.v1.Engine, for grpc-js servers and makeClientConstructor. */
  service: ServiceDefinition;
  /** The `field-violations-bin` trailer's message; both throw on a malformed value or bytes. */
  fieldViolations: { serialize(value: object): Buffer; deserialize(bytes: Buffer): object };
}

let loaded: EngineProto | undefined;

/** Built on first use; each message's codec is prepared when it is first encoded or decoded. */
export function engineProto(): EngineProto {
  if (loaded) return loaded;
  const codecs = new ProtoCodecs(descriptor as DescriptorNode, { oneofs: false });
  const violations = codecs.codec('maestro.engine.v1.FieldViolations', '');
  loaded = {
    service: serviceDefinition(codecs, 'maestro.engine.v1.Engine'),
    fieldViolations: { serialize: violations.encode, deserialize: violations.decode },
  };
  return loaded;
}
