// maestro_switch_port: one switch port's configuration, owned by terraform.

import type { CtyValue } from '../cty/types';
import { isUnknown } from '../cty/types';
import type { PortConfig } from '../../../engine/src/domain/port-config';
import { validatePortConfig, VLAN_MAX, VLAN_MIN, MTU_MAX, MTU_MIN } from '../../../engine/src/domain/port-config';
import type { Diagnostics } from '../framework/diagnostics';
import { requiresReplace, useStateForUnknown } from '../framework/plan-modifiers';
import type { ApplyContext, ObjectValue, Resource } from '../framework/resource';
import { timeoutsBlock } from '../framework/timeouts';
import { eachElement, intBetween, matches, noControlCharacters, oneOf } from '../framework/validators';
import { isNotFound, reportEngineError, type EnginePort, type MaestroClient, type TenancyClient } from './engine';
import { PortReads } from './port-reads';

/** What the resource needs: the port calls, and getTenancy when `tenancy_ids` is used (the engine's client has both). */
export type SwitchPortClient = MaestroClient & Partial<Pick<TenancyClient, 'getTenancy'>>;

/** Each engine client's reads (one client per provider process). */
const portReads = new WeakMap<MaestroClient, PortReads>();

/** The port from the engine: through the client's PortReads (one call per switch) when it can read many at once. */
function readPort(client: MaestroClient, switchId: string, port: string): Promise<EnginePort> {
  const { getPorts } = client;
  if (!getPorts) return client.getPort({ switchId, port });
  let reads = portReads.get(client);
  if (!reads) portReads.set(client, (reads = new PortReads({ getPorts: getPorts.bind(client) })));
  return reads.read(switchId, port);
}

/** Who the engine records as the port's owner. */
const OWNER = 'terraform:maestro_switch_port';
const SWITCH_ID = /^[a-z0-9][a-z0-9-]*$/;
const PORT_NAME = /^[A-Za-z][A-Za-z0-9/.\-]*$/;
const TENANCY_ID = /^tn-[0-9a-f]{12}$/;

/** The known tenancy ids of a value; null when unset, 'unknown' when the set or any id is not known until apply. */
function tenancyIdsOf(v: ObjectValue): string[] | null | 'unknown' {
  const ids = v.tenancy_ids;
  if (ids === null || ids === undefined) return null;
  if (isUnknown(ids) || (ids as CtyValue[]).some(isUnknown)) return 'unknown';
  return [...new Set(ids as string[])];
}

/** Why a tenancy id cannot be carried, as one attribute error. */
class TenancyProblem extends Error {}

/**
 * The VLAN of each tenancy, by id, from the engine. Throws TenancyProblem for
 * an unknown tenancy or one without a network; other engine errors as they come.
 */
async function tenancyVlans(client: SwitchPortClient, ids: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (ids.length === 0) return out;
  if (!client.getTenancy) throw new TenancyProblem('this engine client cannot look tenancies up');
  for (const id of ids) {
    try {
      const t = await client.getTenancy(id);
      if (!t.network) throw new TenancyProblem(`tenancy ${id} (${t.name}) has no network yet (its create job has not allocated one)`);
      out.set(id, t.network.vlan);
    } catch (err) {
      if (isNotFound(err)) throw new TenancyProblem(`no tenancy has id ${id}`);
      throw err;
    }
  }
  return out;
}

/** The configuration the engine gets: `allowed_vlans` plus the tenancies' VLANs. */
function withTenancies(cfg: PortConfig, vlans: Iterable<number>): PortConfig {
  const extra = [...vlans];
  if (cfg.mode !== 'trunk' || extra.length === 0) return cfg;
  return { ...cfg, allowedVlans: [...new Set([...(cfg.allowedVlans ?? []), ...extra])].sort((a, b) => a - b) };
}

function reportTenancyError(err: unknown, op: string, diags: Diagnostics): void {
  if (err instanceof TenancyProblem) diags.error('Invalid tenancy_ids', `tenancy_ids: ${err.message}.`, ['tenancy_ids']);
  else reportEngineError(err, op, diags);
}

