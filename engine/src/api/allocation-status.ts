// Turns allocation and lifecycle errors into API errors with a code the caller can act on.

import { AllocationError, type AllocationErrorCode } from '../domain/allocation-error';
import { EngineApiError } from './api-error';
import type { ApiErrorCode } from './status';

const CODES: Record<AllocationErrorCode, ApiErrorCode> = {
  capacity_exhausted: 'failed_precondition',
  conflict: 'failed_precondition',
  invalid_transition: 'failed_precondition',
  out_of_pool: 'invalid_argument',
  invalid_request: 'invalid_argument',
  not_found: 'not_found',
};

/** Runs `fn`; an AllocationError becomes an EngineApiError whose message keeps the allocator's own (it names the pool). */
export async function allocationCall<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof AllocationError) throw new EngineApiError(CODES[err.code], `${err.message} [${err.code}]`);
    throw err;
  }
}
