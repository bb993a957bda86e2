// The explicit list of simulated switch CLIs. Adding one: its file, one line here.

import type { CliFactory } from './cli';
import { createEosCli } from './eos';
import { createIosCli } from './ios';
import { createNxosCli } from './nxos';
import { createSonicCli } from './sonic';

export const simulatedDialects = {
  eos: createEosCli,
  nxos: createNxosCli,
  ios: createIosCli,
  sonic: createSonicCli,
} satisfies Record<string, CliFactory>;

export type SimulatedDialect = keyof typeof simulatedDialects;
