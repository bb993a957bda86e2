// The cty type system as terraform uses it on the wire: types and in-memory values.

/**
 * A cty type. Primitive types are strings; collection and structural types are
 * tagged objects. `dynamic` means "any type, decided by the value"; its values
 * travel with their type (see DynamicValue below).
 */
export type CtyType =
  | 'string'
  | 'number'
  | 'bool'
  | 'dynamic'
  | { list: CtyType }
  | { set: CtyType }
  | { map: CtyType }
  | { object: Record<string, CtyType>; optional?: string[] }
  | { tuple: CtyType[] };

/**
 * A value whose content is not known yet (planned, computed later). Terraform may
 * attach refinements (msgpack extension 12); we accept them and drop them.
 */
export class Unknown {
  /** Makes the class nominal, so `isUnknown`'s false branch keeps arrays and objects. */
  private readonly brand = 'cty.unknown';
  private constructor() {}
  static readonly value = new Unknown();
  toString(): string {
    return '(known after apply)';
  }
}

/** The single unknown value. Compare with `=== unknown` or `isUnknown()`. */
export const unknown = Unknown.value;

/** A value of type `dynamic`: the concrete type travels with the value. */
export class DynamicValue {
  constructor(
    readonly type: CtyType,
    readonly value: CtyValue,
  ) {}
}

/**
 * In-memory cty value. `null` is cty null of any type. Objects and maps are plain
 * objects (object values always carry every attribute key of their type); lists,
 * sets and tuples are arrays; numbers are JS numbers (cty numbers are arbitrary
 * precision; no Maestro attribute needs more than 2^53).
 */
export type CtyValue =
  | null
  | Unknown
  | string
  | number
  | boolean
  | DynamicValue
  | CtyValue[]
  | { [key: string]: CtyValue };

export function isUnknown(v: CtyValue): v is Unknown {
  return v === unknown;
}

/** True when the value or anything inside it is unknown. */
export function containsUnknown(v: CtyValue): boolean {
  if (v === unknown) return true;
  if (v instanceof DynamicValue) return containsUnknown(v.value);
  if (Array.isArray(v)) return v.some(containsUnknown);
  if (v !== null && typeof v === 'object') return Object.values(v).some(containsUnknown);
  return false;
}
