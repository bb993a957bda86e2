// Numbers for the provider benchmarks: medians of samples taken side by side, and how they are printed.

/** The median of `samples` (the mean of the middle two for an even count). Throws on none. */
export function median(samples: number[]): number {
  if (samples.length === 0) throw new Error('median of no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Runs `subject` and `baseline` alternately `runs` times each (after one
 * discarded warm-up of each), so that both see the same machine load, and
 * returns every timed sample in ms.
 */
export async function interleaved(runs: number, subject: () => Promise<number>, baseline: () => Promise<number>): Promise<{ subject: number[]; baseline: number[] }> {
  const [s, b] = await rounds(runs, [subject, baseline]);
  return { subject: s, baseline: b };
}

/** `interleaved` for any number of measurements: one warm-up of each, then `runs` rounds of each in turn. */
export async function rounds(runs: number, measures: (() => Promise<number>)[]): Promise<number[][]> {
  for (const measure of measures) await measure();
  const out = measures.map(() => [] as number[]);
  for (let i = 0; i < runs; i++) for (const [j, measure] of measures.entries()) out[j].push(await measure());
  return out;
}

export const fmtMs = (ms: number): string => `${ms.toFixed(1)} ms`;
export const fmtRatio = (ratio: number, target: number): string => `${ratio.toFixed(2)}x (target <= ${target}x: ${ratio <= target ? 'met' : 'NOT met'})`;

/** Elapsed ms since `start` (a performance.now() value). */
export const since = (start: number): number => performance.now() - start;
