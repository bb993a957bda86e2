// One command on an exec channel: stdin upload, output split into lines, exit status, and a timeout that kills the remote process group.

import type { ClientChannel } from 'ssh2';
import { OsError, type OutputStream } from './os-driver';
import { LineSplitter } from './output-lines';
import { shellQuote } from './shell-quote';

/** What to run and how long it may take. */
export interface CommandRequest {
  /** Names the command in errors: `set hostname`, `bootstrap script`. */
  label: string;
  /** POSIX sh script, run with `/bin/sh -c` whatever the user's login shell is. Never holds secrets or file contents: those go in `stdin`. */
  script: string;
  /** Sent, then end of file. */
  stdin?: string | Buffer;
  timeoutMs: number;
  onLine?: (line: string, stream: OutputStream) => void;
}

/** Lines kept in OsError.output; the message quotes the last few of them. */
const TAIL_LINES = 20;
const MESSAGE_LINES = 5;

/**
 * Printed on stderr before the script runs: the process group sshd gave the
 * session. Signals sent through SSH are ignored for root sessions (they have
 * no privilege separation), so a timed-out command is killed with `kill`
 * on a second channel instead. Read from /proc because `$$` may be a child of
 * the group leader (the login shell) rather than the leader itself.
 */
const PGID_PRELUDE = `{ read -r maestro_stat < /proc/$$/stat; } 2>/dev/null && set -- \${maestro_stat##*\\)} && printf 'maestro-pgid %s\\n' "$3" >&2`;
const PGID_LINE = /^maestro-pgid ([1-9][0-9]*)$/;

/** The command line sent with `exec`. */
export function commandLine(script: string): string {
  return `/bin/sh -c ${shellQuote(`${PGID_PRELUDE}\n${script}`)}`;
}

/** The command that kills what a timed-out command left behind. */
export function killGroupScript(pgid: number): string {
  return `kill -KILL -${pgid}`;
}

/**
 * Feeds stdin, collects output and settles when the channel closes: resolves
 * with every output line when the command exits 0; rejects with OsError
 * `command-failed` (exit status or signal, last lines), `connection` when the
 * channel closes without an exit status, or `command-timeout` once
 * `killGroup` has run after the time limit.
 */
export function runOnChannel(
  device: string,
  channel: ClientChannel,
  req: CommandRequest,
  killGroup: (pgid: number) => Promise<void>,
): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const lines: string[] = [];
    let pgid: number | undefined;
    let exit: { code: number | null; signal?: string } | undefined;
    let timedOut = false;
    const fail = (code: 'command-failed' | 'command-timeout' | 'connection', detail: string, exitCode?: number) =>
      reject(new OsError(device, code, detail + lastLines(lines), { command: req.script, output: lines.slice(-TAIL_LINES).join('\n'), exitCode }));
    const emit = (stream: OutputStream) => (line: string) => {
      if (stream === 'stderr' && pgid === undefined && PGID_LINE.test(line)) {
        pgid = Number(PGID_LINE.exec(line)![1]);
        return;
      }
      lines.push(line);
      req.onLine?.(line, stream);
    };
    const stdout = new LineSplitter();
    const stderr = new LineSplitter();
    channel.on('data', (chunk: Buffer) => stdout.push(chunk).forEach(emit('stdout')));
    channel.stderr.on('data', (chunk: Buffer) => stderr.push(chunk).forEach(emit('stderr')));
    channel.on('exit', (code: number | null, signal?: string) => (exit = { code, signal }));
    channel.on('close', () => {
      clearTimeout(timer);
      if (timedOut) return;
      stdout.end().forEach(emit('stdout'));
      stderr.end().forEach(emit('stderr'));
      if (exit === undefined) return fail('connection', `the connection dropped while running ${req.label}; it may or may not have finished`);
      if (exit.code === 0) return resolve(lines);
      if (exit.code === null) return fail('command-failed', `${req.label} was killed by signal ${exit.signal ?? 'unknown'}`);
      fail('command-failed', `${req.label} failed with exit code ${exit.code}`, exit.code);
    });
    const timer = setTimeout(() => {
      timedOut = true;
      channel.close();
      const what = `${req.label} did not finish within ${req.timeoutMs} ms`;
      if (pgid === undefined) return fail('command-timeout', `${what}; its channel was closed, but its processes could not be identified and may still run`);
      killGroup(pgid).then(
        () => fail('command-timeout', `${what}; its processes (process group ${pgid}) were killed`),
        (err: Error) => fail('command-timeout', `${what}; killing its process group ${pgid} failed too: ${err.message}`),
      );
    }, req.timeoutMs);
    channel.end(req.stdin);
  });
}

function lastLines(lines: string[]): string {
  if (lines.length === 0) return ' (no output)';
  return `; last output:\n${lines.slice(-MESSAGE_LINES).map((l) => `  ${l}`).join('\n')}`;
}
