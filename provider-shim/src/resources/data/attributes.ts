// Shorthands for data source schemas: read-only attributes and the inventory id grammar.

import type { CtyType } from '../../cty/types';
import type { AttributeDef } from '../../framework/schema';
import { matches, type Validator } from '../../framework/validators';

/** A read-only attribute the data source fills in. */
export function computed(type: CtyType, description: string): AttributeDef {
  return { type, computed: true, description };
}

/** A read-only list of objects, each with the given (read-only) attributes. */
export function computedList(description: string, attributes: Record<string, AttributeDef>): AttributeDef {
  return { nested: { nesting: 'list', attributes }, computed: true, description };
}

/** Ids of switches, profiles and racks in the engine's inventory. */
export function inventoryId(what: string): Validator {
  return matches(/^[a-z0-9][a-z0-9-]*$/, `${what} of lowercase letters, digits and dashes`);
}
