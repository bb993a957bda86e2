// What the provider process has loaded when it prints the handshake line: only what serving needs.

import { join } from 'node:path';
import { createSelfSignedCertificate } from '../../provider-shim/src/plugin/certificate';
import { MAGIC_COOKIE_VALUE } from '../../provider-shim/src/plugin/handshake';
import { cleanEnv, REPO, runTs } from './plugin-child-process';

/** Starts main.ts as terraform would; at the handshake line, prints every loaded module on stderr and exits. */
const SCRIPT = `
const fs = require('fs');
const writeSync = fs.writeSync;
fs.writeSync = (fd, ...rest) => {
  const n = writeSync(fd, ...rest);
  if (fd === 1) {
    writeSync(2, 'MODULES ' + JSON.stringify(Object.keys(require.cache)) + '\\n');
    process.exit(0);
  }
  return n;
};
require(${JSON.stringify(join(REPO, 'provider-shim/src/main.ts'))});
`;

let loaded: string[];

beforeAll(async () => {
  const env = cleanEnv({
    TF_PLUGIN_MAGIC_COOKIE: MAGIC_COOKIE_VALUE,
    PLUGIN_PROTOCOL_VERSIONS: '5,6',
    PLUGIN_CLIENT_CERT: createSelfSignedCertificate({ commonName: 'terraform', dnsNames: ['localhost'] }).certPem,
  });
  const res = await runTs(['-e', SCRIPT], env);
  const line = /^MODULES (.*)$/m.exec(res.stderr);
  if (!line) throw new Error(`the provider printed no handshake (exit ${res.code}):\n${res.stderr}`);
  loaded = (JSON.parse(line[1]) as string[]).filter((f) => !f.includes('/node_modules/@swc/')); // the test's TypeScript hook
}, 30_000);

test.each([
  ['@grpc/proto-loader', 'the services come from the precompiled descriptor', /node_modules\/@grpc\/proto-loader\//],
  ['protobufjs', 'proto-codec.ts encodes and decodes', /node_modules\/protobufjs\//],
  ['@msgpack/msgpack', 'values are decoded from the first RPC on', /node_modules\/@msgpack\//],
  ['the framework', 'the provider loads on the first RPC', /provider-shim\/src\/framework\//],
  ['the resources', 'the provider loads on the first RPC', /provider-shim\/src\/resources\//],
  ['the cty codec', 'values are decoded from the first RPC on', /provider-shim\/src\/cty\//],
  ['the engine client', 'it loads at ConfigureProvider', /engine\/src\//],
  ['@grpc/grpc-js', "the plugin's own gRPC server (grpc-server.ts) answers; the engine client brings grpc-js at ConfigureProvider", /node_modules\/@grpc\/grpc-js\//],
])('%s is not loaded before the handshake: %s', (_name, _why, pattern) => {
  expect(loaded.filter((f) => pattern.test(f))).toEqual([]);
});

test('the handshake was served by the plugin gRPC server with the precompiled descriptor', () => {
  expect(loaded.some((f) => f.endsWith('/provider-shim/src/plugin/grpc-server.ts'))).toBe(true);
  expect(loaded.some((f) => f.endsWith('/provider-shim/src/plugin/plugin-protos.json'))).toBe(true);
});
