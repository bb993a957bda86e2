// Unit tests for the schema-driven msgpack codec, against hand-written wire bytes.

import { encode as libraryEncode, ExtData } from '@msgpack/msgpack';
import { decodeMsgpack, encodeMsgpack } from '../../provider-shim/src/cty/msgpack';
import { CtyValueError } from '../../provider-shim/src/cty/path-error';
import { DynamicValue, unknown, type CtyType, type CtyValue } from '../../provider-shim/src/cty/types';

/** Bytes from a spaced hex string: hex('81 a1 61'). */
function hex(text: string): Buffer {
  return Buffer.from(text.replace(/\s+/g, ''), 'hex');
}

/** msgpack bin8 holding ASCII text, the way a dynamic value carries its JSON type. */
function bin8(text: string): string {
  return `c4 ${text.length.toString(16).padStart(2, '0')} ${Buffer.from(text, 'ascii').toString('hex')}`;
}

const port: CtyType = { object: { port: 'number' } };
const nestedBlock: CtyType = { object: { name: 'string', rule: { list: port } } };

// [case, type, value, expected bytes]: encodes to exactly these bytes and decodes back to the value.
const exact: [string, CtyType, CtyValue, string][] = [
  ['string', 'string', 'hi', 'a2 68 69'],
  ['empty string', 'string', '', 'a0'],
  ['non-ASCII string as UTF-8', 'string', 'é', 'a2 c3 a9'],
  ['zero', 'number', 0, '00'],
  ['small int', 'number', 1, '01'],
  ['negative fixint', 'number', -1, 'ff'],
  ['int8', 'number', -33, 'd0 df'],
  ['uint16', 'number', 300, 'cd 01 2c'],
  ['int16', 'number', -200, 'd1 ff 38'],
  ['uint64', 'number', 2 ** 32, 'cf 00 00 00 01 00 00 00 00'],
  ['float', 'number', 1.5, 'cb 3f f8 00 00 00 00 00 00'],
  ['negative float', 'number', -0.25, 'cb bf d0 00 00 00 00 00 00'],
  ['integer beyond 2^53-1 as float64', 'number', 2 ** 53, 'cb 43 40 00 00 00 00 00 00'],
  ['true', 'bool', true, 'c3'],
  ['false', 'bool', false, 'c2'],
  ['null string', 'string', null, 'c0'],
  ['null list', { list: 'string' }, null, 'c0'],
  ['null object', nestedBlock, null, 'c0'],
  ['unknown string', 'string', unknown, 'd4 00 00'],
  ['unknown object', nestedBlock, unknown, 'd4 00 00'],
  ['list', { list: 'string' }, ['a', 'b'], '92 a1 61 a1 62'],
  ['empty list', { list: 'string' }, [], '90'],
  ['set keeps its order', { set: 'number' }, [2, 1], '92 02 01'],
  ['map, keys sorted', { map: 'number' }, { b: 1, a: 2 }, '82 a1 61 02 a1 62 01'],
  ['empty map', { map: 'number' }, {}, '80'],
  ['object', { object: { a: 'string' } }, { a: 'x' }, '81 a1 61 a1 78'],
  ['object with a null attribute, keys sorted', { object: { b: 'bool', a: 'string' } }, { b: true, a: null }, '82 a1 61 c0 a1 62 c3'],
  ['tuple', { tuple: ['string', 'number', 'bool'] }, ['x', 1, true], '93 a1 78 01 c3'],
  ['null inside a list', { list: 'string' }, ['a', null], '92 a1 61 c0'],
  ['null inside a map', { map: 'string' }, { k: null }, '81 a1 6b c0'],
  ['unknown inside a list', { list: 'string' }, [unknown, 'a'], '92 d4 00 00 a1 61'],
  ['unknown inside a set', { set: 'string' }, [unknown], '91 d4 00 00'],
  ['unknown inside a map', { map: 'string' }, { k: unknown }, '81 a1 6b d4 00 00'],
  ['unknown inside an object', { object: { a: 'string' } }, { a: unknown }, '81 a1 61 d4 00 00'],
  ['unknown inside a tuple', { tuple: ['string', 'number'] }, ['x', unknown], '92 a1 78 d4 00 00'],
  [
    'nested list block',
    nestedBlock,
    { name: 'a', rule: [{ port: 22 }] },
    '82 a4 6e 61 6d 65 a1 61 a4 72 75 6c 65 91 81 a4 70 6f 72 74 16',
  ],
  ['dynamic string', 'dynamic', new DynamicValue('string', 'x'), '92 c4 08 22 73 74 72 69 6e 67 22 a1 78'],
  [
    'dynamic list of string',
    'dynamic',
    new DynamicValue({ list: 'string' }, ['a']),
    '92 c4 11 5b 22 6c 69 73 74 22 2c 22 73 74 72 69 6e 67 22 5d 91 a1 61',
  ],
  ['dynamic null', 'dynamic', null, 'c0'],
  ['dynamic unknown', 'dynamic', unknown, 'd4 00 00'],
  ['dynamic holding an unknown number', 'dynamic', new DynamicValue('number', unknown), `92 ${bin8('"number"')} d4 00 00`],
  ['dynamic attribute', { object: { v: 'dynamic' } }, { v: new DynamicValue('bool', true) }, `81 a1 76 92 ${bin8('"bool"')} c3`],
];

