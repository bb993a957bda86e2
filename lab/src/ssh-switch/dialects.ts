// The explicit list of simulated switch CLIs. Adding one: its file, one line here.

import type { CliFactory } from './cli';
import { createEosCli } from './eos';

export const simulatedDialects = {
  eos: createEosCli,
} satisfies Record<string, CliFactory>;

export type SimulatedDialect = keyof typeof simulatedDialects;
