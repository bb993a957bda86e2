// An interactive SSH CLI session with a switch: login, host key pinning, prompt-driven commands, paging, errors.

import { StringDecoder } from 'node:string_decoder';
import { Client, type ClientChannel } from 'ssh2';
import { DeviceError, type SwitchEndpoint } from './driver';
import { sshFingerprint } from './ssh-fingerprint';

/**
 * Where and how to log in (as in SwitchEndpoint: a pinned `hostKeyFingerprint`
 * refuses any other key; `enablePassword` answers a `Password:` prompt after
 * login, without it such a prompt fails the command), and how to talk to the CLI.
 */
export interface CliSessionOptions extends Pick<SwitchEndpoint, 'host' | 'port' | 'username' | 'password' | 'enablePassword' | 'hostKeyFingerprint'> {
  /** Switch id, named in every error. */
  device: string;
  /** The CLI prompt in any mode, tested against the last line of output (without `\r` and ANSI codes). */
  prompt: RegExp;
  /** Output of a command matching one of these means the device rejected it. */
  errorPatterns: RegExp[];
  /** Limit for TCP connect + SSH handshake + authentication, and again for the first prompt (default 15 s). */
  connectTimeoutMs?: number;
  /** Limit for each command, from sending it to the next prompt (default 60 s). */
  commandTimeoutMs?: number;
}

