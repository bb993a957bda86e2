// What a `maestro` subcommand is, and the argument parsing they share.

import { parseArgs, type ParseArgsConfig } from 'node:util';

export interface CliIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  env: NodeJS.ProcessEnv;
}

export interface Command {
  /** The words that select it, e.g. `['engine', 'serve']`. */
  words: string[];
  /** One line for `maestro --help`. */
  summary: string;
  /** Its full usage text (flags and arguments). */
  usage: string;
  /** Runs with the arguments after `words`; resolves with the exit code. Throws UsageError for bad arguments. */
  run(args: string[], io: CliIo): Promise<number>;
}

/** Bad arguments: main prints the message and the command's usage, exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** node:util parseArgs in strict mode, with errors turned into UsageError and an exact positional count. */
export function parseFlags<O extends Options>(args: string[], options: O, positionals: string[] = []) {
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (parsed.positionals.length !== positionals.length) {
    const want = positionals.length === 0 ? 'no arguments' : positionals.map((p) => `<${p}>`).join(' ');
    throw new UsageError(`expected ${want}, got ${parsed.positionals.length === 0 ? 'none' : parsed.positionals.join(' ')}`);
  }
  return parsed;
}
