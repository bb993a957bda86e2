// The linux dialect: a Linux host as a leaf switch (one bridge per VLAN, stretched across leaves with VXLAN), driven with iproute2 in bash.
//
// Model: VLAN N is the bridge `brN`; an access port is a member of its VLAN's
// bridge (`ip link set dev swp1 master br110`); shutdown is the link's admin
// state, description its alias, MTU its MTU. `vxN` (VXLAN, the VLAN's VNI,
// UDP 4789) in `brN` stretches the VLAN to the other leaves, flooding to each
// of them (head-end replication) through all-zero FDB entries.
//
// What the leaf must provide in its login environment (the netns lab sets it
// with sshd's SetEnv): MAESTRO_VTEP_LOCAL, its underlay (VTEP) address, and
// MAESTRO_VTEP_PEERS, the other leaves' underlay addresses, comma separated.

import type { PortConfig } from '../../domain/port-config';
import { type Dialect, DeviceError, type VlanOptions } from './driver';
import { shellQuote } from './sonic';

/** The VNI of a VLAN whose tenancy names none: the VLAN id itself (so VLAN 110 is VNI 110 on every leaf). */
export function defaultVni(vlan: number): number {
  return vlan;
}

/** The IANA VXLAN port; every leaf uses it. */
const VXLAN_PORT = 4789;

