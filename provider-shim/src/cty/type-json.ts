// cty types as terraform writes them in JSON (schema `type` fields, dynamic values), plus equality and names.

import type { CtyType } from './types';

const PRIMITIVES: ReadonlySet<string> = new Set(['string', 'number', 'bool', 'dynamic']);
const COLLECTIONS = ['list', 'set', 'map'] as const;
type CollectionKind = (typeof COLLECTIONS)[number];

/**
 * The JSON form terraform uses for a type: `"string"`, `["list","string"]`,
 * `["object",{"a":"string"}]`, `["object",{...},["opt"]]` when some attributes
 * are optional, `["tuple",[...]]`, `"dynamic"`. Object attributes come out in
 * sorted order (as go-cty writes them), so equal types give equal JSON text.
 */
export function typeToJson(t: CtyType): unknown {
  if (typeof t === 'string') return t;
  if ('list' in t) return ['list', typeToJson(t.list)];
  if ('set' in t) return ['set', typeToJson(t.set)];
  if ('map' in t) return ['map', typeToJson(t.map)];
  if ('tuple' in t) return ['tuple', t.tuple.map(typeToJson)];
  const attrs: Record<string, unknown> = {};
  for (const name of Object.keys(t.object).sort()) attrs[name] = typeToJson(t.object[name]);
  const optional = [...(t.optional ?? [])].sort();
  return optional.length > 0 ? ['object', attrs, optional] : ['object', attrs];
}

/**
 * Parses the JSON form (already JSON.parse'd) back into a CtyType.
 * Throws an Error quoting the offending fragment when `j` is not a valid type
 * (unknown kind, wrong arity, optional attribute not in the object, ...).
 */
export function typeFromJson(j: unknown): CtyType {
  if (typeof j === 'string') {
    if (PRIMITIVES.has(j)) return j as CtyType;
    throw invalidType(j, 'a primitive type must be "string", "number", "bool" or "dynamic"');
  }
  if (!Array.isArray(j) || typeof j[0] !== 'string') {
    throw invalidType(j, 'expected a type name or a [kind, argument] array');
  }
  const [kind, arg] = j;
  if (kind === 'object') return objectFromJson(j);
  if (j.length !== 2) throw invalidType(j, `a ${kind} type has exactly one argument`);
  if ((COLLECTIONS as readonly string[]).includes(kind)) {
    return { [kind as CollectionKind]: typeFromJson(arg) } as CtyType;
  }
  if (kind === 'tuple') {
    if (!Array.isArray(arg)) throw invalidType(j, 'a tuple argument is an array of types');
    return { tuple: arg.map(typeFromJson) };
  }
  throw invalidType(j, `unknown type kind "${kind}"`);
}

function objectFromJson(j: unknown[]): CtyType {
  const [, attrs, optional] = j;
  if (j.length > 3 || typeof attrs !== 'object' || attrs === null || Array.isArray(attrs)) {
    throw invalidType(j, 'an object type is ["object", {attribute: type}] with an optional third list of optional attributes');
  }
  const object: Record<string, CtyType> = {};
  for (const [name, at] of Object.entries(attrs)) object[name] = typeFromJson(at);
  if (optional === undefined) return { object };
  if (!Array.isArray(optional) || !optional.every((n) => typeof n === 'string' && Object.hasOwn(object, n))) {
    throw invalidType(j, 'the optional list must name attributes of the object');
  }
  return { object, optional: optional as string[] };
}

function invalidType(j: unknown, why: string): Error {
  return new Error(`invalid cty type JSON ${JSON.stringify(j)}: ${why}`);
}

/** Structural equality; optional-attribute lists compare as sets (absent = empty). */
export function typeEquals(a: CtyType, b: CtyType): boolean {
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  if ('list' in a) return 'list' in b && typeEquals(a.list, b.list);
  if ('set' in a) return 'set' in b && typeEquals(a.set, b.set);
  if ('map' in a) return 'map' in b && typeEquals(a.map, b.map);
  if ('tuple' in a) {
    return 'tuple' in b && a.tuple.length === b.tuple.length && a.tuple.every((t, i) => typeEquals(t, b.tuple[i]));
  }
  if (!('object' in b)) return false;
  return sameNames(Object.keys(a.object), Object.keys(b.object))
    && sameNames(a.optional ?? [], b.optional ?? [])
    && Object.keys(a.object).every((n) => typeEquals(a.object[n], b.object[n]));
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  const set = new Set(a);
  return set.size === new Set(b).size && b.every((n) => set.has(n));
}

/** A friendly name for messages, in terraform's words: `string`, `list of number`, `object`. */
export function typeName(t: CtyType): string {
  if (typeof t === 'string') return t;
  if ('list' in t) return `list of ${typeName(t.list)}`;
  if ('set' in t) return `set of ${typeName(t.set)}`;
  if ('map' in t) return `map of ${typeName(t.map)}`;
  return 'tuple' in t ? 'tuple' : 'object';
}
