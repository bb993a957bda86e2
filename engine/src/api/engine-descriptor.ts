// Precompiles engine.proto into engine-protos.json (a protobufjs JSON descriptor), which proto.ts reads.
//
// Run after changing proto/maestro/engine/v1/engine.proto (tests/unit/engine-proto-descriptor.test.ts fails until then):
//   npx tsc -p tsconfig.json && node dist/engine/src/api/engine-descriptor.js
// Loading proto-loader and parsing the .proto text cost 50-100 ms in every
// process that loads the client, and the provider shim is such a process 3-5
// times per terraform command.

import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { INamespace } from 'protobufjs';
import { buildDescriptor, descriptorText, findProtoDir } from '../../../provider-shim/src/plugin/plugin-descriptor';

/** The engine API, relative to proto/. */
export const ENGINE_PROTO = 'maestro/engine/v1/engine.proto';

/** Where the generated descriptor lives in the repository: next to proto.ts, so tsc copies it into dist/ with the code. */
export const engineDescriptorFile = (protoDir = findProtoDir()): string => join(dirname(protoDir), 'engine/src/api/engine-protos.json');

/** The JSON descriptor of engine.proto with camelCase field names, as the wire shapes in wire.ts and inventory-wire.ts expect. */
export const buildEngineDescriptor = (protoDir = findProtoDir()): INamespace => buildDescriptor([ENGINE_PROTO], protoDir, false);

if (require.main === module) {
  const file = engineDescriptorFile();
  writeFileSync(file, descriptorText(buildEngineDescriptor()));
  process.stdout.write(`wrote ${file}\n`);
}