/** bash's prompt as Debian sets it (`root@leaf1:~#`, `cumulus@leaf1:/tmp$`). */
const PROMPT = /^[A-Za-z0-9_.\-]+@[A-Za-z0-9_.\-]+:\S*[$#] ?$/;

/** What PROMPT_COMMAND prints after any command that exits non-zero (see sessionSetup). */
const FAILED = /^command failed: exit status \d+$/m;

/**
 * iproute2's own messages first, so an error names the cause rather than the
 * exit status: `Cannot find device "swp99"` (ip link set), `Device "swp99"
 * does not exist.` (ip link show), `Error: ...` (netlink extended acks, and
 * this dialect's guards), `RTNETLINK answers: File exists`; then bash's own
 * (`-bash: foo: command not found`); then the exit-status line that catches
 * every other failure.
 */
const ERRORS = [/^Cannot find device .*$/m, /^Device ".*" does not exist\.$/m, /^Error: .*$/m, /^RTNETLINK answers: .*$/m, /^-?bash: .*$/m, FAILED];

/** A shell test that is true when the link exists (quietly). */
const exists = (dev: string) => `ip link show dev ${dev} >/dev/null 2>&1`;

/**
 * Access: one `ip link set` moves the port into the VLAN's bridge (from
 * whichever bridge it was in) and sets MTU, alias and admin state. Trunks
 * would need 802.1Q sub-interfaces (or a VLAN-filtering bridge); the device is
 * asked whether its kernel has 802.1Q, and the trunk is refused either way
 * with a message saying why.
 */
function configurePort(port: string, cfg: PortConfig): string[] {
  if (cfg.mode === 'trunk') {
    return [
      `if [ -d /proc/net/vlan ]; then echo "Error: trunk ports are not supported by the linux dialect (access ports only)"; ` +
        `else echo "Error: trunk ports need 802.1Q VLAN support (kernel module 8021q), which this switch's kernel lacks"; fi; false`,
    ];
  }
  const state = cfg.adminState === 'down' ? 'down' : 'up';
  return [`ip link set dev ${port} master br${cfg.accessVlan} mtu ${cfg.mtu} alias ${shellQuote(cfg.description)} ${state}`];
}

/**
 * Creates the VLAN's bridge if missing (named with the VLAN name as its
 * alias), then recreates its VXLAN device with the VNI asked for, floods to
 * every peer leaf, and brings both up. Recreating `vxN` makes a changed VNI or
 * peer list take effect; it interrupts the stretched segment for milliseconds.
 */
function ensureVlan(vlan: number, name: string, _present?: readonly number[], options: VlanOptions = {}): string[] {
  const vni = options.vni ?? defaultVni(vlan);
  const [br, vx] = [`br${vlan}`, `vx${vlan}`];
  return [
    `[ -n "$MAESTRO_VTEP_LOCAL" ] || { echo "Error: this switch has no VXLAN underlay address (MAESTRO_VTEP_LOCAL is not set in its login environment)"; false; }`,
    `${exists(br)} || ip link add dev ${br} type bridge`,
    `ip link set dev ${br} alias ${shellQuote(name)} up`,
    `! ${exists(vx)} || ip link del dev ${vx}`,
    `ip link add dev ${vx} type vxlan id ${vni} local "$MAESTRO_VTEP_LOCAL" dstport ${VXLAN_PORT}`,
    `ip link set dev ${vx} master ${br} up`,
    `echo "$MAESTRO_VTEP_PEERS" | tr , '\\n' | xargs -rI{} bridge fdb append 00:00:00:00:00:00 dev ${vx} dst {}`,
  ];
}

/** Deletes the VXLAN device and the bridge when present (their member ports are left in no bridge). */
function removeVlan(vlan: number): string[] {
  return [`! ${exists(`vx${vlan}`)} || ip link del dev vx${vlan}`, `! ${exists(`br${vlan}`)} || ip link del dev br${vlan}`];
}

interface IpLink {
  ifname: string;
  flags?: string[];
  mtu?: number;
  master?: string;
  ifalias?: string;
  linkinfo?: { info_kind?: string };
}

/**
 * Parses `ip -j -d link show dev swp1` (one JSON line; trimmed):
 *
 *   [{"ifindex":4,"ifname":"swp1","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1500,
 *     "master":"br110","operstate":"UP","ifalias":"web-01 eth0",
 *     "linkinfo":{"info_kind":"veth","info_slave_kind":"bridge","info_slave_data":{"state":"forwarding",...}},...}]
 *
 * Always access mode: the VLAN is the one of the `br<N>` bridge the port is
 * in, null when it is in none (or in a bridge that is not a VLAN's). Admin
 * state is the UP flag (not operstate, which also needs the cable's far end).
 * Throws DeviceError when the port does not exist or is a bridge/VXLAN device.
 */
function parsePort(output: string, port: string): PortConfig {
  const missing = /^Device ".*" does not exist\.$/m.exec(output);
  if (missing) throw new DeviceError(`the port does not exist on the switch (${missing[0]})`, '', false);
  const link = parseLinks(output).find((l) => l.ifname === port);
  if (!link) throw new DeviceError('the port does not exist on the switch (not in the link list)', '', false);
  const kind = link.linkinfo?.info_kind;
  if (kind === 'bridge' || kind === 'vxlan') throw new DeviceError(`${port} is a ${kind} device of the switch, not a port`, '', false);
  const vlan = /^br(\d+)$/.exec(link.master ?? '')?.[1];
  return {
    mode: 'access',
    accessVlan: vlan === undefined ? null : Number(vlan),
    allowedVlans: null,
    nativeVlan: null,
    mtu: link.mtu ?? 1500,
    description: link.ifalias ?? '',
    adminState: link.flags?.includes('UP') ? 'up' : 'down',
  };
}

function parseLinks(output: string): IpLink[] {
  try {
    return JSON.parse(output) as IpLink[];
  } catch {
    const error = ERRORS.map((p) => p.exec(output)).find((m) => m);
    throw new DeviceError(error ? `the switch refused to show the link: ${error[0]}` : `\`ip -j\` output is not JSON (starts with ${JSON.stringify(output.slice(0, 80))})`, '', false);
  }
}

/** Parses `ip -j link show type bridge`: the VLANs are the bridges named `br<N>`. */
function parseVlans(output: string): number[] {
  const vlans = parseLinks(output).flatMap((l) => /^br(\d+)$/.exec(l.ifname)?.[1] ?? []).map(Number);
  return [...new Set(vlans)].sort((a, b) => a - b);
}

export const linux: Dialect = {
  name: 'linux',
  // IFALIASZ is 256 bytes including the terminating NUL.
  descriptionMax: 255,
  prompt: PROMPT,
  errorPatterns: ERRORS,
  sessionSetup: [
    // No readline: lines are echoed by the terminal as sent (no redraws, no bracketed paste), however long.
    'set +o emacs +o vi',
    'unset HISTFILE',
    'export LC_ALL=C',
    // Every failing command ends its output with this line, so failures are found without wrapping each command.
    `PROMPT_COMMAND='s=$?; [ "$s" = 0 ] || echo "command failed: exit status $s"'`,
  ],
  enterConfig: [],
  exitConfig: [],
  configurePort,
  ensureVlan,
  removeVlan,
  // Linux keeps no startup configuration: links live as long as the kernel (the lab's namespace). Nothing to persist.
  save: [],
  showPort: (port) => `ip -j -d link show dev ${port}`,
  parsePort,
  showVlans: 'ip -j link show type bridge',
  parseVlans,
};
