// Allocation under real parallelism: several processes (and one process's Promise.all) on one SQLite file never get
// the same server, VLAN or IP, and every request beyond capacity fails with a capacity error naming the pool.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allocateTenancyNetwork } from '../../engine/src/ipam';
import { openSqliteStore } from '../../engine/src/store/sqlite';
import { cleanEnv, spawnTs } from '../unit/plugin-child-process';
import { allocationStore, TENANTS_POOL } from '../unit/placement-fixture';
import { request, type Outcome } from './allocation-worker';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'maestro-alloc-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A database with 8 gpu-large servers (4 per rack), a 4-VLAN pool, and tenancy "shared" on a /29 (5 host addresses). */
async function seed(file: string): Promise<void> {
  const store = await allocationStore({ perRack: { 'gpu-large': 4 } }, file);
  await allocateTenancyNetwork(store, { tenancyId: 'shared', vlan: TENANTS_POOL.vlan.to, cidr: '10.64.3.248/29' });
  await store.close();
}

/** Runs `processes` worker processes of `perProcess` requests each, released together; resolves with every outcome. */
async function inProcesses(file: string, kind: string, processes: number, perProcess: number): Promise<Outcome[]> {
  const go = join(dir, 'go');
  const children = Array.from({ length: processes }, (_, i) =>
    spawnTs([join(__dirname, 'allocation-worker.ts')], cleanEnv({ DB: file, GO: go, KIND: kind, WORKER: `w${i}`, COUNT: String(perProcess) })));
  const outputs = children.map((child) => new Promise<string>((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (err += d));
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`worker exited ${code}: ${err}`))));
  }));
  const ready = children.map((child) => new Promise<void>((resolve) => {
    const onData = (d: Buffer) => d.toString().includes('ready') && (child.stdout!.off('data', onData), resolve());
    child.stdout!.on('data', onData);
  }));
  await Promise.all(ready);
  writeFileSync(go, '');
  return (await Promise.all(outputs)).flatMap((out) => JSON.parse(out.trim().split('\n').pop()!) as Outcome[]);
}

function tally(outcomes: Outcome[]) {
  const got = outcomes.flatMap((o) => ('got' in o ? [o.got] : []));
  const errors = outcomes.flatMap((o) => ('code' in o ? [o] : []));
  return { got, distinct: new Set(got).size, errors };
}

const cases: [string, string, number, number, number, RegExp][] = [
  ['servers', 'server', 4, 5, 8, /^no available server of profile "gpu-large" \(8 of 8 allocated\)$/],
  ['tenancy VLANs', 'vlan', 3, 3, 3, /^VLAN pool tenants 100-103 is exhausted/],
  ['tenancy IPs', 'ip', 3, 4, 5, /^tenancy shared \(10\.64\.3\.248\/29\) has no free address/],
];

test.each(cases)('%s: processes racing on one SQLite file never share a value', async (_name, kind, processes, perProcess, capacity, message) => {
  const file = join(dir, 'engine.db');
  await seed(file);
  const { got, distinct, errors } = tally(await inProcesses(file, kind, processes, perProcess));
  expect(got).toHaveLength(capacity);
  expect(distinct).toBe(capacity);
  expect(errors).toHaveLength(processes * perProcess - capacity);
  for (const e of errors) {
    expect(e.code).toBe('capacity_exhausted');
    expect(e.message).toMatch(message);
  }
}, 60_000);

test.each(cases)('%s: one process\'s concurrent requests never share a value', async (_name, kind, processes, perProcess, capacity, message) => {
  const file = join(dir, 'engine.db');
  await seed(file);
  const store = openSqliteStore(file);
  const outcomes = await Promise.all(Array.from({ length: processes * perProcess }, (_, i) => request(store, kind, `p-${i}`)));
  await store.close();
  const { got, distinct, errors } = tally(outcomes);
  expect([got.length, distinct, errors.length]).toEqual([capacity, capacity, processes * perProcess - capacity]);
  for (const e of errors) expect(e.message).toMatch(message);
});

test('the database itself holds exactly one owner per allocated server after a race', async () => {
  const file = join(dir, 'engine.db');
  await seed(file);
  await inProcesses(file, 'server', 4, 5);
  const store = openSqliteStore(file);
  const servers = await store.allocation.listServers();
  await store.close();
  const owners = servers.map((s) => s.owner);
  expect(servers.every((s) => s.state === 'allocated')).toBe(true);
  expect(new Set(owners).size).toBe(8);
});
