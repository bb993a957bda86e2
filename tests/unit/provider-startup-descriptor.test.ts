// The precompiled plugin descriptor and proto-codec.ts: current with proto/, byte- and shape-compatible with proto-loader.

import type { MethodDefinition, ServiceDefinition } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { readFileSync } from 'node:fs';
import * as protobuf from 'protobufjs';
import { buildPluginDescriptor, descriptorSourceFile, descriptorText, findProtoDir, PROTO_FILES } from '../../provider-shim/src/plugin/plugin-descriptor';
import { loadProtos, type PluginProtos } from '../../provider-shim/src/plugin/load-protos';
import { prng, randomMessage } from './proto-random-message';

const ours = loadProtos();
/** What the provider used before: proto-loader parsing the .proto text, with the options wire.ts is written for. */
const parsed = loadSync(PROTO_FILES, { includeDirs: [findProtoDir()], keepCase: true, longs: Number, enums: String, bytes: Buffer, defaults: true, oneofs: true });
const SERVICE_NAMES: Record<keyof PluginProtos, string> = {
  provider: 'tfplugin6.Provider',
  controller: 'plugin.GRPCController',
  stdio: 'plugin.GRPCStdio',
  broker: 'plugin.GRPCBroker',
  health: 'grpc.health.v1.Health',
};
const reference = (service: keyof PluginProtos) => parsed[SERVICE_NAMES[service]] as unknown as ServiceDefinition;

test('plugin-protos.json is what proto/ compiles to (regenerate: node dist/provider-shim/src/plugin/plugin-descriptor.js)', () => {
  expect(readFileSync(descriptorSourceFile(), 'utf8')).toBe(descriptorText(buildPluginDescriptor()));
});

test.each(Object.keys(SERVICE_NAMES) as Array<keyof PluginProtos>)('service %s has the same methods, paths and streaming as proto-loader gives', (service) => {
  const shape = (def: ServiceDefinition) =>
    Object.fromEntries(Object.entries(def).map(([name, m]) => [name, { path: m.path, requestStream: m.requestStream, responseStream: m.responseStream, originalName: m.originalName }]));
  expect(shape(ours[service])).toEqual(shape(reference(service)));
});

type Case = [string, keyof PluginProtos, string, 'request' | 'response', object];

const schema = (version: number) => ({
  version,
  block: {
    version: 2,
    attributes: [
      { name: 'id', type: Buffer.from('"string"'), computed: true, description_kind: 'MARKDOWN' },
      { name: 'rules', nested_type: { attributes: [{ name: 'port', type: Buffer.from('"number"'), required: true }], nesting: 'SET', min_items: 1 } },
    ],
    block_types: [{ type_name: 'timeouts', nesting: 'SINGLE', block: { attributes: [], block_types: [] } }],
  },
});

const CASES: Case[] = [
  ['schema response: maps, nested messages, enums, bytes, int64', 'provider', 'GetProviderSchema', 'response', {
    provider: schema(0),
    resource_schemas: { maestro_switch_port: schema(3), maestro_tenancy: schema(1) },
    data_source_schemas: {},
    diagnostics: [{ severity: 'WARNING', summary: 's', detail: 'd', attribute: { steps: [{ attribute_name: 'a' }, { element_key_int: 7 }, { element_key_string: 'k' }] } }],
    server_capabilities: { plan_destroy: false, get_provider_schema_optional: true },
  }],
  ['read request: dynamic values and private bytes', 'provider', 'ReadResource', 'request', {
    type_name: 'maestro_switch_port',
    current_state: { msgpack: Buffer.from([0x81, 0xa1, 0x61, 0xd4, 0x00, 0x00]) },
    private: Buffer.from('opaque'),
  }],
  ['upgrade request: raw state json and flatmap', 'provider', 'UpgradeResourceState', 'request', {
    type_name: 'maestro_switch_port', version: 2, raw_state: { json: Buffer.from('{"id":"x"}'), flatmap: { a: '1', 'b.#': '0' } },
  }],
  ['plan response: requires_replace paths', 'provider', 'PlanResourceChange', 'response', {
    planned_state: { msgpack: Buffer.from([0xc0]) }, requires_replace: [{ steps: [{ attribute_name: 'switch' }] }], planned_private: Buffer.alloc(0), legacy_type_system: false,
  }],
  ['function error: proto3 optional int64 set', 'provider', 'CallFunction', 'response', { error: { text: 'bad', function_argument: 2 } }],
  ['function error: proto3 optional int64 unset', 'provider', 'CallFunction', 'response', { error: { text: 'bad' } }],
  ['an empty message: every default filled in', 'provider', 'ApplyResourceChange', 'request', {}],
  ['health status enum', 'health', 'Check', 'response', { status: 'SERVING' }],
  ['stdio data', 'stdio', 'StreamStdio', 'response', { channel: 'STDERR', data: Buffer.from('log line') }],
];

describe.each(CASES)('%s', (_name, service, method, direction, message) => {
  const codec = (def: ServiceDefinition) => {
    const m = def[method] as MethodDefinition<object, object>;
    return direction === 'request'
      ? { serialize: m.requestSerialize, deserialize: m.requestDeserialize }
      : { serialize: m.responseSerialize, deserialize: m.responseDeserialize };
  };
  const mine = codec(ours[service]);
  const theirs = codec(reference(service));

  test('encodes to the same bytes, as a Buffer', () => {
    const bytes = mine.serialize(message);
    expect(Buffer.isBuffer(bytes)).toBe(true);
    expect(bytes.toString('hex')).toBe(Buffer.from(theirs.serialize(message)).toString('hex'));
  });

  test('decodes to the same object', () => {
    const bytes = Buffer.from(theirs.serialize(message));
    expect(mine.deserialize(bytes)).toEqual(theirs.deserialize(bytes));
  });
});

describe('random messages of every type every service sends or receives: same bytes and objects as proto-loader', () => {
  const reflection = protobuf.Root.fromJSON(buildPluginDescriptor());
  const methods = (Object.keys(SERVICE_NAMES) as Array<keyof PluginProtos>).flatMap((service) =>
    Object.keys(ours[service]).map((method) => [service, method] as const),
  );

  test.each(methods)('%s.%s', (service, method) => {
    const rand = prng(method.length * 7919 + service.length);
    const m = reflection.lookupService(SERVICE_NAMES[service]).methods[method];
    m.resolve();
    const sides = [
      [m.resolvedRequestType!, 'requestSerialize', 'requestDeserialize'],
      [m.resolvedResponseType!, 'responseSerialize', 'responseDeserialize'],
    ] as const;
    for (const [type, serialize, deserialize] of sides) {
      for (let i = 0; i < 40; i++) {
        const message = randomMessage(type, rand);
        const theirs = Buffer.from(reference(service)[method][serialize](message));
        expect(ours[service][method][serialize](message).toString('hex')).toBe(theirs.toString('hex'));
        expect(ours[service][method][deserialize](theirs)).toEqual(reference(service)[method][deserialize](theirs));
      }
    }
  });
});
