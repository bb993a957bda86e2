// The contract between the generic SSH shell of the simulator and one dialect's simulated CLI.

import type { SwitchState } from './state';

/** What the CLI printed for one command line; `endSession` closes the shell afterwards (`exit` at the top). */
export interface CliReply {
  output: string;
  endSession?: boolean;
}

/** Terminal settings a CLI command may change. */
export interface TerminalControl {
  /** Lines per page before a `--More--` pager; 0 disables paging. */
  setPageLength(lines: number): void;
}

/** One shell's CLI: its own mode (exec, config, interface...) over the switch's shared state. */
export interface SimulatedCli {
  /** The prompt for the current mode, without a newline (`leaf1(config-if-Et1)#`). */
  prompt(): string;
  /** Runs one non-empty command line. Errors are output starting with `% `. */
  execute(line: string): CliReply;
}

/** Creates a CLI for each new shell session. */
export type CliFactory = (state: SwitchState, terminal: TerminalControl) => SimulatedCli;
