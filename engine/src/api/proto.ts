// Loads engine.proto on first use (the provider shim imports the client in every terraform-started process).

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

const PROTO = join('proto', 'maestro', 'engine', 'v1', 'engine.proto');

/** camelCase fields; unset `optional` fields stay undefined; repeated/scalars get defaults. */
const LOAD_OPTIONS: protoLoader.Options = { keepCase: false, longs: Number, enums: String, defaults: true, oneofs: false };

export interface EngineProto {
  service: grpc.ServiceDefinition;
  fieldViolations: protoLoader.MessageTypeDefinition<object, object>;
}

let loaded: EngineProto | undefined;

/** The repository root holding proto/, found from this file in both engine/src/api and dist/engine/src/api. */
function protoFile(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, PROTO))) return join(dir, PROTO);
    if (dirname(dir) === dir) throw new Error(`cannot find ${PROTO} in any parent of ${__dirname}`);
  }
}

export function engineProto(): EngineProto {
  if (loaded) return loaded;
  const def = protoLoader.loadSync(protoFile(), LOAD_OPTIONS);
  loaded = {
    service: def['maestro.engine.v1.Engine'] as grpc.ServiceDefinition,
    fieldViolations: def['maestro.engine.v1.FieldViolations'] as protoLoader.MessageTypeDefinition<object, object>,
  };
  return loaded;
}
