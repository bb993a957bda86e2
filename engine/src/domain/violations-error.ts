// The error for input that breaks rules the user can fix, one FieldViolation per broken rule.

import type { FieldViolation } from './port-config';

/** Thrown when input is invalid; the API turns it into INVALID_ARGUMENT with the violations attached. */
export class ViolationsError extends Error {
  constructor(readonly violations: FieldViolation[]) {
    super(violations.map((v) => `${v.field}: ${v.reason}`).join('; '));
    this.name = 'ViolationsError';
  }
}
