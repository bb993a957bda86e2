// Finding and ending the netns lab's processes: by recorded pid (checked against its command line) or by the lab namespace they run in.

import { readFileSync } from 'node:fs';
import { run } from './run';
import { processAlive as alive } from '../lab-process';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** True when process `pid` exists and its command line contains `mark` (so a reused pid is never taken for the lab's). */
export function cmdlineHas(pid: number, mark: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').includes(mark);
  } catch {
    return false;
  }
}

/** Every process inside network namespace `ns` (none when it does not exist). Only the lab starts processes in its namespaces. */
export async function netnsPids(ns: string): Promise<number[]> {
  const out = await run('ip', ['netns', 'pids', ns]).catch(() => '');
  return out.split('\n').filter((l) => /^\d+$/.test(l)).map(Number);
}

/** SIGTERM to each pid, SIGKILL to those still there after `graceMs`; resolves once all are gone (or 5 s more passed). */
export async function terminate(pids: number[], graceMs = 2_000): Promise<void> {
  const signal = (sig: NodeJS.Signals) => pids.filter(alive).forEach((pid) => process.kill(pid, sig));
  signal('SIGTERM');
  for (let waited = 0; waited < graceMs && pids.some(alive); waited += 25) await sleep(25);
  signal('SIGKILL');
  for (let waited = 0; waited < 5_000 && pids.some(alive); waited += 25) await sleep(25);
}
