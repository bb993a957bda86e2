// Value paths (`.ports[2].name`) and the error every cty codec throws, naming the path.

import { DynamicValue, unknown } from './types';

/**
 * One step into a value: an object attribute, a map key or a list/set/tuple
 * index. Structurally the same as the protocol's PathStep, so a caught error's
 * `path` can go straight into a diagnostic's `attribute`.
 */
export type CtyPathStep = { attribute: string } | { key: string } | { index: number };

/** Renders a path the way terraform shows it: `.ports[2].name`, `.tags["env"]`; `(root)` when empty. */
export function formatPath(path: readonly CtyPathStep[]): string {
  if (path.length === 0) return '(root)';
  return path.map(formatStep).join('');
}

function formatStep(step: CtyPathStep): string {
  if ('attribute' in step) return `.${step.attribute}`;
  if ('key' in step) return `[${JSON.stringify(step.key)}]`;
  return `[${step.index}]`;
}

/**
 * A value did not fit its type, or a wire payload could not be read as that type.
 * `path` locates the offending part; `problem` says what is wrong there; the
 * message is `<path>: <problem>`.
 */
export class CtyValueError extends Error {
  constructor(
    readonly path: readonly CtyPathStep[],
    readonly problem: string,
  ) {
    super(`${formatPath(path)}: ${problem}`);
    this.name = 'CtyValueError';
  }
}

/** A short noun for what a JS or wire value is, for "expected X, got Y" messages. */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (ArrayBuffer.isView(v)) return 'binary';
  if (v instanceof DynamicValue) return 'dynamic value';
  if (v === unknown) return 'unknown value';
  if (typeof v === 'boolean') return 'bool';
  return typeof v;
}

/** True for a plain record (map or object value): not null, an array, bytes, unknown or a DynamicValue. */
export function isRecord<T = unknown>(v: unknown): v is Record<string, T> {
  return (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    !ArrayBuffer.isView(v) &&
    !(v instanceof DynamicValue) &&
    v !== unknown
  );
}

/** `<path>: expected <what>, got <kind of v>`. */
export function mismatch(path: readonly CtyPathStep[], expected: string, v: unknown): CtyValueError {
  return new CtyValueError(path, `expected ${expected}, got ${describeValue(v)}`);
}

/** The error for an attribute the object type does not declare, listing those it does. */
export function unexpectedAttribute(path: readonly CtyPathStep[], name: string, declared: readonly string[]): CtyValueError {
  const known = declared.length > 0 ? [...declared].sort().join(', ') : 'none';
  return new CtyValueError([...path, { attribute: name }], `unexpected attribute; the type declares: ${known}`);
}

/** Appends one step without mutating the caller's path. */
export function step(path: readonly CtyPathStep[], s: CtyPathStep): CtyPathStep[] {
  return [...path, s];
}
