// The simulated SONiC shell: the admin's bash prompt, `sudo config ...` Click commands over VLAN memberships,
// `show vlan brief`/`show vlan config` tables and the CONFIG_DB JSON of `show runningconfiguration`.

import type { CliFactory, CliReply, LoginContext, SimulatedCli, TerminalControl } from './cli';
import type { InterfaceSettings, SwitchState } from './state';

type Tagging = 'tagged' | 'untagged';

/**
 * A port's VLAN_MEMBER entries, derived from the shared state: an access
 * port is an untagged member of its VLAN, a trunk an untagged member of its
 * native VLAN and a tagged member of the rest. VLAN 1 does not exist on
 * SONiC, so VLAN 1 in the state means "no membership".
 */
function membersOf(s: InterfaceSettings): Map<number, Tagging> {
  const out = new Map<number, Tagging>();
  const untagged = s.mode === 'access' ? s.accessVlan : s.trunkNative;
  if (s.mode === 'trunk') for (const v of s.trunkAllowed) if (v !== 1) out.set(v, 'tagged');
  if (untagged !== 1) out.set(untagged, 'untagged');
  return out;
}

/** Writes memberships back: tagged members make a trunk (native = the untagged VLAN), otherwise an access port. */
function setMembers(s: InterfaceSettings, members: Map<number, Tagging>): void {
  const tagged = [...members].filter(([, t]) => t === 'tagged').map(([v]) => v);
  const untagged = [...members].find(([, t]) => t === 'untagged')?.[0] ?? 1;
  if (tagged.length === 0) return void Object.assign(s, { mode: 'access', accessVlan: untagged });
  const allowed = [...tagged, ...(untagged === 1 ? [] : [untagged])].sort((a, b) => a - b);
  Object.assign(s, { mode: 'trunk', trunkAllowed: allowed, trunkNative: untagged });
}

/**
 * Splits a command line into words as bash does for quoting: single quotes
 * keep everything, double quotes keep everything but `\"` `\\` `\$` `` \` ``,
 * a backslash outside quotes escapes the next character. Returns null for an
 * unterminated quote. (No expansion: the simulator has no variables.)
 */
export function shellWords(line: string): string[] | null {
  const words: string[] = [];
  let word: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (/\s/.test(ch)) {
      if (word !== null) words.push(word);
      word = null;
      continue;
    }
    word ??= '';
    if (ch === "'" || ch === '"') {
      const end = line.indexOf(ch, i + 1);
      if (end < 0) return null;
      const inner = line.slice(i + 1, end);
      word += ch === "'" ? inner : inner.replace(/\\([\\"$`])/g, '$1');
      i = end;
    } else if (ch === '\\' && i + 1 < line.length) {
      word += line[++i];
    } else {
      word += ch;
    }
  }
  if (word !== null) words.push(word);
  return words;
}

/** Click's failure: the usage line, a hint, and the error. */
function usage(command: string, args: string, error: string): string {
  return `Usage: ${command} [OPTIONS] ${args}\nTry "${command} -h" for help.\n\nError: ${error}`;
}

/** A tabulate "grid" table; numeric columns right-aligned, cells may hold several lines. */
function gridTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, c) => Math.max(h.length + 2, ...rows.flatMap((r) => r[c].split('\n').map((l) => l.length))));
  const numeric = headers.map((_, c) => rows.some((r) => r[c] !== '') && rows.every((r) => /^\d*$/.test(r[c])));
  const rule = (ch: string) => `+${widths.map((w) => ch.repeat(w + 2)).join('+')}+`;
  const line = (cells: string[], right: boolean[]) => `| ${cells.map((cell, c) => (right[c] ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join(' | ')} |`;
  const body = rows.flatMap((r) => {
    const height = Math.max(...r.map((cell) => cell.split('\n').length));
    const lines = Array.from({ length: height }, (_, i) => line(r.map((cell) => cell.split('\n')[i] ?? ''), numeric));
    return [...lines, rule('-')];
  });
  return [rule('-'), line(headers, numeric), rule('='), ...body].join('\n');
}