describe('encodeMsgpack writes terraform bytes', () => {
  test.each(exact)('%s', (_name, type, value, bytes) => {
    expect(encodeMsgpack(value, type).toString('hex')).toBe(hex(bytes).toString('hex'));
  });
});

describe('decodeMsgpack reads them back', () => {
  test.each(exact)('%s', (_name, type, value, bytes) => {
    expect(decodeMsgpack(hex(bytes), type)).toStrictEqual(value);
  });
});

describe('encodeMsgpack conversions', () => {
  // [case, type, value, expected bytes, what decoding those bytes gives]
  test.each<[string, CtyType, CtyValue, string, CtyValue]>([
    ['plain string in a dynamic slot is sent as string', 'dynamic', 'x', `92 ${bin8('"string"')} a1 78`, new DynamicValue('string', 'x')],
    ['plain number in a dynamic slot is sent as number', 'dynamic', 5, `92 ${bin8('"number"')} 05`, new DynamicValue('number', 5)],
    [
      'plain array in a dynamic slot is sent as a tuple',
      'dynamic',
      [1, 'a'],
      `92 ${bin8('["tuple",["number","string"]]')} 92 01 a1 61`,
      new DynamicValue({ tuple: ['number', 'string'] }, [1, 'a']),
    ],
    [
      'plain record in a dynamic slot is sent as an object',
      'dynamic',
      { ok: true },
      `92 ${bin8('["object",{"ok":"bool"}]')} 81 a2 6f 6b c3`,
      new DynamicValue({ object: { ok: 'bool' } }, { ok: true }),
    ],
    ['DynamicValue in a slot of its own type is unwrapped', 'string', new DynamicValue('string', 'x'), 'a1 78', 'x'],
    [
      'missing optional attribute is sent as null',
      { object: { a: 'string', b: 'string' }, optional: ['b'] },
      { a: 'x' },
      '82 a1 61 a1 78 a1 62 c0',
      { a: 'x', b: null },
    ],
  ])('%s', (_name, type, value, bytes, decoded) => {
    const out = encodeMsgpack(value, type);
    expect(out.toString('hex')).toBe(hex(bytes).toString('hex'));
    expect(decodeMsgpack(out, type)).toStrictEqual(decoded);
  });

  test('each result owns its bytes (a later encode does not overwrite an earlier one)', () => {
    const first = encodeMsgpack('first', 'string');
    encodeMsgpack('second!', 'string');
    expect(first.toString('hex')).toBe('a56669727374');
  });
});

// A resource-shaped type exercising every kind at once.
const serverType: CtyType = {
  object: {
    id: 'string',
    count: 'number',
    enabled: 'bool',
    labels: { set: 'string' },
    tags: { map: 'string' },
    ports: { list: { object: { name: 'string', vlan: 'number', allowed: { list: 'number' } } } },
    settings: { object: { mtu: 'number', bond: { object: { mode: 'string' } } } },
    pair: { tuple: ['string', { map: 'bool' }] },
    meta: 'dynamic',
    extras: { list: 'dynamic' },
  },
};

