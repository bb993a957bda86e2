// The lab process: runs the simulated devices of a topology until SIGTERM/SIGINT.

import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { startLab } from './lab';
import { loadTopology } from './topology';

async function main(argv: string[]): Promise<void> {
  const [topologyFile, dir] = argv;
  if (!topologyFile || !dir) {
    process.stderr.write('usage: node lab/src/main.js <topology.yaml> <lab-dir>\n');
    process.exit(2);
  }
  const lab = await startLab(loadTopology(topologyFile), dir);
  const stop = async () => {
    await lab.close();
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
