// Precompiles the .proto files a plugin process serves into plugin-protos.json (a protobufjs JSON descriptor).
//
// Run after changing any of PROTO_FILES (tests/unit/provider-startup-descriptor.test.ts fails until then):
//   npx tsc -p tsconfig.json && node dist/provider-shim/src/plugin/plugin-descriptor.js
// Parsing .proto text costs ~65 ms (proto-loader and the full protobufjs), and the
// provider pays every start-up cost 3-5 times per terraform command, so the
// provider process reads this JSON instead (load-protos.ts).

import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Root, type INamespace } from 'protobufjs';

/** Everything a plugin process serves: tfplugin6 and go-plugin's side services. Relative to proto/. */
export const PROTO_FILES = ['tfplugin6.proto', 'plugin/grpc_controller.proto', 'plugin/grpc_stdio.proto', 'plugin/grpc_broker.proto', 'grpc/health/v1/health.proto'];

/** Where the generated descriptor lives in the repository: next to load-protos.ts, so tsc copies it into dist/ with the code. */
export const descriptorSourceFile = (protoDir = findProtoDir()): string => join(dirname(protoDir), 'provider-shim/src/plugin/plugin-protos.json');

/**
 * The proto/ directory: the first ancestor of `from` holding proto/tfplugin6.proto
 * (the repository, from sources or from dist/). Throws when there is none.
 */
export function findProtoDir(from = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'proto', 'tfplugin6.proto'))) return join(dir, 'proto');
    if (dirname(dir) === dir) throw new Error(`proto/tfplugin6.proto not found above ${from}: run this from the repository`);
  }
}

/**
 * The JSON descriptor of `files` (relative to `protoDir`), without comments.
 * `keepCase` keeps field names as written in the .proto; otherwise they are
 * camelCase, as proto-loader's `keepCase: false` makes them. google/protobuf
 * imports come from protobufjs' bundled copies. Throws on a parse error.
 */
export function buildDescriptor(files: string[], protoDir: string, keepCase: boolean): INamespace {
  const root = new Root();
  root.loadSync(files.map((f) => join(protoDir, f)), { keepCase });
  root.resolveAll();
  return root.toJSON({ keepComments: false });
}

/** The JSON descriptor of PROTO_FILES, field names as written (the wire shapes in tfplugin6/wire.ts expect that). */
export const buildPluginDescriptor = (protoDir = findProtoDir()): INamespace => buildDescriptor(PROTO_FILES, protoDir, true);

/** The file's exact text: stable, diff-friendly JSON. */
export const descriptorText = (descriptor: INamespace): string => `${JSON.stringify(descriptor, null, 1)}\n`;

if (require.main === module) {
  const file = descriptorSourceFile();
  writeFileSync(file, descriptorText(buildPluginDescriptor()));
  process.stdout.write(`wrote ${file}\n`);
}
