// Declarative schemas: how resources describe their attributes, and their
// translation to the protocol schema and to cty object types.

import type { CtyType, CtyValue } from '../cty/types';
import type { SchemaAttribute, SchemaBlock, SchemaNestedBlock, SchemaObject } from '../tfplugin6/protocol';
import { typeToJson } from '../cty/type-json';
import type { Validator } from './validators';
import type { PlanModifier } from './plan-modifiers';

/**
 * One attribute. Exactly one of required / optional / computed must hold, except
 * optional + computed together (the user may set it; otherwise the provider does).
 */
export interface AttributeDef {
  /** cty type of the value; omit when `nested` is given. */
  type?: CtyType;
  /** Nested attributes (an object, or a list/set/map of objects). */
  nested?: { nesting: 'single' | 'list' | 'set' | 'map'; attributes: Record<string, AttributeDef> };
  description: string;
  required?: boolean;
  optional?: boolean;
  computed?: boolean;
  sensitive?: boolean;
  /** Planned when the config leaves the attribute null. Needs optional + computed. */
  default?: CtyValue;
  /** Run on known, non-null config values at validate time. */
  validators?: Validator[];
  planModifiers?: PlanModifier[];
}

/** A nested block (`timeouts { ... }`). */
export interface BlockDef {
  nesting: 'single' | 'list' | 'set';
  description: string;
  attributes: Record<string, AttributeDef>;
  blocks?: Record<string, BlockDef>;
  minItems?: number;
  maxItems?: number;
}

export interface SchemaDef {
  /** State schema version; bump with an upgrader when the shape changes. */
  version: number;
  description: string;
  attributes: Record<string, AttributeDef>;
  blocks?: Record<string, BlockDef>;
}

const NAME = /^[a-z0-9_]+$/;

/** The cty type of an attribute. */
export function attributeType(def: AttributeDef): CtyType {
  if (def.type !== undefined) return def.type;
  if (!def.nested) throw new Error('attribute needs type or nested');
  const obj = objectTypeOf(def.nested.attributes, {});
  switch (def.nested.nesting) {
    case 'single':
      return obj;
    case 'list':
      return { list: obj };
    case 'set':
      return { set: obj };
    case 'map':
      return { map: obj };
  }
}

function blockType(def: BlockDef): CtyType {
  const obj = objectTypeOf(def.attributes, def.blocks ?? {});
  return def.nesting === 'single' ? obj : def.nesting === 'list' ? { list: obj } : { set: obj };
}

function objectTypeOf(attributes: Record<string, AttributeDef>, blocks: Record<string, BlockDef>): CtyType {
  const object: Record<string, CtyType> = {};
  for (const [name, def] of Object.entries(attributes)) object[name] = attributeType(def);
  for (const [name, def] of Object.entries(blocks)) object[name] = blockType(def);
  return { object };
}

/** Schemas are declared once and never change: every RPC of every resource reuses its type. */
const typeCache = new WeakMap<SchemaDef, CtyType>();

/** The cty object type of a whole resource, data source or provider config. */
export function schemaType(schema: SchemaDef): CtyType {
  let type = typeCache.get(schema);
  if (!type) typeCache.set(schema, (type = objectTypeOf(schema.attributes, schema.blocks ?? {})));
  return type;
}


/**
 * Checks the declaration itself (names, flag combinations, defaults), so that a
 * mistake in a resource file fails every test rather than confusing terraform.
 */
export function checkSchema(where: string, schema: SchemaDef): string[] {
  const problems: string[] = [];
  const visitAttrs = (prefix: string, attrs: Record<string, AttributeDef>) => {
    for (const [name, def] of Object.entries(attrs)) {
      const at = `${where}: ${prefix}${name}`;
      if (!NAME.test(name)) problems.push(`${at}: name must match [a-z0-9_]+`);
      if (!def.description) problems.push(`${at}: every attribute needs a description`);
      if ((def.type === undefined) === (def.nested === undefined)) problems.push(`${at}: exactly one of type / nested`);
      const flags = [def.required, def.optional, def.computed].filter(Boolean).length;
      const ok = flags === 1 || (flags === 2 && def.optional && def.computed);
      if (!ok) problems.push(`${at}: exactly one of required/optional/computed (or optional+computed)`);
      if (def.default !== undefined && !(def.optional && def.computed)) problems.push(`${at}: a default needs optional + computed`);
      if (def.nested) visitAttrs(`${prefix}${name}.`, def.nested.attributes);
    }
  };
  const visitBlocks = (prefix: string, blocks: Record<string, BlockDef>) => {
    for (const [name, def] of Object.entries(blocks)) {
      if (!NAME.test(name)) problems.push(`${where}: ${prefix}${name}: name must match [a-z0-9_]+`);
      visitAttrs(`${prefix}${name}.`, def.attributes);
      visitBlocks(`${prefix}${name}.`, def.blocks ?? {});
    }
  };
  visitAttrs('', schema.attributes);
  visitBlocks('', schema.blocks ?? {});
  return problems;
}

function toProtoAttribute(name: string, def: AttributeDef): SchemaAttribute {
  const attr: SchemaAttribute = {
    name,
    description: def.description,
    required: !!def.required,
    optional: !!def.optional,
    computed: !!def.computed,
    sensitive: !!def.sensitive,
  };
  if (def.nested) attr.nestedType = toProtoObject(def.nested);
  else attr.type = typeToJson(def.type as CtyType);
  return attr;
}

function toProtoObject(nested: NonNullable<AttributeDef['nested']>): SchemaObject {
  return { nesting: nested.nesting, attributes: toProtoAttributes(nested.attributes) };
}

function toProtoAttributes(attrs: Record<string, AttributeDef>): SchemaAttribute[] {
  return Object.keys(attrs)
    .sort()
    .map((name) => toProtoAttribute(name, attrs[name]));
}

function toProtoBlock(description: string, attributes: Record<string, AttributeDef>, blocks: Record<string, BlockDef>, version?: number): SchemaBlock {
  const blockTypes: SchemaNestedBlock[] = Object.keys(blocks)
    .sort()
    .map((typeName) => {
      const b = blocks[typeName];
      return { typeName, nesting: b.nesting, minItems: b.minItems, maxItems: b.maxItems, block: toProtoBlock(b.description, b.attributes, b.blocks ?? {}) };
    });
  return { version, description, attributes: toProtoAttributes(attributes), blockTypes };
}

/** The protocol schema terraform receives from GetProviderSchema. */
export function toProtoSchema(schema: SchemaDef): { version: number; block: SchemaBlock } {
  return { version: schema.version, block: toProtoBlock(schema.description, schema.attributes, schema.blocks ?? {}, schema.version) };
}