/** The config fields in `state` as a PortConfig, or null while any is unknown. */
function portConfigOf(v: ObjectValue): PortConfig | null {
  const fields = ['mode', 'access_vlan', 'allowed_vlans', 'native_vlan', 'mtu', 'description', 'admin_state'];
  if (fields.some((f) => isUnknown(v[f]) || (Array.isArray(v[f]) && (v[f] as CtyValue[]).some(isUnknown)))) return null;
  const allowed = v.allowed_vlans as number[] | null;
  return {
    mode: v.mode as PortConfig['mode'],
    accessVlan: v.access_vlan as number | null,
    allowedVlans: allowed === null ? null : [...new Set(allowed)].sort((a, b) => a - b),
    nativeVlan: v.native_vlan as number | null,
    mtu: v.mtu as number,
    description: v.description as string,
    adminState: v.admin_state as PortConfig['adminState'],
  };
}

/**
 * The state for a port read from the device. Where the device only says the same
 * thing differently (native VLAN 1 = unset), the prior value is kept so that a
 * refresh never shows a change that is not one.
 */
function stateOf(switchId: string, port: string, cfg: PortConfig, prior: ObjectValue | null, tenancies = new Map<string, number>()): ObjectValue {
  const carried = splitTenancies(cfg, prior, tenancies);
  return {
    id: `${switchId}/${port}`,
    switch: switchId,
    port,
    mode: cfg.mode,
    access_vlan: cfg.mode === 'access' ? cfg.accessVlan : null,
    allowed_vlans: cfg.mode === 'trunk' ? carried.allowedVlans : null,
    tenancy_ids: carried.tenancyIds,
    native_vlan: cfg.mode === 'trunk' ? nativeVlanOf(cfg.nativeVlan, prior?.native_vlan ?? null) : null,
    mtu: cfg.mtu,
    description: cfg.description,
    admin_state: cfg.adminState,
    timeouts: prior?.timeouts ?? null,
  };
}

/**
 * What the user wrote, out of what the device allows: a tenancy id stays while
 * the device still allows its VLAN; `allowed_vlans` is the rest, keeping a VLAN
 * the user listed there even when a tenancy brings it too.
 */
function splitTenancies(cfg: PortConfig, prior: ObjectValue | null, tenancies: Map<string, number>): { allowedVlans: number[] | null; tenancyIds: string[] | null } {
  const priorIds = prior ? tenancyIdsOf(prior) : null;
  const ids = Array.isArray(priorIds) ? priorIds : [];
  const device = cfg.allowedVlans;
  if (priorIds === null || priorIds === 'unknown' || device === null) {
    return { allowedVlans: device, tenancyIds: priorIds === null || priorIds === 'unknown' ? null : [] };
  }
  const listed = new Set(Array.isArray(prior?.allowed_vlans) ? (prior!.allowed_vlans as number[]) : []);
  const fromTenancies = new Set([...tenancies.values()]);
  const rest = device.filter((v) => listed.has(v) || !fromTenancies.has(v));
  const kept = ids.filter((id) => tenancies.has(id) && device.includes(tenancies.get(id)!));
  return { allowedVlans: rest.length === 0 && prior?.allowed_vlans === null ? null : rest, tenancyIds: kept };
}

/** Native VLAN 1 is the device default: unset and 1 are the same, keep what the user wrote. */
function nativeVlanOf(device: number | null, prior: CtyValue): number | null {
  if (device !== null && device !== 1) return device;
  return prior === 1 ? 1 : null;
}

/** Maps engine/domain field violations onto attribute diagnostics. */
function reportViolations(violations: { field: string; reason: string }[], diags: Diagnostics): void {
  for (const v of violations) diags.error(`Invalid ${v.field}`, `${v.field}: ${v.reason}.`, [v.field]);
}

