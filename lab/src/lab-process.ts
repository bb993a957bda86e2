// The background lab process shared by both lab modes: start, serve until SIGTERM/SIGINT, tear down.

import { rmSync } from 'node:fs';
import { join } from 'node:path';

/** True when a process with this pid exists (signal 0 probes without signalling). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs a lab process from `argv` (`<topology> <lab-dir>`): starts the lab, and
 * on SIGTERM/SIGINT closes it once and removes `lab.json`. A failed start exits 1
 * with the reason on stderr.
 */
export function runLabProcess(usage: string, start: (topologyFile: string, dir: string) => Promise<{ close(): Promise<void> }>): void {
  const [topologyFile, dir] = process.argv.slice(2);
  if (!topologyFile || !dir) {
    process.stderr.write(`usage: ${usage}\n`);
    process.exit(2);
  }
  start(topologyFile, dir).then(
    (lab) => {
      let stopping = false;
      const stop = async () => {
        if (stopping) return;
        stopping = true;
        await lab.close().catch((err: Error) => process.stderr.write(`maestro lab: teardown: ${err.message}\n`));
        rmSync(join(dir, 'lab.json'), { force: true });
        process.exit(0);
      };
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
    },
    (err: Error) => {
      process.stderr.write(`maestro lab: ${err.message}\n`);
      process.exit(1);
    },
  );
}
