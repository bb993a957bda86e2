// One interactive shell on the simulator: line editing with echo, the prompt, a `--More--` pager, fault hooks.

import type { ServerChannel } from 'ssh2';
import type { SimulatedCli, TerminalControl } from './cli';

/** Faults a test or demo can switch on at any time (`SwitchSimulator.setFaults`). */
export interface SimulatorFaults {
  /** Latency added before every answer. */
  commandDelayMs?: number;
  /** Drops the SSH connection when a session sends its (N+1)th command; that command gets no answer. */
  disconnectAfterCommands?: number;
  /** Drops the SSH connection when a command matches; that command gets no answer. */
  disconnectOnCommand?: RegExp;
  /** Keeps paging after `terminal length 0`, as some platforms and AAA profiles do. */
  ignoreTerminalLength?: boolean;
}

/** What a shell needs from the server that owns it. */
export interface ShellHost {
  faults(): SimulatorFaults;
  /** Counts and logs one command line received by session `session`. */
  record(session: number, command: string): void;
  /** Drops the whole SSH connection, as a crashing or rebooting switch would. */
  drop(): void;
}

/** Cursor keys and other escape sequences a user's terminal sends; the simulated CLI has no line history. */
const KEY_ESCAPES = /\x1b\[[0-9;]*[A-Za-z~]|\x1bO[A-Za-z]/g;

export class ShellSession {
  private line = '';
  private input = '';
  private pumping = false;
  private lastWasCr = false;
  private commands = 0;
  private pageLength: number;
  /** Set while the pager waits for a key. */
  private keyWaiter: ((key: string) => void) | null = null;
  private readonly cli: SimulatedCli;

  constructor(
    private readonly stream: ServerChannel,
    private readonly id: number,
    rows: number,
    private readonly host: ShellHost,
    createCli: (terminal: TerminalControl) => SimulatedCli,
  ) {
    this.pageLength = rows;
    this.cli = createCli({ setPageLength: (n) => this.setPageLength(n) });
    stream.on('data', (data: Buffer) => this.onData(data.toString('utf8').replace(KEY_ESCAPES, '')));
    stream.write(this.cli.prompt());
  }

  private setPageLength(lines: number): void {
    if (lines === 0 && this.host.faults().ignoreTerminalLength) return;
    this.pageLength = lines;
  }

  private onData(text: string): void {
    if (this.keyWaiter && text.length > 0) {
      const waiter = this.keyWaiter;
      this.keyWaiter = null;
      this.lastWasCr = text[0] === '\r';
      waiter(text[0]);
      text = text.slice(1);
    }
    this.input += text;
    void this.pump();
  }

  /** Consumes typed characters in order; a command runs to completion (prompt shown) before the next is read. */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    while (this.input.length > 0) {
      const ch = this.input[0];
      this.input = this.input.slice(1);
      await this.onChar(ch);
    }
    this.pumping = false;
  }

  private async onChar(ch: string): Promise<void> {
    const afterCr = this.lastWasCr;
    this.lastWasCr = ch === '\r';
    if (ch === '\n' && afterCr) return;
    if (ch === '\r' || ch === '\n') {
      this.stream.write('\r\n');
      const line = this.line;
      this.line = '';
      return this.submit(line.trim());
    }
    if (ch === '\x7f' || ch === '\b') return this.erase();
    if (ch === '\x03') {
      this.line = '';
      this.stream.write('^C\r\n' + this.cli.prompt());
      return;
    }
    if (ch >= ' ') {
      this.line += ch;
      if (!this.cli.readingSecret?.()) this.stream.write(ch);
    }
  }

  private erase(): void {
    if (this.line === '') return;
    this.line = this.line.slice(0, -1);
    if (!this.cli.readingSecret?.()) this.stream.write('\b \b');
  }

  private async submit(command: string): Promise<void> {
    if (command === '') return void this.stream.write(this.cli.prompt());
    this.commands++;
    this.host.record(this.id, this.cli.readingSecret?.() ? '<secret>' : command);
    const faults = this.host.faults();
    if (faults.disconnectOnCommand?.test(command) || this.commands > (faults.disconnectAfterCommands ?? Infinity)) return this.host.drop();
    if (faults.commandDelayMs) await new Promise((r) => setTimeout(r, faults.commandDelayMs));
    const reply = this.cli.execute(command);
    await this.writePaged(reply.output === '' ? [] : reply.output.split('\n'));
    if (!reply.endSession) return void this.stream.write(this.cli.prompt());
    this.stream.exit(0);
    this.stream.end();
  }

  /** Writes output a page at a time: space shows the next page, Enter one more line, `q` stops. */
  private async writePaged(lines: string[]): Promise<void> {
    let shown = 0;
    let room = this.pageLength > 0 ? this.pageLength - 1 : lines.length;
    while (shown < lines.length) {
      const page = lines.slice(shown, shown + Math.max(room, 1));
      shown += page.length;
      this.stream.write(page.map((l) => l + '\r\n').join(''));
      if (shown >= lines.length) return;
      this.stream.write(' --More-- ');
      const key = await new Promise<string>((resolve) => (this.keyWaiter = resolve));
      this.stream.write('\r\x1b[K');
      if (key === 'q' || key === 'Q') return;
      room = key === '\r' || key === '\n' ? 1 : this.pageLength - 1;
    }
  }
}
