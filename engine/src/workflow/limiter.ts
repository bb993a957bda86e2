// Bounded parallelism per device kind: at most N steps of a pool (e.g. `bmc`) run at once, the rest wait in order.

/** A counting semaphore with FIFO waiters. */
export class Semaphore {
  private active = 0;
  private readonly waiters: (() => void)[] = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`a parallelism limit must be a positive integer, got ${limit}`);
  }

  /** Runs `fn` once fewer than `limit` others are running; resolves/rejects with its result. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiters.push(resolve));
    else this.active++;
    try {
      return await fn();
    } finally {
      const next = this.waiters.shift();
      if (next) next();
      else this.active--;
    }
  }
}

/** One semaphore per named pool; a pool without a configured limit is unbounded. */
export class PoolLimiter {
  private readonly pools = new Map<string, Semaphore>();

  constructor(limits: Readonly<Record<string, number>>) {
    for (const [pool, limit] of Object.entries(limits)) this.pools.set(pool, new Semaphore(limit));
  }

  run<T>(pool: string | undefined, fn: () => Promise<T>): Promise<T> {
    const sem = pool === undefined ? undefined : this.pools.get(pool);
    return sem ? sem.run(fn) : fn();
  }
}
