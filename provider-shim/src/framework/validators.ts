// Attribute validators: pure checks of one known config value, returning what is wrong.

import type { CtyValue } from '../cty/types';

/**
 * Checks a known, non-null value. Returns null when it is acceptable, else the
 * reason, phrased to follow the attribute name ("must be one of ...").
 */
export type Validator = (value: CtyValue) => string | null;

export function oneOf(...allowed: string[]): Validator {
  return (v) => (allowed.includes(v as string) ? null : `must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}; got ${JSON.stringify(v)}`);
}

export function intBetween(min: number, max: number): Validator {
  return (v) => (Number.isInteger(v) && (v as number) >= min && (v as number) <= max ? null : `must be a whole number from ${min} to ${max}; got ${String(v)}`);
}

/** Every element of a list/set must pass `inner`. */
export function eachElement(inner: Validator): Validator {
  return (v) => {
    for (const el of v as CtyValue[]) {
      if (el === null || typeof el === 'object') continue;
      const reason = inner(el);
      if (reason) return `element ${String(el)} ${reason}`;
    }
    return null;
  };
}

export function matches(pattern: RegExp, what: string): Validator {
  return (v) => (pattern.test(v as string) ? null : `must be ${what}; got ${JSON.stringify(v)}`);
}

export function noControlCharacters(): Validator {
  return (v) => (/[\u0000-\u001f\u007f]/.test(v as string) ? 'must not contain newlines or other control characters' : null);
}

export function maxLength(n: number): Validator {
  return (v) => ((v as string).length <= n ? null : `must be at most ${n} characters; got ${(v as string).length}`);
}
