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
  /** Runs one non-empty command line. Errors are worded as the platform words them. */
  execute(line: string): CliReply;
  /** True while the CLI waits for a secret (IOS `enable` asking `Password:`): the shell neither echoes nor logs that line. */
  readingSecret?(): boolean;
}

/** Who logged in, and the switch's secrets a CLI may ask for. */
export interface LoginContext {
  username: string;
  /** IOS: the enable secret `enable` asks for; none = `enable` asks nothing. */
  enablePassword?: string;
}

/** Creates a CLI for each new shell session (`login` defaults to user `admin` without an enable secret). */
export type CliFactory = (state: SwitchState, terminal: TerminalControl, login?: LoginContext) => SimulatedCli;
