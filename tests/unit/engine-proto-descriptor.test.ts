// engine-protos.json and proto.ts: current with engine.proto, byte- and shape-compatible with proto-loader as the engine used it.

import type { MethodDefinition, ServiceDefinition } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { readFileSync } from 'node:fs';
import * as protobuf from 'protobufjs';
import { buildEngineDescriptor, ENGINE_PROTO, engineDescriptorFile } from '../../engine/src/api/engine-descriptor';
import { engineProto } from '../../engine/src/api/proto';
import { decodeViolations, errorTrailer, VIOLATIONS_KEY } from '../../engine/src/api/status';
import { descriptorText, findProtoDir } from '../../provider-shim/src/plugin/plugin-descriptor';
import { cleanEnv, REPO, runTs } from './plugin-child-process';
import { prng, randomMessage } from './proto-random-message';

const ours = engineProto().service;
/** What the engine used before: proto-loader parsing engine.proto, with the options wire.ts and inventory-wire.ts are written for. */
const parsed = loadSync(ENGINE_PROTO, { includeDirs: [findProtoDir()], keepCase: false, longs: Number, enums: String, defaults: true, oneofs: false });
const theirs = parsed['maestro.engine.v1.Engine'] as unknown as ServiceDefinition;
const theirViolations = parsed['maestro.engine.v1.FieldViolations'] as unknown as { serialize(v: object): Buffer; deserialize(b: Buffer): object };

test('engine-protos.json is what engine.proto compiles to (regenerate: npx tsc -p tsconfig.json && node dist/engine/src/api/engine-descriptor.js)', () => {
  expect(readFileSync(engineDescriptorFile(), 'utf8')).toBe(descriptorText(buildEngineDescriptor()));
});

test('the Engine service has the same methods, paths, streaming and original names as proto-loader gives', () => {
  const shape = (def: ServiceDefinition) =>
    Object.fromEntries(Object.entries(def).map(([name, m]) => [name, { path: m.path, requestStream: m.requestStream, responseStream: m.responseStream, originalName: m.originalName }]));
  expect(shape(ours)).toEqual(shape(theirs));
  expect(ours.WatchJob).toMatchObject({ path: '/maestro.engine.v1.Engine/WatchJob', requestStream: false, responseStream: true });
});

type Case = [string, string, 'request' | 'response', object];

const step = { name: 'configure', state: 'done', device: 'leaf1', detail: '', startedAt: '2024-01-01T00:00:00Z', finishedAt: '2024-01-01T00:00:01Z', attempt: 2, phase: 'do' };

const CASES: Case[] = [
  ['access port: optional access VLAN set, native VLAN unset', 'ApplyPortConfig', 'request', {
    switchId: 'leaf1', port: 'Ethernet1', owner: 'terraform:maestro_switch_port',
    config: { mode: 'access', accessVlan: 100, allowedVlans: [], mtu: 9000, description: 'web ✓', adminState: 'up' },
  }],
  ['trunk port: packed allowed VLANs, native VLAN 0 set (not the same as unset)', 'ValidatePortConfig', 'request', {
    switchId: 'leaf2', port: 'Ethernet48', config: { mode: 'trunk', allowedVlans: [1, 100, 4094], nativeVlan: 0, mtu: 1500, description: '', adminState: 'down' },
  }],
  ['port read back: nested config with both optional VLANs unset', 'GetPort', 'response', { switchId: 'leaf1', port: 'Ethernet1', config: { mode: 'access' }, owner: '' }],
  ['job streamed by WatchJob: repeated nested steps', 'WatchJob', 'response', {
    id: 'j1', kind: 'port.apply', state: 'running', steps: [step, { ...step, phase: 'undo', attempt: 1 }], who: 'admin', phase: 'compensating',
  }],
  ['server: bool, repeated NICs and disks', 'GetServer', 'response', {
    id: 'r01-gpu-01', nics: [{ name: 'eth0', mac: '52:54:00:00:00:01', switchId: 'leaf1', port: 'Ethernet1' }], disks: [{ id: 'Disk.0', sizeGb: 480, type: 'ssd' }],
    state: 'allocated', needsCleaning: true,
  }],
  ['tenancy network request: optional VLAN, VNI and MTU unset', 'AllocateTenancyNetwork', 'request', { tenancyId: 't1', pool: '', cidr: '' }],
  ['tenancy network request: optional VLAN, VNI and MTU set', 'AllocateTenancyNetwork', 'request', { tenancyId: 't1', vlan: 100, vni: 10100, mtu: 9000 }],
  ['uint32 at its maximum', 'ListJobs', 'request', { limit: 4294967295, kind: 'port.apply' }],
  ['doctor report: unset nested message decodes to null', 'RunDoctor', 'response', { findings: [{ kind: 'orphan_vlan', object: 'leaf1 VLAN 300', why: 'no tenancy' }] }],
  ['an empty job: every default filled in', 'GetJob', 'response', {}],
];

