// The engine API's error: handlers throw it for anything the caller can act on; the client rejects with it.

import type { FieldViolation } from '../domain/port-config';
import type { ApiErrorCode } from './status';

/** A failed call: a stable code, a message saying what to do, and the request fields at fault. */
export class EngineApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly violations: FieldViolation[] = [],
  ) {
    super(message);
    this.name = 'EngineApiError';
  }

  /** An error blaming one request field. */
  static field(code: ApiErrorCode, field: string, reason: string): EngineApiError {
    return new EngineApiError(code, reason, [{ field, reason }]);
  }
}