/** `--More--`, ` --More-- `, `-- More --`: a pager waiting for a key despite `terminal length 0`. */
const PAGER = /-{2,} ?More ?-{2,}.*$/i;
/** A line holding only `Password:` (never a longer line that happens to end with it). */
const PASSWORD_PROMPT = /^\s*password: ?$/i;
/** Terminal escape sequences (colors, cursor moves, line erase) and stray control characters. */
const ESCAPES = /\x1b(?:\[[0-9;?]*[ -\/]*[@-~]|[()][A-Za-z0-9]|[@-Z\\-_=>])|[\x00-\x08\x0b\x0c\x0e-\x1a\x1c-\x1f\x7f]/g;
/** An escape sequence cut in half by a chunk boundary; kept until the rest arrives. */
const PARTIAL_ESCAPE = /\x1b(?:\[[0-9;?]*[ -\/]*)?$/;

interface Pending {
  /** The command sent, or null while waiting for the first prompt after login. */
  command: string | null;
  checkErrors: boolean;
  passwordSent: boolean;
  timer: NodeJS.Timeout;
  resolve(output: string): void;
  reject(error: DeviceError): void;
}

/** What a terminal shows for one line: the text after its last carriage return. */
function visible(line: string): string {
  return line.replace(/\r+$/, '').split('\r').pop() ?? '';
}

/**
 * One SSH shell on one switch. Commands run one at a time: `run` sends a line
 * and resolves with what the device printed before its next prompt (without
 * the echoed command, the prompt, `\r` or escape codes).
 */
export class CliSession {
  private buffer = '';
  private carry = '';
  private readonly decoder = new StringDecoder('utf8');
  private pending: Pending | null = null;
  /** Set once the session can no longer run commands; the error `run` rejects with. */
  private closedBy: DeviceError | null = null;
  /** Learned from the first prompt; a later prompt must start with it, so output lines ending in `#` are not mistaken for one. */
  private hostname = '';
  private readonly closed: Promise<void>;

  private constructor(
    private readonly client: Client,
    private readonly stream: ClientChannel,
    private readonly opts: CliSessionOptions,
  ) {
    this.closed = new Promise((resolve) => client.once('close', () => resolve()));
    stream.on('data', (chunk: Buffer) => this.onData(chunk));
    stream.stderr.on('data', (chunk: Buffer) => this.onData(chunk));
    stream.on('close', () => this.fail('the switch closed the CLI session'));
    client.on('close', () => this.fail('the SSH connection closed'));
    client.on('error', (err) => this.fail(`SSH error: ${err.message}`));
  }

  /**
   * Connects, authenticates (password, or keyboard-interactive answered with
   * the password), opens a pty shell and waits for the first prompt.
   * Throws DeviceError: retryable for unreachable/timeouts/dropped connections;
   * not retryable for a changed host key or rejected credentials.
   */
  static open(opts: CliSessionOptions): Promise<CliSession> {
    const timeout = opts.connectTimeoutMs ?? 15_000;
    return new Promise((resolve, reject) => {
      const client = new Client();
      let presented: string | null = null;
      let settled = false;
      const settle = (error: DeviceError | null, session?: CliSession) => {
        if (settled) return;
        settled = true;
        if (error) client.end();
        error ? reject(error) : resolve(session!);
      };
      client.on('keyboard-interactive', (_name, _instructions, _lang, prompts, finish) => finish(prompts.map(() => opts.password)));
      client.on('error', (err) => settle(connectError(opts, err, presented)));
      client.once('ready', () => {
        // Commands are short request/answer exchanges: Nagle's algorithm would add up to 40 ms to each.
        client.setNoDelay(true);
        client.shell({ term: 'vt100', cols: 511, rows: 24 }, (err, stream) => {
          if (err) return settle(new DeviceError(`${opts.device}: the switch refused an interactive shell: ${err.message}`, opts.device, true));
          const session = new CliSession(client, stream, opts);
          session.expectPrompt(null, timeout, false).then(() => settle(null, session), (e: DeviceError) => settle(e));
        });
      });
      client.connect({
        host: opts.host,
        port: opts.port,
        username: opts.username,
        password: opts.password,
        tryKeyboard: true,
        readyTimeout: timeout,
        hostVerifier: (key: Buffer) => {
          presented = sshFingerprint(key);
          return opts.hostKeyFingerprint === undefined || presented === opts.hostKeyFingerprint;
        },
      });
    });
  }

  /**
   * Sends one command and resolves with its output. Rejects with DeviceError:
   * not retryable when the output matches an error pattern (`sent` and
   * `received` hold the command and the device's answer) unless
   * `checkErrors` is false; retryable when the connection drops or no prompt
   * comes back within the command timeout (the session is then closed).
   */
  run(command: string, options: { checkErrors?: boolean } = {}): Promise<string> {
    if (/[\r\n]/.test(command)) {
      return Promise.reject(new DeviceError(`${this.opts.device}: refusing to send a command containing a line break: ${JSON.stringify(command)}`, this.opts.device, false, command));
    }
    const result = this.expectPrompt(command, this.opts.commandTimeoutMs ?? 60_000, options.checkErrors ?? true);
    if (!this.closedBy) this.stream.write(command + '\n');
    return result;
  }

  /** Ends the SSH connection; resolves once it is closed. Safe to call twice. */
  async close(): Promise<void> {
    this.fail('the session was closed');
    this.client.end();
    await this.closed;
  }

  private expectPrompt(command: string | null, timeoutMs: number, checkErrors: boolean): Promise<string> {
    if (this.closedBy) return Promise.reject(this.closedBy);
    if (this.pending) return Promise.reject(new Error(`CliSession.run called while "${this.pending.command}" is still running`));
    this.buffer = '';
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.onTimeout(timeoutMs), timeoutMs);
      this.pending = { command, checkErrors, passwordSent: false, timer, resolve, reject };
      this.react();
    });
  }

  private onData(chunk: Buffer): void {
    const text = this.carry + this.decoder.write(chunk);
    const partial = PARTIAL_ESCAPE.exec(text);
    this.carry = partial ? partial[0] : '';
    this.buffer += (partial ? text.slice(0, partial.index) : text).replace(ESCAPES, '');
    this.react();
  }

  /** Looks at the last line of output: a pager, a password prompt, or the CLI prompt that ends the command. */
  private react(): void {
    const pending = this.pending;
    if (!pending) return;
    const cut = this.buffer.lastIndexOf('\n') + 1;
    const last = visible(this.buffer.slice(cut));
    if (PAGER.test(last)) {
      this.buffer = this.buffer.slice(0, cut) + last.replace(PAGER, '');
      this.stream.write(' ');
    } else if (PASSWORD_PROMPT.test(last) && !pending.passwordSent) {
      this.answerPassword(pending);
    } else if (this.opts.prompt.test(last) && last.startsWith(this.hostname)) {
      this.complete(pending, this.buffer.slice(0, cut), last);
    }
  }

  private answerPassword(pending: Pending): void {
    if (this.opts.enablePassword === undefined) {
      this.settle(pending, new DeviceError(`${this.opts.device}: the switch asked for a password after "${pending.command}", but no enable password is configured for it`, this.opts.device, false, pending.command ?? undefined));
      this.fail('the session was left at a password prompt');
      return;
    }
    pending.passwordSent = true;
    this.buffer = '';
    this.stream.write(this.opts.enablePassword + '\n');
  }

  private complete(pending: Pending, raw: string, promptLine: string): void {
    if (pending.command === null) this.hostname = /^[A-Za-z0-9_.\-]+/.exec(promptLine)?.[0] ?? '';
    const output = this.cleanOutput(raw, pending.command);
    const error = pending.checkErrors ? this.opts.errorPatterns.map((p) => p.exec(output)).find((m) => m) : undefined;
    if (!error) return this.settle(pending, null, output);
    const message = `${this.opts.device}: the switch rejected "${pending.command}": ${error[0].trim()}`;
    this.settle(pending, new DeviceError(message, this.opts.device, false, pending.command ?? undefined, output));
  }

  /** Lines as a terminal shows them, without the echoed command and surrounding blank lines. */
  private cleanOutput(raw: string, command: string | null): string {
    const lines = raw.split('\n').map((l) => visible(l).trimEnd());
    if (command !== null && lines.length > 0 && lines[0].trim().endsWith(command.trim())) lines.shift();
    while (lines.length > 0 && lines[0] === '') lines.shift();
    while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    return lines.join('\n');
  }

  private settle(pending: Pending, error: DeviceError | null, output = ''): void {
    clearTimeout(pending.timer);
    this.pending = null;
    this.buffer = '';
    error ? pending.reject(error) : pending.resolve(output);
  }

  private onTimeout(timeoutMs: number): void {
    const pending = this.pending;
    if (!pending) return;
    const what = pending.command === null ? 'the first CLI prompt did not appear' : `no prompt came back after "${pending.command}"`;
    const tail = JSON.stringify(this.buffer.slice(-200));
    this.settle(pending, new DeviceError(`${this.opts.device}: ${what} within ${timeoutMs} ms (last output: ${tail})`, this.opts.device, true, pending.command ?? undefined, this.buffer));
    this.fail('the session timed out and was closed');
    this.client.end();
  }

  /** Marks the session unusable; a command still waiting fails as retryable, naming the command. */
  private fail(reason: string): void {
    if (this.closedBy) return;
    this.closedBy = new DeviceError(`${this.opts.device}: ${reason}`, this.opts.device, true);
    const pending = this.pending;
    if (!pending) return;
    const during = pending.command === null ? 'before the first CLI prompt' : `while running "${pending.command}"`;
    this.settle(pending, new DeviceError(`${this.opts.device}: ${reason} ${during}`, this.opts.device, true, pending.command ?? undefined, this.buffer));
  }
}

/** Turns a failed connect into an error a user can act on. */
function connectError(opts: CliSessionOptions, err: Error & { level?: string }, presented: string | null): DeviceError {
  const where = `${opts.host}:${opts.port}`;
  const pinned = opts.hostKeyFingerprint;
  if (pinned !== undefined && presented !== null && presented !== pinned) {
    const message = `${opts.device}: the SSH host key of ${where} changed: expected ${pinned}, the switch presented ${presented}. Refusing to connect; if the switch was replaced on purpose, update its pinned host key.`;
    return new DeviceError(message, opts.device, false);
  }
  if (err.level === 'client-authentication') {
    return new DeviceError(`${opts.device}: authentication failed for user "${opts.username}" at ${where}; check the switch credentials`, opts.device, false);
  }
  return new DeviceError(`${opts.device}: cannot connect to ${where}: ${err.message}`, opts.device, true);
}
