// The simulated Cisco IOS / IOS-XE (Catalyst) CLI: `Switch>`/`Switch#` prompts, `enable` secret, caret errors, IOS show formats.

import type { CliFactory } from './cli';
import { BAD_ARGUMENT, caretLine, CiscoCli, type CiscoFlavor, type CiscoShell, switchportLines } from './cisco-cli';
import type { Command } from './command-grammar';
import { DEFAULT_MTU, type InterfaceSettings } from './state';

/** Catalyst 9000 per-port MTU range (IOS-XE 17.1+): `mtu <1500-9198>`. */
const MAX_MTU = 9198;

/** The FDDI/Token Ring VLANs every IOS switch lists and refuses to delete. */
const LEGACY = [[1002, 'fddi-default'], [1003, 'token-ring-default'], [1004, 'fddinet-default'], [1005, 'trnet-default']] as const;

/** IOS abbreviations: `Gi1/0/1`, `Te1/1/1`, `Fo1/1/1`, `Po10`. */
function shortName(port: string): string {
  return port.replace(/^GigabitEthernet/, 'Gi').replace(/^TenGigabitEthernet/, 'Te').replace(/^FortyGigabitEthernet/, 'Fo').replace(/^Port-channel/, 'Po');
}

/** `show running-config interface X`: one-space indent, `switchport mode` always shown, wrapped in IOS's header and `end`. */
function runningConfig(port: string, s: InterfaceSettings): string {
  const body = [
    ...(s.description ? [`description ${s.description}`] : []),
    ...switchportLines(s),
    `switchport mode ${s.mode}`,
    ...(s.mtu !== DEFAULT_MTU ? [`mtu ${s.mtu}`] : []),
    ...(s.shutdown ? ['shutdown'] : []),
  ];
  const config = ['!', `interface ${port}`, ...body.map((l) => ` ${l}`), 'end'].join('\n') + '\n';
  return `Building configuration...\n\nCurrent configuration : ${Buffer.byteLength(config)} bytes\n${config}`;
}

/** `enable`: asks for the enable secret when one is set; `% Bad secrets` leaves the user where they were. */
function enable(_args: unknown, sh: CiscoShell): string | void {
  const secret = sh.login.enablePassword;
  if (sh.mode.kind !== 'exec') return;
  if (secret === undefined) return void (sh.mode = { kind: 'enable' });
  sh.secret = (line) => {
    if (line !== secret) return '% Bad secrets';
    sh.mode = { kind: 'enable' };
    return '';
  };
}

const save: Command<CiscoShell>['run'] = (_, sh) => {
  sh.state.save();
  return 'Building configuration...\n[OK]';
};

const flavor: CiscoFlavor = {
  startMode: 'exec',
  shortName,
  failure: (f, line, caret) => {
    if (f.kind === 'incomplete') return '% Incomplete command.\n';
    if (f.kind === 'ambiguous') return `% Ambiguous command:  "${line}"`;
    return `${caretLine(caret)}\n% Invalid input detected at '^' marker.\n`;
  },
  runningConfig,
  // Outside the range the parser itself refuses the number.
  mtuError: (_port, mtu) => (mtu >= DEFAULT_MTU && mtu <= MAX_MTU ? undefined : BAD_ARGUMENT),
  deleteVlanError: (vlan) => (vlan === 1 || LEGACY.some(([v]) => v === vlan) ? `%Default VLAN ${vlan} may not be deleted.` : undefined),
  accessVlanMissing: (state, vlan) => {
    state.ensureVlan(vlan);
    return `% Access VLAN does not exist. Creating vlan ${vlan}`;
  },
  vlanBriefExtraRows: LEGACY.map(([v, name]) => `${String(v).padEnd(5)}${name.padEnd(33)}act/unsup`),
  trunksInVlanBrief: false,
  commands: {
    exec: [{ template: 'enable', run: enable }],
    enable: [
      { template: 'disable', run: (_, sh) => void (sh.mode = { kind: 'exec' }) },
      { template: 'write memory', run: save },
      { template: 'write', run: save },
    ],
  },
};

export const createIosCli: CliFactory = (state, terminal, login = { username: 'admin' }) => new CiscoCli(state, terminal, login, flavor);
