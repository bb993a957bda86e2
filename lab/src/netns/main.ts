// The netns lab process: builds the lab of a topology, runs its BMC simulators until SIGTERM/SIGINT, then removes everything it created.

import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { startNetnsLab } from './netns-lab';
import { loadNetnsTopology } from './topology';

async function main(argv: string[]): Promise<void> {
  const [topologyFile, dir] = argv;
  if (!topologyFile || !dir) {
    process.stderr.write('usage: node lab/src/netns/main.js <netns-topology.yaml> <lab-dir>\n');
    process.exit(2);
  }
  const lab = await startNetnsLab(loadNetnsTopology(topologyFile), dir);
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
}

main(process.argv.slice(2)).catch((err) => {
  process.stderr.write(`maestro lab: ${(err as Error).message}\n`);
  process.exit(1);
});
