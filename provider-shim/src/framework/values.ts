// Schema-aware walks over resource values: validators, defaults, unknown marking.

import { containsUnknown, isUnknown, unknown, type CtyType, type CtyValue } from '../cty/types';
import { valuesEqual } from '../cty/value';
import type { AttrPath, Diagnostics } from './diagnostics';
import { hasModifier } from './plan-modifiers';
import type { ObjectValue } from './resource';
import { attributeType, type AttributeDef, type BlockDef, type SchemaDef } from './schema';

/** Runs every attribute validator over the known, non-null values of `value`. */
export function runValidators(schema: { attributes: Record<string, AttributeDef>; blocks?: Record<string, BlockDef> }, value: ObjectValue, diags: Diagnostics, path: AttrPath = []): void {
  for (const [name, def] of Object.entries(schema.attributes)) {
    const v = value[name];
    if (v === null || v === undefined || isUnknown(v)) continue;
    for (const validate of def.validators ?? []) {
      const reason = validate(v);
      if (reason) diags.error(`Invalid ${name}`, `${name} ${reason}.`, [...path, name]);
    }
  }
  for (const [name, block] of Object.entries(schema.blocks ?? {})) {
    const v = value[name];
    if (v === null || v === undefined || isUnknown(v)) continue;
    if (block.nesting === 'single') runValidators(block, v as ObjectValue, diags, [...path, name]);
    else (v as CtyValue[]).forEach((el, i) => !isUnknown(el) && el !== null && runValidators(block, el as ObjectValue, diags, [...path, name, i]));
  }
}

/** Fills `default`s into attributes the config leaves null (top level). */
export function applyDefaults(schema: SchemaDef, config: ObjectValue, planned: ObjectValue): void {
  for (const [name, def] of Object.entries(schema.attributes)) {
    if (def.default !== undefined && config[name] === null) planned[name] = def.default;
  }
}

/** Computed attributes the config leaves null and no default fills: the provider decides them. */
function providerDecided(def: AttributeDef, configValue: CtyValue): boolean {
  return !!def.computed && configValue === null && def.default === undefined;
}

/**
 * Marks provider-decided attributes unknown: always on create; on update only
 * when something changed, and never those with use-state-for-unknown.
 */
export function markUnknowns(schema: SchemaDef, config: ObjectValue, planned: ObjectValue, prior: ObjectValue | null, changed: boolean): void {
  for (const [name, def] of Object.entries(schema.attributes)) {
    if (!providerDecided(def, config[name])) continue;
    if (prior === null) planned[name] = unknown;
    else if (changed && !hasModifier(def.planModifiers, 'use-state-for-unknown')) planned[name] = unknown;
  }
}

/** Attribute paths whose change forces replacement. */
export function replacePaths(schema: SchemaDef, prior: ObjectValue, planned: ObjectValue): AttrPath[] {
  const out: AttrPath[] = [];
  for (const [name, def] of Object.entries(schema.attributes)) {
    if (!hasModifier(def.planModifiers, 'requires-replace')) continue;
    if (!valuesEqual(prior[name], planned[name], attributeType(def))) out.push([name]);
  }
  return out;
}

/**
 * Where an apply result breaks terraform's rules (a known planned value changed,
 * or something left unknown), as readable paths; empty when consistent.
 */
export function applyInconsistencies(type: CtyType, planned: CtyValue, result: CtyValue, path = ''): string[] {
  if (typeof type === 'object' && 'object' in type && planned !== null && result !== null && !isUnknown(planned) && !isUnknown(result)) {
    const p = planned as ObjectValue;
    const r = result as ObjectValue;
    return Object.entries(type.object).flatMap(([k, t]) => applyInconsistencies(t, p[k], r[k], `${path}.${k}`));
  }
  if (containsUnknown(result)) return [`${path || 'value'} is still unknown after apply`];
  if (containsUnknown(planned)) return [];
  return valuesEqual(planned, result, type) ? [] : [`${path || 'value'}: planned ${JSON.stringify(planned)}, got ${JSON.stringify(result)}`];
}
