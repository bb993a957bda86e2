// The error API handlers throw for anything the caller can act on.

import type { FieldViolation } from '../domain/port-config';
import type { ApiErrorCode } from './status';

/** A failed call: a stable code, a message saying what to do, and the fields at fault. */
export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly violations: FieldViolation[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** An error blaming one request field. */
  static field(code: ApiErrorCode, field: string, reason: string): ApiError {
    return new ApiError(code, reason, [{ field, reason }]);
  }
}
