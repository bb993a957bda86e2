// In-process mutual exclusion per key (a switch, a BMC, a server, a port), so work on one device never interleaves.

/** Runs callbacks for the same key one at a time, in call order; different keys run concurrently. */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** Runs `fn` once every earlier `run` with this key has settled; resolves/rejects with `fn`'s result. */
  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.catch(() => undefined).then(fn);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    try {
      return await result;
    } finally {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  /**
   * Runs `fn` holding every key. Keys are taken in sorted order, so two
   * callers needing overlapping sets can never wait for each other in a cycle.
   */
  runAll<T>(keys: readonly string[], fn: () => Promise<T>): Promise<T> {
    const sorted = [...new Set(keys)].sort();
    const nest = (i: number): Promise<T> => (i === sorted.length ? fn() : this.run(sorted[i], () => nest(i + 1)));
    return nest(0);
  }
}
