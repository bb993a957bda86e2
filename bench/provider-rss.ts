// Peak resident memory of the provider processes a terraform process starts, sampled from /proc (Linux).

import { readdirSync, readFileSync } from 'node:fs';
import { statFieldsAfterName } from '../provider-shim/src/plugin/host';

export interface RssPeak {
  /** Highest VmRSS seen in any one provider process, in KiB. */
  maxKb: number;
  /** Distinct provider processes seen. */
  processes: number;
}

const read = (path: string): string | null => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null; // the process exited between listing and reading
  }
};

/** Parent pid (field 4) from /proc/<pid>/stat. */
const parentOf = (stat: string): number => Number(statFieldsAfterName(stat)[1]);

/** Children of `parent` whose command line contains `marker`. */
function childrenMatching(parent: number, marker: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => {
      const stat = read(`/proc/${pid}/stat`);
      return stat !== null && parentOf(stat) === parent && (read(`/proc/${pid}/cmdline`) ?? '').includes(marker);
    });
}

function rssKb(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(read(`/proc/${pid}/status`) ?? '');
  return m ? Number(m[1]) : 0;
}

/**
 * Samples, every `everyMs`, the children of `parent` (terraform execs the
 * launcher, which execs node, so the provider is a direct child) whose command
 * line contains `marker`; stop() returns the peak. Sampling costs CPU: do not
 * time the run it watches.
 */
export function watchProviderRss(parent: number, marker: string, everyMs = 20): { stop(): RssPeak } {
  return watchRss(() => childrenMatching(parent, marker), everyMs);
}

/** Samples, every `everyMs`, the processes `find` names at that moment; stop() returns the peak. */
export function watchRss(find: () => number[], everyMs = 20): { stop(): RssPeak } {
  const peaks = new Map<number, number>();
  const sample = () => {
    for (const pid of find()) peaks.set(pid, Math.max(peaks.get(pid) ?? 0, rssKb(pid)));
  };
  const timer = setInterval(sample, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      return { maxKb: Math.max(0, ...peaks.values()), processes: peaks.size };
    },
  };
}
