// Typed allocation errors: a stable code, the pool or object at fault, and whether retrying may help.

/** Stable codes callers (API, workflow executor) branch on; never renamed. */
export type AllocationErrorCode = 'capacity_exhausted' | 'conflict' | 'out_of_pool' | 'not_found' | 'invalid_transition' | 'invalid_request';

/**
 * Any refusal by an allocator or the server lifecycle. `retryable` is false for
 * every code: asking again for the same thing gives the same answer until an
 * operator or another owner changes something.
 */
export class AllocationError extends Error {
  readonly retryable = false;

  constructor(readonly code: AllocationErrorCode, message: string) {
    super(message);
    this.name = 'AllocationError';
  }
}

/** A pool has nothing left; the message names the pool and how full it is. */
export class CapacityError extends AllocationError {
  constructor(
    /** The pool as users know it, e.g. `VLAN pool tenants 100-199` or `profile "gpu-large"`. */
    readonly pool: string,
    message: string,
  ) {
    super('capacity_exhausted', message);
    this.name = 'CapacityError';
  }
}
