// The simulated Cisco NX-OS CLI: `switch#` prompts, caret errors, NX-OS `show running-config` and MTU rules.

import type { CliFactory } from './cli';
import { caretLine, CiscoCli, type CiscoFlavor, switchportLines } from './cisco-cli';
import { DEFAULT_MTU, type InterfaceSettings } from './state';

/** The system jumbo MTU (`system jumbomtu`, default 9216): with 1500, the only MTU a layer-2 port takes. */
const JUMBO_MTU = 9216;

const FAILURES = { invalid: 'Invalid command', ambiguous: 'Ambiguous command', incomplete: 'Incomplete command' } as const;

/** `Thu Jan  1 00:00:00 2025`, as NX-OS stamps its running-config headers. */
function stamp(date: Date): string {
  const [day, month, dd, time, year] = [date.toUTCString().slice(0, 3), date.toUTCString().slice(8, 11), date.getUTCDate(), date.toISOString().slice(11, 19), date.getUTCFullYear()];
  return `${day} ${month} ${String(dd).padStart(2, ' ')} ${time} ${year}`;
}

/** `show running-config interface X`: headers, then the port with two-space indent; `switchport` and the admin state always shown. */
function runningConfig(port: string, s: InterfaceSettings): string {
  const now = stamp(new Date());
  const body = [
    ...(s.description ? [`description ${s.description}`] : []),
    'switchport',
    ...(s.mode === 'trunk' ? ['switchport mode trunk'] : []),
    ...switchportLines(s),
    ...(s.mtu !== DEFAULT_MTU ? [`mtu ${s.mtu}`] : []),
    s.shutdown ? 'shutdown' : 'no shutdown',
  ];
  const header = ['', `!Command: show running-config interface ${port}`, `!Running configuration last done at: ${now}`, `!Time: ${now}`, '', 'version 9.3(8) Bios:version 05.44', ''];
  return [...header, `interface ${port}`, ...body.map((l) => `  ${l}`), ''].join('\n');
}

const flavor: CiscoFlavor = {
  startMode: 'enable',
  shortName: (port) => port.replace(/^Ethernet/, 'Eth').replace(/^port-channel/, 'Po'),
  failure: (f, _line, caret) => `${caretLine(caret)}\n% ${FAILURES[f.kind]} at '^' marker.`,
  runningConfig,
  mtuError: (port, mtu) => (mtu === DEFAULT_MTU || mtu === JUMBO_MTU ? undefined : `ERROR: ${port}: MTU on L2 interfaces can only be set to default or system-jumboMTU`),
  deleteVlanError: (vlan) => (vlan === 1 ? 'Deletion of VLAN 1 is not allowed!!' : undefined),
  // NX-OS does not create a missing access VLAN; the port stays inactive until the VLAN exists.
  accessVlanMissing: () => undefined,
  vlanBriefExtraRows: [],
  trunksInVlanBrief: true,
  commands: {
    enable: [
      { template: 'copy running-config startup-config', run: (_, sh) => {
        sh.state.save();
        return '[########################################] 100%\nCopy complete, now saving to disk (please wait)...\nCopy complete.';
      } },
    ],
    // Every simulated port is layer 2 already.
    interface: [{ template: 'switchport', run: () => undefined }],
  },
};

export const createNxosCli: CliFactory = (state, terminal, login = { username: 'admin' }) => new CiscoCli(state, terminal, login, flavor);