export const switchPort = {
  typeName: 'maestro_switch_port',
  timeouts: { create: '5m', update: '5m', delete: '5m' },
  schema: {
    version: 0,
    description: 'The configuration of one switch port, applied by the Maestro engine over the switch CLI and verified by reading it back. Deleting the resource returns the port to the quarantine configuration.',
    attributes: {
      id: { type: 'string', computed: true, description: 'The port\'s id, `<switch>/<port>`.', planModifiers: [useStateForUnknown()] },
      switch: {
        type: 'string',
        required: true,
        description: 'Id of the switch in the engine\'s inventory, e.g. `leaf1`. Changing it replaces the resource.',
        validators: [matches(SWITCH_ID, 'a switch id of lowercase letters, digits and dashes')],
        planModifiers: [requiresReplace()],
      },
      port: {
        type: 'string',
        required: true,
        description: 'Port name as the switch calls it, e.g. `Ethernet1` or `Ethernet49/1`. Changing it replaces the resource.',
        validators: [matches(PORT_NAME, 'a port name such as Ethernet1 or Ethernet49/1')],
        planModifiers: [requiresReplace()],
      },
      mode: { type: 'string', optional: true, computed: true, default: 'access', description: '`access` (one untagged VLAN) or `trunk` (tagged VLANs). Default `access`.', validators: [oneOf('access', 'trunk')] },
      access_vlan: { type: 'number', optional: true, description: `VLAN of an access port (${VLAN_MIN}..${VLAN_MAX}). Required when mode is \`access\`.`, validators: [intBetween(VLAN_MIN, VLAN_MAX)] },
      allowed_vlans: { type: { set: 'number' }, optional: true, description: `VLANs a trunk port carries (${VLAN_MIN}..${VLAN_MAX}), besides those of \`tenancy_ids\`. Required when mode is \`trunk\` unless \`tenancy_ids\` is set.`, validators: [eachElement(intBetween(VLAN_MIN, VLAN_MAX))] },
      tenancy_ids: {
        type: { set: 'string' },
        optional: true,
        description: 'Ids of tenancies (`maestro_tenancy.<name>.id`, `tn-` and 12 hex digits) whose VLANs this trunk port also carries, trunk mode only. The engine looks each VLAN up at plan (when the ids are known) and again at apply; the port allows `allowed_vlans` plus these VLANs. The engine refuses to delete a tenancy while an owned port still carries its VLAN.',
        validators: [eachElement(matches(TENANCY_ID, 'a tenancy id such as "tn-0123456789ab"'))],
      },
      native_vlan: { type: 'number', optional: true, description: 'Untagged VLAN of a trunk port; unset means the switch default (VLAN 1).', validators: [intBetween(VLAN_MIN, VLAN_MAX)] },
      mtu: { type: 'number', optional: true, computed: true, default: 1500, description: `Port MTU in bytes (${MTU_MIN}..${MTU_MAX}). Default 1500.`, validators: [intBetween(MTU_MIN, MTU_MAX)] },
      description: { type: 'string', optional: true, computed: true, default: '', description: 'Port description; no newlines or control characters, and at most the switch dialect\'s limit (checked at plan).', validators: [noControlCharacters()] },
      admin_state: { type: 'string', optional: true, computed: true, default: 'up', description: '`up` or `down` (shutdown). Default `up`.', validators: [oneOf('up', 'down')] },
    },
    blocks: { timeouts: timeoutsBlock(['create', 'update', 'delete'], { create: '5m', update: '5m', delete: '5m' }) },
  },

  validateConfig(config, diags) {
    const cfg = portConfigOf({ ...config, mode: config.mode ?? 'access', mtu: config.mtu ?? 1500, description: config.description ?? '', admin_state: config.admin_state ?? 'up' });
    if (cfg === null) return;
    // Single-value rules already ran as validators; keep the cross-field ones.
    const ids = tenancyIdsOf(config);
    const hasTenancies = ids === 'unknown' || (ids !== null && ids.length > 0);
    const crossField = validatePortConfig(cfg, { descriptionMax: Infinity })
      .filter((v) => /applies to|needs/.test(v.reason))
      // A trunk may carry only tenancies' VLANs.
      .filter((v) => !(hasTenancies && v.field === 'allowed_vlans' && /needs/.test(v.reason)));
    reportViolations(crossField, diags);
    if (cfg.mode !== 'trunk' && hasTenancies) {
      diags.error('Invalid tenancy_ids', 'tenancy_ids: tenancy_ids applies to trunk ports only; set mode = "trunk" or remove it.', ['tenancy_ids']);
    }
  },

  async modifyPlan({ client, prior, planned, diags }) {
    const cfg = portConfigOf(planned);
    const { switch: switchId, port } = planned;
    if (cfg === null || typeof switchId !== 'string' || typeof port !== 'string') return;
    // Nothing will be applied: skip the engine round trip, which a refresh-only plan would otherwise make once per port.
    const ids = tenancyIdsOf(planned);
    const unchanged = prior !== null && prior.switch === switchId && prior.port === port && samePortConfig(portConfigOf(prior), cfg)
      && JSON.stringify(sorted(tenancyIdsOf(prior))) === JSON.stringify(sorted(ids));
    if (unchanged) return;
    try {
      // Ids not known until apply (a tenancy created in the same apply) are checked at apply.
      const tenancies = Array.isArray(ids) && cfg.mode === 'trunk' ? await tenancyVlans(client, ids) : new Map<string, number>();
      const effective = withTenancies(cfg, tenancies.values());
      const { violations } = await client.validatePortConfig({ switchId, port, config: effective, owner: OWNER });
      // With ids still unknown, an empty allowed_vlans is not yet an error.
      reportViolations(violations.filter((v) => !(ids === 'unknown' && v.field === 'allowed_vlans' && /needs/.test(v.reason))), diags);
    } catch (err) {
      reportTenancyError(err, 'plan', diags);
    }
  },

  async create(ctx) {
    return applyPort(ctx, 'create');
  },

  async update(ctx) {
    return applyPort(ctx, 'update');
  },

  async read({ client, state, diags }) {
    try {
      const port = await readPort(client, state.switch as string, state.port as string);
      return stateOf(port.switchId, port.port, port.config, state, await knownTenancyVlans(client, state));
    } catch (err) {
      if (isNotFound(err)) return null;
      reportEngineError(err, 'read', diags);
      return null;
    }
  },

  async delete({ client, prior, diags, signal }) {
    try {
      await client.releasePort({ switchId: prior.switch as string, port: prior.port as string }, { signal });
    } catch (err) {
      if (!isNotFound(err)) reportEngineError(err, 'delete', diags);
    } finally {
      portReads.get(client)?.forget(prior.switch as string);
    }
  },

  importState(id, diags) {
    const slash = id.indexOf('/');
    const switchId = id.slice(0, slash);
    const port = id.slice(slash + 1);
    if (slash < 1 || !SWITCH_ID.test(switchId) || !PORT_NAME.test(port)) {
      diags.error('Invalid import id', `Expected "<switch>/<port>", e.g. "leaf1/Ethernet7"; got ${JSON.stringify(id)}.`);
      return null;
    }
    return { id, switch: switchId, port };
  },
} satisfies Resource<SwitchPortClient>;

