// The SONiC dialect: `sudo config ...` commands in the admin's bash shell, read back from the JSON running config.

import type { FieldViolation, PortConfig } from '../../domain/port-config';
import { type Dialect, DeviceError } from './driver';

/** SONiC's port MTU when CONFIG_DB has none. */
const DEFAULT_MTU = 9100;

/** The admin's bash prompt: `admin@sonic:~$`, `root@leaf1:/home/admin#`. */
const PROMPT = /^[A-Za-z0-9_.\-]+@[A-Za-z0-9_.\-]+:\S*[$#] ?$/;

/**
 * Click prints `Usage: ...` then `Error: ...` for a rejected command (the
 * Error line comes first in this list so it is the one reported); bash and
 * sudo report their own failures as `-bash: x: command not found` and
 * `sudo: ...`; `config` without root prints `Root privileges are required for
 * this operation`.
 */
const ERRORS = [/^Error: .*$/m, /^Usage: .*$/m, /^(?:-?bash|sudo): .*$/m, /^Root privileges are required.*$/m];

type Tagging = 'tagged' | 'untagged';

/**
 * A port's VLAN_MEMBER entries as a PortConfig means them: an access port is
 * an untagged member of its VLAN; a trunk is an untagged member of its
 * native VLAN and a tagged member of the other allowed VLANs. VLAN 1 does not
 * exist on SONiC, so native VLAN 1 (the default) means no untagged member.
 */
function memberships(cfg: PortConfig | undefined): Map<number, Tagging> {
  const out = new Map<number, Tagging>();
  if (!cfg) return out;
  const untagged = cfg.mode === 'access' ? cfg.accessVlan : cfg.nativeVlan;
  for (const v of cfg.allowedVlans ?? []) out.set(v, 'tagged');
  if (untagged !== null && untagged !== 1) out.set(untagged, 'untagged');
  return out;
}

/**
 * Membership changes from `current` to `cfg` (removals first, so a port never
 * holds two untagged VLANs), then the attributes that differ. `current` is
 * the port as read just before (needsCurrentState): SONiC refuses to add an
 * existing member or remove a missing one.
 */
function configurePort(port: string, cfg: PortConfig, current?: PortConfig): string[] {
  const want = memberships(cfg);
  const have = memberships(current);
  const byVlan = (a: [number, Tagging], b: [number, Tagging]) => a[0] - b[0];
  const removals = [...have].filter(([v, t]) => want.get(v) !== t).sort(byVlan);
  const additions = [...want].filter(([v, t]) => have.get(v) !== t).sort(byVlan);
  const changed = (key: 'mtu' | 'description' | 'adminState') => current === undefined || current[key] !== cfg[key];
  return [
    ...removals.map(([v]) => `sudo config vlan member del ${v} ${port}`),
    ...additions.map(([v, t]) => `sudo config vlan member add ${t === 'untagged' ? '-u ' : ''}${v} ${port}`),
    ...(changed('mtu') ? [`sudo config interface mtu ${port} ${cfg.mtu}`] : []),
    ...(changed('description') ? [`sudo config interface description ${port} ${shellQuote(cfg.description)}`] : []),
    ...(changed('adminState') ? [`sudo config interface ${cfg.adminState === 'down' ? 'shutdown' : 'startup'} ${port}`] : []),
  ];
}

/** One bash word holding `text` literally: single quotes, each `'` written as `'\''`. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, "'\\''")}'`;
}

/**
 * What the membership model cannot express: VLAN 1 (SONiC's VLANs are
 * 2-4094), a native VLAN the trunk does not carry (an untagged member always
 * carries it), and a trunk without a tagged VLAN (it would be an access port).
 */
function portViolations(cfg: PortConfig): FieldViolation[] {
  const reserved = 'SONiC has no VLAN 1 (VLANs are 2-4094)';
  if (cfg.mode === 'access') return cfg.accessVlan === 1 ? [{ field: 'access_vlan', reason: reserved }] : [];
  const allowed = cfg.allowedVlans ?? [];
  const native = cfg.nativeVlan === 1 ? null : cfg.nativeVlan;
  const out: FieldViolation[] = [];
  if (allowed.includes(1)) out.push({ field: 'allowed_vlans', reason: reserved });
  if (native !== null && !allowed.includes(native)) {
    out.push({ field: 'native_vlan', reason: `SONiC carries the native VLAN as an untagged member: allowed_vlans must include ${native}` });
  }
  if (allowed.every((v) => v === native)) {
    out.push({ field: 'allowed_vlans', reason: 'a SONiC trunk needs a tagged VLAN besides native_vlan (with only an untagged VLAN the port is an access port)' });
  }
  return out;
}

interface ConfigDb {
  PORT?: Record<string, { admin_status?: string; mtu?: string; description?: string }>;
  VLAN_MEMBER?: Record<string, { tagging_mode?: string }>;
}

/**
 * Parses `show runningconfiguration all`, CONFIG_DB as JSON (`sonic-cfggen -d
 * --print-data`), for one port; the tables used:
 *
 *   {
 *       "PORT": {
 *           "Ethernet0": { "admin_status": "up", "alias": "etp1", "description": "web-01", "mtu": "9100", ... }
 *       },
 *       "VLAN": { "Vlan10": { "vlanid": "10" } },
 *       "VLAN_MEMBER": {
 *           "Vlan10|Ethernet0": { "tagging_mode": "untagged" },
 *           "Vlan20|Ethernet0": { "tagging_mode": "tagged" }
 *       }
 *   }
 *
 * A port with tagged members is a trunk (allowed = every member VLAN, native
 * = the untagged one); otherwise access in its untagged VLAN (null when it
 * has none). Absent fields: MTU 9100, no description, admin down.
 */
function parsePort(output: string, port: string): PortConfig {
  const db = parseConfigDb(output);
  const entry = db.PORT?.[port];
  if (!entry) throw new DeviceError('the port does not exist on the switch (not in the PORT table)', '', false);
  const tagged: number[] = [];
  const untagged: number[] = [];
  for (const [key, member] of Object.entries(db.VLAN_MEMBER ?? {})) {
    const m = /^Vlan(\d+)\|(.+)$/.exec(key);
    if (m && m[2] === port) (member.tagging_mode === 'untagged' ? untagged : tagged).push(Number(m[1]));
  }
  const base = { mtu: Number(entry.mtu ?? DEFAULT_MTU), description: entry.description ?? '', adminState: entry.admin_status === 'up' ? 'up' : 'down' } as const;
  const native = untagged.sort((a, b) => a - b)[0] ?? null;
  if (tagged.length === 0) return { ...base, mode: 'access', accessVlan: native, allowedVlans: null, nativeVlan: null };
  return { ...base, mode: 'trunk', accessVlan: null, allowedVlans: [...tagged, ...untagged].sort((a, b) => a - b), nativeVlan: native };
}

function parseConfigDb(output: string): ConfigDb {
  try {
    return JSON.parse(output) as ConfigDb;
  } catch {
    const error = ERRORS.map((p) => p.exec(output)).find((m) => m);
    throw new DeviceError(error ? `the switch refused to show its configuration: ${error[0]}` : `the running configuration is not JSON (starts with ${JSON.stringify(output.slice(0, 80))})`, '', false);
  }
}

/**
 * Parses `show vlan brief` (a grid table; member rows after the first have an
 * empty VLAN ID cell):
 *
 *   +-----------+--------------+-----------+----------------+-------------+
 *   |   VLAN ID | IP Address   | Ports     | Port Tagging   | Proxy ARP   |
 *   +===========+==============+===========+================+=============+
 *   |       100 | 1.1.2.2/16   | Ethernet0 | tagged         | disabled    |
 *   |           |              | Ethernet4 | untagged       |             |
 *   +-----------+--------------+-----------+----------------+-------------+
 */
function parseVlans(output: string): number[] {
  const vlans = output.split('\n').flatMap((l) => /^\|\s*(\d+)\s*\|/.exec(l)?.[1] ?? []).map(Number);
  return [...new Set(vlans)].sort((a, b) => a - b);
}

export const sonic: Dialect = {
  name: 'sonic',
  // CONFIG_DB (sonic-port.yang) takes descriptions of up to 255 characters.
  descriptionMax: 255,
  prompt: PROMPT,
  errorPatterns: ERRORS,
  // A bash shell: no pager, no modes.
  sessionSetup: [],
  enterConfig: [],
  exitConfig: [],
  portViolations,
  needsCurrentState: true,
  configurePort,
  // SONiC VLANs have no name; `name` is not sent.
  ensureVlan: (vlan, _name, present) => (present?.includes(vlan) ? [] : [`sudo config vlan add ${vlan}`]),
  removeVlan: (vlan, present) => (present && !present.includes(vlan) ? [] : [`sudo config vlan del ${vlan}`]),
  save: ['sudo config save -y'],
  showPort: () => 'show runningconfiguration all',
  parsePort,
  showVlans: 'show vlan brief',
  parseVlans,
};
