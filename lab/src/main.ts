// The simulated lab process: runs the simulated devices of a topology until SIGTERM/SIGINT.

import { startLab } from './lab';
import { runLabProcess } from './lab-process';
import { loadTopology } from './topology';

runLabProcess('node lab/src/main.js <topology.yaml> <lab-dir>', (topology, dir) => startLab(loadTopology(topology), dir));