function sorted(ids: string[] | null | 'unknown'): string[] | null | 'unknown' {
  return Array.isArray(ids) ? [...ids].sort() : ids;
}

/** For a refresh: the VLANs of the state's tenancies that still exist (a deleted one drops out of `tenancy_ids`). */
async function knownTenancyVlans(client: SwitchPortClient, state: ObjectValue): Promise<Map<string, number>> {
  const ids = tenancyIdsOf(state);
  const out = new Map<string, number>();
  if (!Array.isArray(ids) || ids.length === 0 || !client.getTenancy) return out;
  for (const id of ids) {
    try {
      const t = await client.getTenancy(id);
      if (t.network) out.set(id, t.network.vlan);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
  return out;
}

function samePortConfig(a: PortConfig | null, b: PortConfig): boolean {
  return a !== null && JSON.stringify(a) === JSON.stringify(b);
}


/** Create and update: the engine's job runs while `signal` holds; a Ctrl-C or timeout cancels it (the port is put back). */
async function applyPort({ client, planned, diags, signal }: ApplyContext<SwitchPortClient>, op: string): Promise<ObjectValue | null> {
  const cfg = portConfigOf(planned) as PortConfig;
  const ids = tenancyIdsOf(planned);
  try {
    // Looked up again: the plan may not have known the ids, and a tenancy may have gone since.
    const tenancies = Array.isArray(ids) && cfg.mode === 'trunk' ? await tenancyVlans(client, ids) : new Map<string, number>();
    const effective = withTenancies(cfg, tenancies.values());
    const res = await client.applyPortConfig({ switchId: planned.switch as string, port: planned.port as string, config: effective, owner: OWNER }, { signal });
    return stateOf(res.port.switchId, res.port.port, res.port.config, planned, tenancies);
  } catch (err) {
    reportTenancyError(err, op, diags);
    return null;
  } finally {
    // Whatever this process read of the switch before the change is out of date now.
    portReads.get(client)?.forget(planned.switch as string);
  }
}
