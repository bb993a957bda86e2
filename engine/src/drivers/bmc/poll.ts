// Waiting for a BMC to reach a state: read, check, sleep, until done or out of time.

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface PollResult<T> {
  /** The last value read. */
  value: T;
  /** Whether `done(value)` held before the deadline. */
  reached: boolean;
}

/**
 * Reads immediately, then every `intervalMs` until `done` holds or `timeoutMs`
 * has passed. Errors thrown by `read` propagate.
 */
export async function pollUntil<T>(read: () => Promise<T>, done: (value: T) => boolean, intervalMs: number, timeoutMs: number): Promise<PollResult<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return { value, reached: true };
    if (Date.now() + intervalMs > deadline) return { value, reached: false };
    await sleep(intervalMs);
  }
}