describe('round trips through msgpack', () => {
  test.each<[string, CtyType, CtyValue]>([
    [
      'a fully known resource',
      serverType,
      {
        id: 'srv-1',
        count: 3,
        enabled: true,
        labels: ['b', 'a'],
        tags: { env: 'prod', team: 'net' },
        ports: [
          { name: 'eth0', vlan: 100, allowed: [1, 2] },
          { name: 'eth1', vlan: 4094, allowed: [] },
        ],
        settings: { mtu: 9000, bond: { mode: '802.3ad' } },
        pair: ['x', { a: true, b: false }],
        meta: new DynamicValue({ map: 'number' }, { a: 1.25, b: -7 }),
        extras: [
          new DynamicValue('bool', false),
          new DynamicValue({ set: 'string' }, ['s']),
          new DynamicValue({ object: { n: { list: 'number' } } }, { n: [1] }),
          new DynamicValue({ tuple: ['string', 'dynamic'] }, ['t', new DynamicValue('number', 2)]),
        ],
      },
    ],
    [
      'a planned resource with unknowns and nulls at every level',
      serverType,
      {
        id: unknown,
        count: null,
        enabled: unknown,
        labels: ['a', unknown],
        tags: { env: unknown, team: null },
        ports: [{ name: 'eth0', vlan: unknown, allowed: [unknown, 5] }, unknown],
        settings: { mtu: null, bond: unknown },
        pair: [unknown, { a: unknown }],
        meta: unknown,
        extras: [null, unknown, new DynamicValue('string', null)],
      },
    ],
    ['an all-null resource', serverType, Object.fromEntries(Object.keys((serverType as { object: object }).object).map((k) => [k, null]))],
    ['a list of lists', { list: { list: 'string' } }, [['a'], [], ['b', 'c']]],
    ['a long list (array16 header)', { list: 'number' }, Array.from({ length: 40 }, (_, i) => i * 1000)],
    ['a long string (str8/str16 headers)', 'string', 'x'.repeat(300)],
  ])('%s', (_name, type, value) => {
    expect(decodeMsgpack(encodeMsgpack(value, type), type)).toStrictEqual(value);
  });
});

describe('decodeMsgpack accepts every encoding terraform may choose', () => {
  const refinements = '82 01 c2 02 a2 70 2d'; // {1: false (not null), 2: "p-" (string prefix)}
  test.each<[string, CtyType, string, CtyValue]>([
    ['number as a decimal string', 'number', 'a3 31 2e 35', 1.5],
    ['big integer as a decimal string', 'number', `b4 ${Buffer.from('12345678901234567890').toString('hex')}`, 12345678901234567890],
    ['negative exponent decimal string', 'number', `a4 ${Buffer.from('-2e3').toString('hex')}`, -2000],
    ['uint64 with a small value', 'number', 'cf 00 00 00 00 00 00 00 05', 5],
    ['int8', 'number', 'd0 fb', -5],
    ['float32', 'number', 'ca 3f c0 00 00', 1.5],
    ['str8 string', 'string', 'd9 02 68 69', 'hi'],
    ['dynamic type sent as str rather than bin', 'dynamic', '92 a8 22 73 74 72 69 6e 67 22 a1 78', new DynamicValue('string', 'x')],
    ['refined unknown (ext 12)', 'string', `c7 07 0c ${refinements}`, unknown],
    ['refined unknown inside an object', { object: { a: 'string' } }, `81 a1 61 c7 07 0c ${refinements}`, { a: unknown }],
    ['refined unknown for a collection', { list: 'string' }, 'c7 03 0c 81 05 01', unknown],
    ['other extension types', { map: 'number' }, '81 a1 6b d5 05 01 02', { k: unknown }],
    ['timestamp extension (-1) is unknown too', 'string', 'd6 ff 00 00 00 01', unknown],
    ['an object missing an attribute reads it as null', { object: { a: 'string', b: 'number' } }, '81 a1 61 a1 78', { a: 'x', b: null }],
    ['an empty map for an object reads as all-null', { object: { a: 'string' } }, '80', { a: null }],
    ['duplicate set members are kept', { set: 'number' }, '93 01 01 02', [1, 1, 2]],
  ])('%s', (_name, type, bytes, expected) => {
    const decoded = decodeMsgpack(hex(bytes), type);
    expect(decoded).toStrictEqual(expected);
    if (expected === unknown) expect(decoded).toBe(unknown);
  });

  test('refined unknown built with the msgpack library', () => {
    const bytes = libraryEncode(new ExtData(12, hex(refinements)));
    expect(Buffer.from(bytes).toString('hex')).toBe(hex(`c7 07 0c ${refinements}`).toString('hex'));
    expect(decodeMsgpack(bytes, { object: { a: 'string' } })).toBe(unknown);
  });

  test('a Buffer that is a slice of a larger buffer', () => {
    const slice = Buffer.concat([hex('ff ff'), hex('81 a1 61 a1 78'), hex('ff')]).subarray(2, 7);
    expect(decodeMsgpack(slice, { object: { a: 'string' } })).toStrictEqual({ a: 'x' });
  });
});

