// Retry policy: which errors are worth another attempt, and the exponential backoff with jitter between attempts.

export interface RetryPolicy {
  /** Attempts in total, the first included (1 = never retry). */
  maxAttempts: number;
  /** Wait before the second attempt; doubles for each later one. */
  baseDelayMs: number;
  /** Upper bound of one wait. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 200, maxDelayMs: 5000 };

/**
 * True only for errors that say so: DeviceError and BmcError carry
 * `retryable` (a dropped connection, a 503); everything else (a rejected
 * command, a validation error, a bug) fails at once.
 */
export function isRetryable(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { retryable?: unknown }).retryable === true;
}

/**
 * The wait after failed attempt `attempt` (1-based): base * 2^(attempt-1),
 * capped, then scaled by a random factor in [0.5, 1.5) so jobs that failed
 * together do not retry together. `random` is injectable for tests.
 */
export function backoffMs(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(exponential * (0.5 + random()));
}

/** Resolves after `ms`, or rejects with `signal.reason` as soon as the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
