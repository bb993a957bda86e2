// Unit tests for the cty type <-> terraform JSON type encoding, type equality and type names.

import { typeEquals, typeFromJson, typeName, typeToJson } from '../../provider-shim/src/cty/type-json';
import type { CtyType } from '../../provider-shim/src/cty/types';

// [case, type, the JSON text terraform writes for it]
const roundTrips: [string, CtyType, string][] = [
  ['string', 'string', '"string"'],
  ['number', 'number', '"number"'],
  ['bool', 'bool', '"bool"'],
  ['dynamic', 'dynamic', '"dynamic"'],
  ['list of string', { list: 'string' }, '["list","string"]'],
  ['set of number', { set: 'number' }, '["set","number"]'],
  ['map of bool', { map: 'bool' }, '["map","bool"]'],
  ['nested collections', { list: { map: { set: 'string' } } }, '["list",["map",["set","string"]]]'],
  ['object, attributes sorted', { object: { b: 'string', a: 'number' } }, '["object",{"a":"number","b":"string"}]'],
  ['empty object', { object: {} }, '["object",{}]'],
  [
    'object with optional attributes',
    { object: { a: 'string', b: 'number', c: 'bool' }, optional: ['c', 'b'] },
    '["object",{"a":"string","b":"number","c":"bool"},["b","c"]]',
  ],
  ['object with an empty optional list', { object: { a: 'string' }, optional: [] }, '["object",{"a":"string"}]'],
  ['tuple', { tuple: ['string', { list: 'number' }, 'dynamic'] }, '["tuple",["string",["list","number"],"dynamic"]]'],
  ['empty tuple', { tuple: [] }, '["tuple",[]]'],
  [
    'list of objects (a nested block)',
    { list: { object: { port: 'number', tags: { map: 'string' } } } },
    '["list",["object",{"port":"number","tags":["map","string"]}]]',
  ],
];

describe('typeToJson', () => {
  test.each(roundTrips)('%s', (_name, type, json) => {
    expect(JSON.stringify(typeToJson(type))).toBe(json);
  });
});

describe('typeFromJson', () => {
  test.each(roundTrips)('%s', (_name, type, json) => {
    expect(typeEquals(typeFromJson(JSON.parse(json)), type)).toBe(true);
  });

  test('keeps the optional attribute list', () => {
    expect(typeFromJson(['object', { a: 'string', b: 'number' }, ['b']])).toStrictEqual({
      object: { a: 'string', b: 'number' },
      optional: ['b'],
    });
  });

  test.each<[string, unknown, RegExp]>([
    ['unknown primitive', 'int', /primitive type must be/],
    ['not a string or array', 42, /type name or a \[kind, argument\]/],
    ['array without a kind', [1, 'string'], /type name or a \[kind, argument\]/],
    ['list without an element type', ['list'], /exactly one argument/],
    ['list with two arguments', ['list', 'string', 'number'], /exactly one argument/],
    ['unknown kind', ['vector', 'string'], /unknown type kind "vector"/],
    ['tuple argument not an array', ['tuple', 'string'], /tuple argument is an array/],
    ['object argument is an array', ['object', ['string']], /an object type is/],
    ['optional names a missing attribute', ['object', { a: 'string' }, ['b']], /optional list must name attributes/],
    ['optional names an inherited property', ['object', { a: 'string' }, ['toString']], /optional list must name attributes/],
    ['bad nested type', ['map', ['list', 'strng']], /"strng"/],
  ])('rejects %s', (_name, json, message) => {
    expect(() => typeFromJson(json)).toThrow(message);
  });
});

describe('typeEquals', () => {
  test.each<[string, CtyType, CtyType, boolean]>([
    ['same primitive', 'string', 'string', true],
    ['different primitives', 'string', 'number', false],
    ['dynamic is not string', 'dynamic', 'string', false],
    ['list vs set', { list: 'string' }, { set: 'string' }, false],
    ['list element differs', { list: 'string' }, { list: 'number' }, false],
    ['map vs object', { map: 'string' }, { object: { a: 'string' } }, false],
    ['objects, attribute order irrelevant', { object: { a: 'string', b: 'bool' } }, { object: { b: 'bool', a: 'string' } }, true],
    ['objects, attribute type differs', { object: { a: 'string' } }, { object: { a: 'bool' } }, false],
    ['objects, extra attribute', { object: { a: 'string' } }, { object: { a: 'string', b: 'string' } }, false],
    ['objects, same attribute count but different names', { object: { a: 'string' } }, { object: { b: 'string' } }, false],
    [
      'optional lists compare as sets',
      { object: { a: 'string', b: 'string' }, optional: ['a', 'b'] },
      { object: { a: 'string', b: 'string' }, optional: ['b', 'a'] },
      true,
    ],
    ['absent optional equals empty', { object: { a: 'string' }, optional: [] }, { object: { a: 'string' } }, true],
    ['optional differs', { object: { a: 'string' }, optional: ['a'] }, { object: { a: 'string' } }, false],
    ['tuples equal', { tuple: ['string', 'number'] }, { tuple: ['string', 'number'] }, true],
    ['tuple order matters', { tuple: ['string', 'number'] }, { tuple: ['number', 'string'] }, false],
    ['tuple length differs', { tuple: ['string'] }, { tuple: ['string', 'string'] }, false],
    ['deeply nested equal', { list: { object: { x: { set: 'number' } } } }, { list: { object: { x: { set: 'number' } } } }, true],
  ])('%s', (_name, a, b, expected) => {
    expect(typeEquals(a, b)).toBe(expected);
    expect(typeEquals(b, a)).toBe(expected);
  });
});

describe('typeName', () => {
  test.each<[CtyType, string]>([
    ['number', 'number'],
    [{ list: 'string' }, 'list of string'],
    [{ map: { set: 'bool' } }, 'map of set of bool'],
    [{ object: { a: 'string' } }, 'object'],
    [{ tuple: [] }, 'tuple'],
  ])('%j is "%s"', (type, name) => {
    expect(typeName(type)).toBe(name);
  });
});