const codecOf = (def: ServiceDefinition, method: string, direction: 'request' | 'response') => {
  const m = def[method] as MethodDefinition<object, object>;
  return direction === 'request' ? { serialize: m.requestSerialize, deserialize: m.requestDeserialize } : { serialize: m.responseSerialize, deserialize: m.responseDeserialize };
};

describe.each(CASES)('%s', (_name, method, direction, message) => {
  const mine = codecOf(ours, method, direction);
  const reference = codecOf(theirs, method, direction);

  test('encodes to the same bytes, as a Buffer', () => {
    const bytes = mine.serialize(message);
    expect(Buffer.isBuffer(bytes)).toBe(true);
    expect(bytes.toString('hex')).toBe(Buffer.from(reference.serialize(message)).toString('hex'));
  });

  test('decodes to the same object (no oneof name properties, unset optionals absent)', () => {
    const bytes = Buffer.from(reference.serialize(message));
    expect(mine.deserialize(bytes)).toStrictEqual(reference.deserialize(bytes));
  });
});

describe('the field-violations-bin trailer', () => {
  const violations = [{ field: 'access_vlan', reason: 'VLAN 5000 is outside 1-4094' }, { field: 'description', reason: 'has a newline é' }];

  test('errorTrailer encodes FieldViolations as proto-loader did', () => {
    const raw = errorTrailer('invalid_argument', violations).get(VIOLATIONS_KEY)[0] as Buffer;
    expect(raw.toString('hex')).toBe(Buffer.from(theirViolations.serialize({ violations })).toString('hex'));
  });

  test('decodeViolations reads a trailer an engine using proto-loader sent', () => {
    const trailer = errorTrailer('invalid_argument', []);
    trailer.set(VIOLATIONS_KEY, Buffer.from(theirViolations.serialize({ violations })));
    expect(decodeViolations(trailer)).toEqual(violations);
  });

  test('decodeViolations reads what errorTrailer wrote', () => {
    expect(decodeViolations(errorTrailer('failed_precondition', violations))).toEqual(violations);
  });
});

describe('random messages of every Engine method: same bytes and objects as proto-loader', () => {
  const reflection = protobuf.Root.fromJSON(buildEngineDescriptor()).lookupService('maestro.engine.v1.Engine');

  test.each(Object.keys(ours))('%s', (method) => {
    const rand = prng(method.length * 7919);
    const m = reflection.methods[method];
    m.resolve();
    for (const [type, direction] of [[m.resolvedRequestType!, 'request'], [m.resolvedResponseType!, 'response']] as const) {
      const [mine, reference] = [codecOf(ours, method, direction), codecOf(theirs, method, direction)];
      for (let i = 0; i < 40; i++) {
        const message = randomMessage(type, rand);
        const bytes = Buffer.from(reference.serialize(message));
        expect(mine.serialize(message).toString('hex')).toBe(bytes.toString('hex'));
        expect(mine.deserialize(bytes)).toStrictEqual(reference.deserialize(bytes));
      }
    }
  });
});

test('a process that loads the client and makes its service loads neither proto-loader nor protobufjs', async () => {
  const script = `
    const { EngineClient } = require(${JSON.stringify(`${REPO}/engine/src/api/client.ts`)});
    EngineClient.connect({ endpoint: '127.0.0.1:1', token: 't', caCertPem: '' }).close();
    process.stdout.write(JSON.stringify(Object.keys(require.cache)));`;
  const res = await runTs(['-e', script], cleanEnv({}));
  expect(res.stderr).toBe('');
  const loaded = JSON.parse(res.stdout) as string[];
  expect(loaded.filter((f) => /node_modules\/(@grpc\/proto-loader|protobufjs)\//.test(f))).toEqual([]);
  expect(loaded).toContain(`${REPO}/engine/src/api/engine-protos.json`);
}, 30_000);