describe('decodeMsgpack errors name the path', () => {
  test.each<[string, CtyType, string, string]>([
    ['undeclared attribute', { object: { a: 'string' } }, '82 a1 61 a1 78 a1 7a c0', '.z: unexpected attribute; the type declares: a'],
    ['undeclared attribute in a nested block', nestedBlock, '82 a4 6e 61 6d 65 c0 a4 72 75 6c 65 91 82 a4 70 6f 72 74 16 a1 78 c0', '.rule[0].x: unexpected attribute'],
    ['string where a number belongs', { object: { a: 'number' } }, '81 a1 61 a1 78', '.a: expected number, got string'],
    ['non-decimal string where a number belongs', 'number', 'a3 61 62 63', '(root): expected number, got string'],
    ['map key path', { map: 'bool' }, '81 a1 6b 01', '["k"]: expected bool, got number'],
    ['scalar where a list belongs', { list: 'string' }, 'a1 78', '(root): expected list of string, got string'],
    ['array where an object belongs', { object: { a: 'string' } }, '90', '(root): expected object, got array'],
    ['tuple of the wrong length', { tuple: ['string', 'string'] }, '91 a1 78', 'expected a tuple of 2 elements, got 1'],
    ['dynamic that is not a pair', 'dynamic', 'a1 78', 'expected a dynamic value [type JSON, value], got string'],
    ['dynamic with a bad type', 'dynamic', `92 ${bin8('"strng"')} a1 78`, 'bad type in dynamic value: invalid cty type JSON "strng"'],
    ['dynamic with unparsable type JSON', 'dynamic', `92 ${bin8('[')} a1 78`, 'bad type in dynamic value'],
  ])('%s', (_name, type, bytes, message) => {
    expect(() => decodeMsgpack(hex(bytes), type)).toThrow(CtyValueError);
    expect(() => decodeMsgpack(hex(bytes), type)).toThrow(message);
  });

  test.each([
    ['empty input', ''],
    ['truncated input', '92 a1 61'],
    ['trailing bytes', 'a1 61 c0'],
  ])('%s is not a msgpack value', (_name, bytes) => {
    expect(() => decodeMsgpack(hex(bytes), { list: 'string' })).toThrow(/invalid msgpack value/);
  });

  test('the error carries the path as protocol steps', () => {
    const bytes = hex('82 a4 6e 61 6d 65 c0 a4 72 75 6c 65 92 81 a4 70 6f 72 74 16 81 a4 70 6f 72 74 a1 78');
    let caught: unknown;
    try {
      decodeMsgpack(bytes, nestedBlock);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(CtyValueError);
    expect((caught as CtyValueError).path).toStrictEqual([{ attribute: 'rule' }, { index: 1 }, { attribute: 'port' }]);
    expect((caught as CtyValueError).message).toBe('.rule[1].port: expected number, got string');
  });
});

describe('encodeMsgpack errors name the path', () => {
  test.each<[string, CtyType, CtyValue, string]>([
    ['missing attribute', { object: { a: 'string', b: 'string' } }, { a: 'x' }, '.b: attribute is missing'],
    ['attribute set to undefined', { object: { a: 'string' } }, { a: undefined } as unknown as CtyValue, '.a: attribute is missing'],
    ['missing attribute in a nested block', nestedBlock, { name: 'a', rule: [{ port: 1 }, {}] }, '.rule[1].port: attribute is missing'],
    ['undeclared attribute', nestedBlock, { name: 'a', rule: [], bogus: 1 }, '.bogus: unexpected attribute; the type declares: name, rule'],
    ['undeclared attribute in a nested block', nestedBlock, { name: 'a', rule: [{ port: 1, x: 2 }] }, '.rule[0].x: unexpected attribute; the type declares: port'],
    ['string where a number belongs', { map: 'number' }, { k: '1' }, '["k"]: expected number, got string'],
    ['NaN', 'number', NaN, 'expected a finite number, got NaN'],
    ['Infinity', 'number', Infinity, 'expected a finite number, got Infinity'],
    ['array where a map belongs', { map: 'string' }, ['x'], 'expected map of string, got array'],
    ['object where a list belongs', { list: 'string' }, { a: 'x' }, 'expected list of string, got object'],
    ['tuple too long', { tuple: ['string'] }, ['a', 'b'], 'expected a tuple of 1 elements, got 2'],
    ['DynamicValue of another type', 'string', new DynamicValue('number', 1), 'expected string, got a dynamic value of type number'],
    ['value with no cty type in a dynamic slot', 'dynamic', { f: undefined } as unknown as CtyValue, '.f: cannot infer a type for undefined'],
  ])('%s', (_name, type, value, message) => {
    expect(() => encodeMsgpack(value, type)).toThrow(CtyValueError);
    expect(() => encodeMsgpack(value, type)).toThrow(message);
  });
});
