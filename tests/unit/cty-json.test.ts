// Unit tests for the JSON codec: DynamicValue.json and raw state as UpgradeResourceState receives it.

import { decodeJson, encodeJson } from '../../provider-shim/src/cty/json';
import { CtyValueError } from '../../provider-shim/src/cty/path-error';
import { DynamicValue, unknown, type CtyType, type CtyValue } from '../../provider-shim/src/cty/types';

const instanceType: CtyType = {
  object: {
    id: 'string',
    hostname: 'string',
    cpus: 'number',
    ssh_keys: { list: 'string' },
    tags: { map: 'string' },
    nic: { list: { object: { name: 'string', mac: 'string', vlan: 'number' } } },
    boot: { object: { mode: 'string', secure: 'bool' } },
    meta: 'dynamic',
  },
};

describe('decodeJson of raw state', () => {
  test('attributes missing from older state read as null, removed ones are dropped at every level', () => {
    const raw = JSON.stringify({
      id: 'i-1',
      hostname: 'web-1',
      cpus: 8,
      ssh_keys: ['ssh-ed25519 AAAA'],
      legacy_flavor: 'large', // removed from the schema since
      nic: [{ name: 'eth0', mac: '52:54:00:00:00:01', speed: 1000 }], // no vlan yet, speed removed
      boot: { mode: 'uefi', retries: 3 },
    });
    expect(decodeJson(Buffer.from(raw), instanceType)).toStrictEqual({
      id: 'i-1',
      hostname: 'web-1',
      cpus: 8,
      ssh_keys: ['ssh-ed25519 AAAA'],
      tags: null,
      nic: [{ name: 'eth0', mac: '52:54:00:00:00:01', vlan: null }],
      boot: { mode: 'uefi', secure: null },
      meta: null,
    });
  });

  test('an empty state object reads as all-null', () => {
    const decoded = decodeJson('{}', instanceType) as Record<string, CtyValue>;
    expect(Object.keys(decoded).sort()).toStrictEqual(['boot', 'cpus', 'hostname', 'id', 'meta', 'nic', 'ssh_keys', 'tags']);
    expect(Object.values(decoded).every((v) => v === null)).toBe(true);
  });

  test('accepts a Uint8Array that is a slice of a larger buffer', () => {
    const slice = Buffer.from('xx{"a":"v"}yy').subarray(2, 11);
    expect(decodeJson(slice, { object: { a: 'string' } })).toStrictEqual({ a: 'v' });
  });
});

describe('decodeJson values', () => {
  test.each<[string, CtyType, string, CtyValue]>([
    ['string', 'string', '"hi"', 'hi'],
    ['integer', 'number', '42', 42],
    ['negative float', 'number', '-1.5', -1.5],
    ['exponent', 'number', '1e3', 1000],
    ['number as a decimal string', 'number', '"2.25"', 2.25],
    ['bool', 'bool', 'false', false],
    ['null', { list: 'string' }, 'null', null],
    ['list with a null', { list: 'string' }, '["a",null]', ['a', null]],
    ['set keeps its order', { set: 'string' }, '["b","a"]', ['b', 'a']],
    ['map with a null', { map: 'number' }, '{"a":1,"b":null}', { a: 1, b: null }],
    ['tuple', { tuple: ['string', 'bool'] }, '["x",true]', ['x', true]],
    ['dynamic string', 'dynamic', '{"value":"x","type":"string"}', new DynamicValue('string', 'x')],
    ['dynamic list', 'dynamic', '{"value":["a"],"type":["list","string"]}', new DynamicValue({ list: 'string' }, ['a'])],
    [
      'dynamic object',
      'dynamic',
      '{"type":["object",{"n":"number"}],"value":{"n":1}}',
      new DynamicValue({ object: { n: 'number' } }, { n: 1 }),
    ],
    ['dynamic with a null value', 'dynamic', '{"value":null,"type":"string"}', new DynamicValue('string', null)],
    ['null dynamic', 'dynamic', 'null', null],
  ])('%s', (_name, type, json, expected) => {
    expect(decodeJson(json, type)).toStrictEqual(expected);
  });

  test.each<[string, CtyType, string, string | RegExp]>([
    ['not JSON', 'string', '{', /invalid JSON value/],
    ['empty input', 'string', '', /invalid JSON value/],
    ['wrong kind, with its path', { object: { nic: { list: { object: { vlan: 'number' } } } } }, '{"nic":[{"vlan":true}]}', '.nic[0].vlan: expected number, got bool'],
    ['non-decimal string for a number', 'number', '"ten"', 'expected number, got string'],
    ['dynamic without a type', 'dynamic', '{"value":"x"}', 'expected a dynamic value {"value": ..., "type": ...}'],
    ['dynamic with a bad type', 'dynamic', '{"value":"x","type":"text"}', 'bad type in dynamic value'],
    ['map key "__proto__"', { map: 'string' }, '{"__proto__":"x"}', 'the map key "__proto__" is not supported'],
  ])('rejects %s', (_name, type, json, message) => {
    expect(() => decodeJson(json, type)).toThrow(message);
  });
});

describe('encodeJson', () => {
  test.each<[string, CtyType, CtyValue, string]>([
    ['string', 'string', 'hi', '"hi"'],
    ['number', 'number', -1.5, '-1.5'],
    ['null', { map: 'string' }, null, 'null'],
    ['object, keys sorted', { object: { b: 'number', a: 'string' } }, { b: 1, a: null }, '{"a":null,"b":1}'],
    ['map, keys sorted', { map: 'bool' }, { z: true, y: false }, '{"y":false,"z":true}'],
    ['nested block', { object: { rule: { list: { object: { port: 'number' } } } } }, { rule: [{ port: 22 }] }, '{"rule":[{"port":22}]}'],
    ['dynamic', 'dynamic', new DynamicValue({ list: 'string' }, ['a']), '{"value":["a"],"type":["list","string"]}'],
    ['plain value in a dynamic slot', { object: { m: 'dynamic' } }, { m: 3 }, '{"m":{"value":3,"type":"number"}}'],
  ])('%s', (_name, type, value, json) => {
    expect(encodeJson(value, type).toString('utf8')).toBe(json);
  });

  test('round trips a fully known instance', () => {
    const value: CtyValue = {
      id: 'i-1',
      hostname: 'web-1',
      cpus: 8,
      ssh_keys: [],
      tags: { env: 'prod' },
      nic: [{ name: 'eth0', mac: '52:54:00:00:00:01', vlan: 100 }],
      boot: null,
      meta: new DynamicValue({ tuple: ['string', 'number'] }, ['a', 1]),
    };
    expect(decodeJson(encodeJson(value, instanceType), instanceType)).toStrictEqual(value);
  });

  test.each<[string, CtyType, CtyValue, string]>([
    ['unknown at the top', 'string', unknown, '(root): unknown values cannot be written as JSON'],
    ['unknown in a map', { map: 'string' }, { env: unknown }, '["env"]: unknown values cannot be written as JSON'],
    ['unknown inside a dynamic value', 'dynamic', new DynamicValue({ list: 'string' }, [unknown]), '[0]: unknown values cannot'],
    ['missing attribute', { object: { a: 'string' } }, {}, '.a: attribute is missing'],
    ['undeclared attribute', { object: { a: 'string' } }, { a: 'x', b: 'y' }, '.b: unexpected attribute'],
    ['Infinity', 'number', Infinity, 'expected a finite number, got Infinity'],
  ])('rejects %s', (_name, type, value, message) => {
    expect(() => encodeJson(value, type)).toThrow(CtyValueError);
    expect(() => encodeJson(value, type)).toThrow(message);
  });
});