/** Entries in `sort_keys` order (plain string order: `Vlan10` before `Vlan9`). */
const byKey = (a: readonly [string, unknown], b: readonly [string, unknown]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

/** `Ethernet8` before `Ethernet12`. */
const byPortNumber = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

class SonicCli implements SimulatedCli {
  private endSession = false;

  constructor(
    private readonly state: SwitchState,
    terminal: TerminalControl,
    private readonly login: LoginContext,
  ) {
    // bash does not page.
    terminal.setPageLength(0);
  }

  prompt(): string {
    return `${this.login.username}@${this.state.hostname}:~$ `;
  }

  execute(line: string): CliReply {
    const words = shellWords(line);
    if (words === null) return { output: "-bash: unexpected EOF while looking for matching quote" };
    const root = words[0] === 'sudo';
    const [program, ...args] = root ? words.slice(1) : words;
    if (program === 'exit' || program === 'logout') this.endSession = true;
    return { output: this.run(program, args, root), endSession: this.endSession };
  }

  private run(program: string | undefined, args: string[], root: boolean): string {
    if (program === undefined || program === 'exit' || program === 'logout') return '';
    if (program === 'show') return this.show(args);
    if (program === 'config') return root ? this.config(args) : 'Root privileges are required for this operation';
    return root ? `sudo: ${program}: command not found` : `-bash: ${program}: command not found`;
  }

  private show(args: string[]): string {
    const what = args.join(' ');
    if (what === 'vlan brief') return this.vlanBrief();
    if (what === 'vlan config') return this.vlanConfig();
    if (what === 'runningconfiguration all') return JSON.stringify(this.configDb(), null, 4);
    if (args[0] === 'runningconfiguration' && args[1] === 'ports' && args.length <= 3) return this.showPorts(args[2]);
    return usage('show', 'COMMAND [ARGS]...', `No such command "${args[0] ?? ''}".`);
  }

  private config(args: string[]): string {
    const [group, ...rest] = args;
    if (group === 'vlan') return this.configVlan(rest);
    if (group === 'interface') return this.configInterface(rest);
    if (group === 'save') return rest.includes('-y') || rest.includes('--yes') ? this.save() : 'Existing files will be overwritten, continue? [y/N]: \nAborted!';
    return usage('config', 'COMMAND [ARGS]...', `No such command "${group ?? ''}".`);
  }

  private save(): string {
    this.state.save();
    return 'Running command: /usr/local/bin/sonic-cfggen -d --print-data > /etc/sonic/config_db.json';
  }

  private configVlan(args: string[]): string {
    const [action, ...rest] = args;
    if (action === 'member') return this.configMember(rest);
    if (action !== 'add' && action !== 'del') return usage('config vlan', 'COMMAND [ARGS]...', `No such command "${action ?? ''}".`);
    if (rest.length !== 1) return usage(`config vlan ${action}`, '<vid>', rest.length === 0 ? 'Missing argument "<vid>".' : `Got unexpected extra argument (${rest[1]})`);
    const vid = this.vlanId(rest[0]);
    if (typeof vid === 'string') return vid;
    const exists = this.state.vlanName(vid) !== undefined;
    if (action === 'add') {
      if (exists) return `Error: Vlan${vid} already exists.`;
      this.state.ensureVlan(vid);
      return '';
    }
    if (!exists) return `Error: Vlan${vid} does not exist`;
    if (this.state.portNames().some((p) => membersOf(this.state.settings(p)).has(vid))) {
      return `Error: VLAN ID ${vid} can not be removed. First remove all members assigned to this VLAN.`;
    }
    this.state.deleteVlan(vid);
    return '';
  }

  /** `config vlan member add [-u|--untagged] <vid> <port>` and `config vlan member del <vid> <port>`. */
  private configMember(args: string[]): string {
    const [action, ...rest] = args;
    if (action !== 'add' && action !== 'del') return usage('config vlan member', 'COMMAND [ARGS]...', `No such command "${action ?? ''}".`);
    const untagged = action === 'add' && rest.some((a) => a === '-u' || a === '--untagged');
    const positional = rest.filter((a) => a !== '-u' && a !== '--untagged');
    if (positional.length !== 2) return usage(`config vlan member ${action}`, '<vid> port', positional.length < 2 ? `Missing argument "${positional.length === 0 ? '<vid>' : 'port'}".` : `Got unexpected extra argument (${positional[2]})`);
    if (action === 'add' && positional[0] === '1') return 'Error: Vlan1 is default VLAN';
    const vid = this.vlanId(positional[0]);
    if (typeof vid === 'string') return vid;
    const port = positional[1];
    if (this.state.vlanName(vid) === undefined) return `Error: Vlan${vid} does not exist`;
    if (!this.state.portNames().includes(port)) return `Error: ${port} does not exist`;
    const settings = this.state.settings(port);
    const members = membersOf(settings);
    if (action === 'del') {
      if (!members.has(vid)) return `Error: ${port} is not a member of Vlan${vid}`;
      members.delete(vid);
    } else {
      if (members.has(vid)) return `Error: ${port} is already a member of Vlan${vid}`;
      if (untagged && [...members.values()].includes('untagged')) return `Error: ${port} is already untagged member!`;
      members.set(vid, untagged ? 'untagged' : 'tagged');
    }
    setMembers(settings, members);
    return '';
  }

  /** `config interface (mtu|description) <port> <value>` and `config interface (shutdown|startup) <port>`. */
  private configInterface(args: string[]): string {
    const [action, port, value, ...extra] = args;
    const takesValue = action === 'mtu' || action === 'description';
    if (!['mtu', 'description', 'shutdown', 'startup'].includes(action ?? '')) return usage('config interface', 'COMMAND [ARGS]...', `No such command "${action ?? ''}".`);
    if (port === undefined) return usage(`config interface ${action}`, `<interface_name>${takesValue ? ' <value>' : ''}`, 'Missing argument "<interface_name>".');
    if (takesValue && value === undefined) return usage(`config interface ${action}`, '<interface_name> <value>', 'Missing argument "<value>".');
    if (extra.length > 0 || (!takesValue && value !== undefined)) return usage(`config interface ${action}`, '<interface_name>', `Got unexpected extra argument (${extra[0] ?? value})`);
    if (!this.state.portNames().includes(port)) return 'Error: Interface name is invalid. Please enter a valid interface name!!';
    const s = this.state.settings(port);
    if (action === 'shutdown' || action === 'startup') s.shutdown = action === 'shutdown';
    else if (action === 'description') s.description = value;
    else if (/^\d+$/.test(value) && Number(value) >= 68 && Number(value) <= 9216) s.mtu = Number(value);
    else return `Error: Invalid value for "<interface_mtu>": ${value} is not in the valid range of 68 to 9216.`;
    return '';
  }

  /** A VLAN id, or Click's error for one outside 2-4094. */
  private vlanId(text: string): number | string {
    if (!/^\d+$/.test(text)) return usage('config vlan', '<vid>', `${text} is not integer`);
    const vid = Number(text);
    return vid >= 2 && vid <= 4094 ? vid : `Error: Invalid VLAN ID ${vid} (2-4094)`;
  }

  /** Every VLAN but 1, with its members and their tagging. */
  private vlansWithMembers(): Array<[number, Array<[string, Tagging]>]> {
    return this.state.vlans().filter((v) => v !== 1).map((v) => {
      const members = this.state.portNames().sort(byPortNumber).flatMap((p) => {
        const t = membersOf(this.state.settings(p)).get(v);
        return t ? [[p, t] as [string, Tagging]] : [];
      });
      return [v, members];
    });
  }

  private vlanBrief(): string {
    const rows = this.vlansWithMembers().map(([v, members]) => [String(v), '', members.map(([p]) => p).join('\n'), members.map(([, t]) => t).join('\n'), '', 'disabled']);
    return gridTable(['VLAN ID', 'IP Address', 'Ports', 'Port Tagging', 'DHCP Helper Address', 'Proxy ARP'], rows);
  }

  private vlanConfig(): string {
    const rows = this.vlansWithMembers().flatMap(([v, members]) => (members.length === 0 ? [[`Vlan${v}`, String(v), '', '']] : members.map(([p, t]) => [`Vlan${v}`, String(v), p, t])));
    const widths = [7, 5, 9, 6].map((w, c) => Math.max(w, ...rows.map((r) => r[c].length)));
    const line = (r: string[]) => r.map((cell, c) => (c === 1 ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ').trimEnd();
    return [line(['Name', 'VID', 'Member', 'Mode']), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
  }

  /** One PORT table entry, keys sorted as `sonic-cfggen` prints them. */
  private portEntry(port: string): Record<string, string> {
    const s = this.state.settings(port);
    const index = this.state.portNames().indexOf(port);
    return {
      admin_status: s.shutdown ? 'down' : 'up',
      alias: `etp${index + 1}`,
      ...(s.description ? { description: s.description } : {}),
      index: String(index + 1),
      mtu: String(s.mtu),
      speed: '100000',
    };
  }

  /** `show runningconfiguration ports [port]`: the PORT table, or one entry (`null` for an unknown port, as sonic-cfggen prints it). */
  private showPorts(port: string | undefined): string {
    if (port !== undefined) return JSON.stringify(this.state.portNames().includes(port) ? this.portEntry(port) : null, null, 4);
    return JSON.stringify(Object.fromEntries(this.state.portNames().sort().map((p) => [p, this.portEntry(p)])), null, 4);
  }

  /** CONFIG_DB as `sonic-cfggen -d --print-data` prints it: tables and keys sorted. */
  private configDb(): Record<string, unknown> {
    const vlans = this.vlansWithMembers();
    const members = vlans.flatMap(([v, ms]) => ms.map(([p, t]) => [`Vlan${v}|${p}`, { tagging_mode: t }] as const));
    return {
      DEVICE_METADATA: { localhost: { hostname: this.state.hostname, hwsku: 'Force10-S6000', platform: 'x86_64-kvm_x86_64-r0', type: 'ToRRouter' } },
      PORT: Object.fromEntries(this.state.portNames().sort().map((p) => [p, this.portEntry(p)])),
      VLAN: Object.fromEntries(vlans.map(([v]) => [`Vlan${v}`, { vlanid: String(v) }] as const).sort(byKey)),
      VLAN_MEMBER: Object.fromEntries([...members].sort(byKey)),
    };
  }
}

export const createSonicCli: CliFactory = (state, terminal, login = { username: 'admin' }) => new SonicCli(state, terminal, login);
