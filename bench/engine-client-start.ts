// Engine client start-up: a fresh process requires the engine API client and makes its first RPC, as each provider process does.
//
// Prints the median of `--runs` processes of each kind, interleaved:
//  - precompiled: the client as it is (engine-protos.json and the table-driven codec);
//  - proto-loader: the same, with engine/src/api/proto.js replaced by what it did
//    before, parsing engine.proto with @grpc/proto-loader on first use.

import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { startDaemon } from '../engine/src/api/daemon';
import { jsonLogger } from '../engine/src/api/logger';
import { connectSwitch } from '../engine/src/drivers/switch/cli-driver';
import { ms } from './engine-bench-lab';

const API_DIR = resolve(__dirname, '../engine/src/api');
const PROTO_FILE = resolve(__dirname, '../../proto/maestro/engine/v1/engine.proto');

/** The former proto.js, as a module object for require.cache: proto-loader with the options the client was written for. */
const PROTO_LOADER_MODULE = `{
  const protoLoader = require('@grpc/proto-loader');
  let loaded;
  const engineProto = () => {
    if (loaded) return loaded;
    const def = protoLoader.loadSync(${JSON.stringify(PROTO_FILE)}, { keepCase: false, longs: Number, enums: String, defaults: true, oneofs: false });
    return (loaded = { service: def['maestro.engine.v1.Engine'], fieldViolations: def['maestro.engine.v1.FieldViolations'] });
  };
  const file = ${JSON.stringify(join(API_DIR, 'proto.js'))};
  require.cache[file] = { id: file, filename: file, loaded: true, exports: { engineProto } };
}`;

/** The child: ms from before `require(client)` to the first ListSwitches answer, on stdout. */
const child = (dataDir: string, protoLoader: boolean) => `
const started = performance.now();
${protoLoader ? PROTO_LOADER_MODULE : ''}
const { EngineClient } = require(${JSON.stringify(join(API_DIR, 'client.js'))});
const client = EngineClient.fromDataDir(${JSON.stringify(dataDir)});
client.listSwitches().then(() => {
  process.stdout.write(String(performance.now() - started));
  client.close();
});`;

/** Asynchronous: the engine answering the child runs in this process. */
const runChild = async (script: string) => Number((await promisify(execFile)(process.execPath, ['-e', script], { cwd: resolve(__dirname, '../..') })).stdout);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const i = process.argv.indexOf('--runs');
  const runs = i > 0 ? Number(process.argv[i + 1]) : 15;
  const dir = mkdtempSync(join(tmpdir(), 'maestro-bench-'));
  const daemon = await startDaemon({ dataDir: dir, listen: '127.0.0.1:0', connect: (e) => connectSwitch(e), logger: jsonLogger({ write: () => 0 }) });
  try {
    const times = { precompiled: [] as number[], protoLoader: [] as number[] };
    await runChild(child(dir, false)); // warm-up: file cache
    for (let run = 0; run < runs; run++) {
      times.precompiled.push(await runChild(child(dir, false)));
      times.protoLoader.push(await runChild(child(dir, true)));
    }
    const [after, before] = [median(times.precompiled), median(times.protoLoader)];
    process.stdout.write(`require(client) + first RPC, median of ${runs} processes each:\n`);
    process.stdout.write(`  before (proto-loader parses engine.proto): ${ms(before)}\n`);
    process.stdout.write(`  after (precompiled engine-protos.json):    ${ms(after)}\n`);
    process.stdout.write(`  saved per provider process: ${ms(before - after)}\n`);
  } finally {
    await daemon.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
