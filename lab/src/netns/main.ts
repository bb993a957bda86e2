// The netns lab process: builds the lab of a topology, runs its BMC simulators until SIGTERM/SIGINT, then removes everything it created.

import { runLabProcess } from '../lab-process';
import { startNetnsLab } from './netns-lab';
import { loadNetnsTopology } from './topology';

runLabProcess('node lab/src/netns/main.js <netns-topology.yaml> <lab-dir>', (topology, dir) => startNetnsLab(loadNetnsTopology(topology), dir));
