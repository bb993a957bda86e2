// Unit tests for value checks: conformsTo, valuesEqual and type inference for dynamic slots.

import { inferType } from '../../provider-shim/src/cty/infer-type';
import { DynamicValue, unknown, type CtyType, type CtyValue } from '../../provider-shim/src/cty/types';
import { conformsTo, valuesEqual } from '../../provider-shim/src/cty/value';

const switchType: CtyType = {
  object: {
    name: 'string',
    ports: { list: { object: { name: 'number', tagged: { set: 'number' } } } },
    labels: { map: 'string' },
    meta: 'dynamic',
  },
};

describe('conformsTo', () => {
  test.each<[string, CtyType, CtyValue]>([
    ['a full value', switchType, { name: 's1', ports: [{ name: 1, tagged: [10, 20] }], labels: { a: 'b' }, meta: 'x' }],
    ['null anywhere', switchType, { name: null, ports: [null], labels: null, meta: null }],
    ['unknown anywhere', switchType, { name: unknown, ports: [{ name: unknown, tagged: unknown }], labels: { a: unknown }, meta: unknown }],
    ['null at the top', switchType, null],
    ['a DynamicValue in a dynamic slot', { list: 'dynamic' }, [new DynamicValue({ set: 'string' }, ['a'])]],
    ['a missing optional attribute', { object: { a: 'string', b: 'string' }, optional: ['b'] }, { a: 'x' }],
  ])('accepts %s', (_name, type, value) => {
    expect(conformsTo(value, type)).toBeNull();
  });

  test.each<[string, CtyType, CtyValue, string]>([
    [
      'a wrong primitive deep inside',
      switchType,
      { name: 's1', ports: [{ name: 1, tagged: [] }, { name: 2, tagged: [] }, { name: 'eth2', tagged: [] }], labels: null, meta: null },
      '.ports[2].name: expected number, got string',
    ],
    ['a missing attribute', switchType, { name: 's1', ports: [], labels: null }, '.meta: attribute is missing'],
    ['an extra attribute', switchType, { name: 's1', ports: [], labels: null, meta: null, vlan: 3 }, '.vlan: unexpected attribute'],
    ['a map value of the wrong kind', switchType, { name: 's1', ports: [], labels: { a: 1 }, meta: null }, '.labels["a"]: expected string, got number'],
    ['a set member of the wrong kind', switchType, { name: 's', ports: [{ name: 1, tagged: [true] }], labels: null, meta: null }, '.ports[0].tagged[0]: expected number, got bool'],
    ['a bad value inside a DynamicValue', 'dynamic', new DynamicValue({ list: 'bool' }, ['no']), '[0]: expected bool, got string'],
    ['the wrong top-level kind', switchType, 'x', '(root): expected object, got string'],
  ])('reports %s', (_name, type, value, message) => {
    expect(conformsTo(value, type)).toContain(message);
  });
});

describe('valuesEqual', () => {
  const setOfObjects: CtyType = { set: { object: { n: 'number' } } };
  test.each<[string, CtyValue, CtyValue, CtyType | undefined, boolean]>([
    ['equal primitives', 'a', 'a', 'string', true],
    ['different primitives', 1, 2, 'number', false],
    ['different kinds', 1, '1', undefined, false],
    ['null and null', null, null, 'string', true],
    ['null and a value', null, '', 'string', false],
    ['unknown and unknown', unknown, unknown, 'string', true],
    ['unknown and null', unknown, null, 'string', false],
    ['unknown and a value', unknown, 'x', 'string', false],
    ['unknown and an empty object', unknown, {}, undefined, false],
    ['lists in order', ['a', 'b'], ['a', 'b'], { list: 'string' }, true],
    ['lists out of order', ['a', 'b'], ['b', 'a'], { list: 'string' }, false],
    ['sets out of order, given the type', ['a', 'b'], ['b', 'a'], { set: 'string' }, true],
    ['arrays out of order, without a type', ['a', 'b'], ['b', 'a'], undefined, false],
    ['sets of objects out of order', [{ n: 1 }, { n: 2 }], [{ n: 2 }, { n: 1 }], setOfObjects, true],
    ['sets with different multiplicity', ['a', 'a', 'b'], ['a', 'b', 'b'], { set: 'string' }, false],
    ['sets of different length', ['a'], ['a', 'a'], { set: 'string' }, false],
    ['sets nested in an object', { s: [1, 2] }, { s: [2, 1] }, { object: { s: { set: 'number' } } }, true],
    ['sets nested in a map of lists', { k: [[1, 2]] }, { k: [[2, 1]] }, { map: { list: { set: 'number' } } }, true],
    ['sets nested in a tuple', ['x', [1, 2]], ['x', [2, 1]], { tuple: ['string', { set: 'number' }] }, true],
    ['unknown set members', [unknown, 'a'], ['a', unknown], { set: 'string' }, true],
    ['objects equal', { a: 1, b: null }, { b: null, a: 1 }, undefined, true],
    ['objects with a differing attribute', { a: 1, b: null }, { a: 1, b: 2 }, undefined, false],
    ['objects with different keys', { a: 1 }, { b: 1 }, undefined, false],
    ['object vs array', {}, [], undefined, false],
    ['equal DynamicValues', new DynamicValue({ set: 'number' }, [1, 2]), new DynamicValue({ set: 'number' }, [2, 1]), 'dynamic', true],
    ['DynamicValues of different types', new DynamicValue({ list: 'number' }, [1]), new DynamicValue({ set: 'number' }, [1]), 'dynamic', false],
    ['DynamicValue and its plain content', new DynamicValue('string', 'x'), 'x', 'dynamic', true],
    ['plain content and a different DynamicValue', 'y', new DynamicValue('string', 'x'), 'dynamic', false],
    ['null and a DynamicValue holding null', null, new DynamicValue('string', null), 'dynamic', false],
    ['unknown and a DynamicValue holding unknown', unknown, new DynamicValue('string', unknown), 'dynamic', false],
  ])('%s', (_name, a, b, type, expected) => {
    expect(valuesEqual(a, b, type)).toBe(expected);
    expect(valuesEqual(b, a, type)).toBe(expected);
  });
});

describe('inferType', () => {
  test.each<[string, CtyValue, CtyType]>([
    ['string', 'x', 'string'],
    ['number', 1.5, 'number'],
    ['bool', false, 'bool'],
    ['null', null, 'dynamic'],
    ['unknown', unknown, 'dynamic'],
    ['array as tuple', ['a', 1, [true]], { tuple: ['string', 'number', { tuple: ['bool'] }] }],
    ['record as object', { a: 'x', b: { c: null } }, { object: { a: 'string', b: { object: { c: 'dynamic' } } } }],
    ['DynamicValue keeps its type', [new DynamicValue({ map: 'string' }, {})], { tuple: [{ map: 'string' }] }],
  ])('%s', (_name, value, type) => {
    expect(inferType(value)).toStrictEqual(type);
  });

  test('names the path of a value with no cty type', () => {
    expect(() => inferType({ a: [1, Symbol('s') as unknown as CtyValue] })).toThrow('.a[1]: cannot infer a type for symbol');
  });
});
