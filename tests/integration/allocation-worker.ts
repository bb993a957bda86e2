// Test support: one process of the allocation concurrency test. Opens the shared SQLite file, waits for the go file,
// fires its requests at once and prints one JSON line: what each request got.
//
// env: DB (SQLite file), GO (file whose appearance starts the run), KIND (server | vlan | ip), WORKER (name), COUNT.

import { existsSync } from 'node:fs';
import { allocateIp, allocateTenancyNetwork } from '../../engine/src/ipam';
import { allocateServer } from '../../engine/src/placement';
import { openSqliteStore, type SqliteStore } from '../../engine/src/store/sqlite';

export type Outcome = { got: string } | { code: string; message: string };

/** One request of `kind` for owner `owner`; resolves with what was allocated or the error's code and message. */
export function request(store: SqliteStore, kind: string, owner: string): Promise<Outcome> {
  const run = {
    server: async () => (await allocateServer(store, { profile: 'gpu-large', owner })).id,
    vlan: async () => String((await allocateTenancyNetwork(store, { tenancyId: owner })).vlan),
    ip: async () => (await allocateIp(store, { tenancyId: 'shared', owner })).address,
  }[kind];
  if (!run) throw new Error(`unknown KIND ${kind}`);
  return run().then((got) => ({ got }), (err) => ({ code: err.code ?? 'unexpected', message: err.message }));
}

async function main(): Promise<void> {
  const { DB, GO, KIND, WORKER, COUNT } = process.env;
  const store = openSqliteStore(DB!);
  process.stdout.write('ready\n');
  while (!existsSync(GO!)) await new Promise((r) => setTimeout(r, 2));
  const outcomes = await Promise.all(Array.from({ length: Number(COUNT) }, (_, i) => request(store, KIND!, `${WORKER}-${i}`)));
  await store.close();
  process.stdout.write(`${JSON.stringify(outcomes)}\n`);
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`${err.stack}\n`);
    process.exitCode = 1;
  });
}
