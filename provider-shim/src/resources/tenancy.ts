// maestro_tenancy: a named network segment (VLAN + VNI + IPv4 subnet) the engine puts on every leaf switch.

import { isUnknown, type CtyValue } from '../cty/types';
import { MTU_MAX, MTU_MIN, VLAN_MAX, VLAN_MIN } from '../../../engine/src/domain/port-config';
import { TENANCY_DESCRIPTION_MAX, TENANCY_NAME } from '../../../engine/src/domain/tenancy';
import { gatewayOf } from '../../../engine/src/ipam/host-address';
import { formatIpv4, parseCidr } from '../../../engine/src/ipam/ipv4';
import type { Diagnostics } from '../framework/diagnostics';
import { requiresReplace, useStateForUnknown } from '../framework/plan-modifiers';
import type { ObjectValue, PrivateState, Resource } from '../framework/resource';
import { timeoutsBlock } from '../framework/timeouts';
import { intBetween, matches, maxLength, noControlCharacters, type Validator } from '../framework/validators';
import { isNotFound, reportEngineError, type TenancyClient, type TenancyInfo } from './engine';

export const VNI_MAX = 16_777_215;
/** Import ids: a tenancy id, or `name:<name>`. */
const TENANCY_ID = /^tn-[0-9a-f]{12}$/;
const BY_NAME = 'name:';
/** Private-state key holding the tenancy id, so the create half of a replacement knows which tenancy it replaces. */
const PRIVATE_ID = 'tenancy_id';

/** The gateway of an IPv4 CIDR (its first host), or null when the text is not one. */
function gatewayText(cidr: string): string | null {
  try {
    return formatIpv4(gatewayOf(parseCidr(cidr)));
  } catch {
    return null;
  }
}

const ipv4Cidr: Validator = (v) => {
  try {
    parseCidr(v as string);
    return null;
  } catch (err) {
    return `must be an IPv4 CIDR such as "10.64.3.0/24" with no host bits set (${(err as Error).message})`;
  }
};

/** The state for a tenancy the engine answered with; `timeouts` is kept from the prior value. */
export function stateOf(t: TenancyInfo, prior: ObjectValue | null): ObjectValue {
  const n = t.network;
  return {
    id: t.id, name: t.name, description: t.description,
    vlan_id: n?.vlan ?? null, vni: n?.vni ?? null, cidr: n?.cidr ?? null, gateway: n?.gateway ?? null, mtu: n?.mtu ?? null,
    timeouts: prior?.timeouts ?? null,
  };
}

/** A known, non-null value as T, else undefined (unset or not known until apply). */
const known = <T>(v: CtyValue | undefined): T | undefined => (v === null || v === undefined || isUnknown(v) ? undefined : (v as T));

/** The request a plan or create sends: what the config fixes, the rest left to allocation. */
function requestOf(v: ObjectValue) {
  return {
    name: v.name as string, description: known<string>(v.description) ?? '',
    vlan: known<number>(v.vlan_id), vni: known<number>(v.vni), cidr: known<string>(v.cidr), mtu: known<number>(v.mtu),
  };
}

function remember(priv: PrivateState, state: ObjectValue | null): ObjectValue | null {
  if (state) priv[PRIVATE_ID] = state.id;
  return state;
}

function reportViolations(violations: { field: string; reason: string }[], diags: Diagnostics): void {
  for (const v of violations) diags.error(`Invalid ${v.field}`, `${v.field}: ${v.reason}.`, [v.field]);
}

/** The tenancy a state (or an import id) names: by id, or by name for `name:<name>`. */
function lookup(client: TenancyClient, id: string): Promise<TenancyInfo> {
  return id.startsWith(BY_NAME) ? client.findTenancy(id.slice(BY_NAME.length)) : client.getTenancy(id);
}

export const tenancy = {
  typeName: 'maestro_tenancy',
  timeouts: { create: '10m', delete: '10m' },
  schema: {
    version: 0,
    description: 'A tenancy: an isolated network segment (VLAN, VNI, IPv4 subnet with its gateway, MTU) that the Maestro engine allocates from its segment pool and creates as VLAN `tenancy-<name>` on every leaf switch. Deleting it removes the VLAN from every leaf and frees the network; the engine refuses while instances, servers, IPs or owned ports still use it.',
    attributes: {
      id: { type: 'string', computed: true, description: 'The tenancy\'s id in the engine (`tn-` and 12 hex digits), stable for its lifetime.', planModifiers: [useStateForUnknown()] },
      name: {
        type: 'string', required: true,
        description: 'Unique name: 1-63 lowercase letters, digits and dashes, starting with a letter or digit. Names the VLAN `tenancy-<name>` on the switches. Changing it replaces the tenancy.',
        validators: [matches(TENANCY_NAME, '1-63 lowercase letters, digits and dashes, starting with a letter or digit')],
        planModifiers: [requiresReplace()],
      },
      description: {
        type: 'string', optional: true, computed: true, default: '',
        description: `Free text for people (at most ${TENANCY_DESCRIPTION_MAX} characters, no newlines); changed in place, never on a device. Default "".`,
        validators: [noControlCharacters(), maxLength(TENANCY_DESCRIPTION_MAX)],
      },
      vlan_id: {
        type: 'number', optional: true, computed: true,
        description: `VLAN id (${VLAN_MIN}..${VLAN_MAX}); must lie in the engine's segment pool and be free. Unset: the lowest free VLAN of the pool. Changing it replaces the tenancy.`,
        validators: [intBetween(VLAN_MIN, VLAN_MAX)],
        planModifiers: [requiresReplace(), useStateForUnknown()],
      },
      vni: {
        type: 'number', optional: true, computed: true,
        description: `VXLAN network identifier (1..${VNI_MAX}) that stretches the segment across leaves; must lie in the pool and be free. Unset: the lowest free VNI. Changing it replaces the tenancy.`,
        validators: [intBetween(1, VNI_MAX)],
        planModifiers: [requiresReplace(), useStateForUnknown()],
      },
      cidr: {
        type: 'string', optional: true, computed: true,
        description: 'IPv4 subnet, e.g. `10.64.3.0/24`; must lie inside the pool\'s supernet and overlap no other tenancy. Unset: the lowest free subnet of the pool\'s tenancy prefix. Changing it replaces the tenancy.',
        validators: [ipv4Cidr],
        planModifiers: [requiresReplace(), useStateForUnknown()],
      },
      gateway: { type: 'string', computed: true, description: 'Gateway address of the subnet: its first host address.', planModifiers: [useStateForUnknown()] },
      mtu: {
        type: 'number', optional: true, computed: true, default: 1500,
        description: `MTU in bytes (${MTU_MIN}..${MTU_MAX}) of the ports configured into the tenancy. Default 1500. Changed in place; the engine refuses the change while anything is attached (their ports keep the old MTU).`,
        validators: [intBetween(MTU_MIN, MTU_MAX)],
      },
    },
    blocks: { timeouts: timeoutsBlock(['create', 'delete'], { create: '10m', delete: '10m' }) },
  },

  /**
   * Creates (including the create half of a replacement) are checked against
   * the engine: a taken name, vlan_id/vni/cidr outside the pool or held by
   * another tenancy, an exhausted pool fail here, on their attribute. Values
   * the config fixes are planned as they will be; the gateway follows a fixed cidr.
   */
  async modifyPlan({ client, prior, planned, priorPrivate, diags }) {
    if (prior !== null || typeof planned.name !== 'string') return;
    const cidr = known<string>(planned.cidr);
    if (cidr !== undefined) planned.gateway = gatewayText(cidr) ?? planned.gateway;
    const replacing = priorPrivate?.[PRIVATE_ID];
    try {
      const { violations } = await client.validateTenancy({ ...requestOf(planned), id: typeof replacing === 'string' ? replacing : undefined });
      reportViolations(violations, diags);
    } catch (err) {
      reportEngineError(err, 'plan', diags);
    }
  },

  async create({ client, planned, diags, signal, private: priv }) {
    try {
      const { tenancy: t } = await client.createTenancy(requestOf(planned), { signal });
      return remember(priv, stateOf(t, planned));
    } catch (err) {
      reportEngineError(err, 'create', diags);
      return null;
    }
  },

  async read({ client, state, diags, private: priv }) {
    try {
      return remember(priv, stateOf(await lookup(client, state.id as string), state));
    } catch (err) {
      if (!isNotFound(err)) reportEngineError(err, 'read', diags);
      return null;
    }
  },

  async update({ client, prior, planned, diags }) {
    const change = {
      id: prior.id as string,
      description: planned.description !== prior.description ? (planned.description as string) : undefined,
      mtu: planned.mtu !== prior.mtu ? (planned.mtu as number) : undefined,
    };
    try {
      return stateOf(await client.updateTenancy(change), planned);
    } catch (err) {
      reportEngineError(err, 'update', diags);
      return null;
    }
  },

  async delete({ client, prior, diags, signal }) {
    try {
      await client.deleteTenancy(prior.id as string, { signal });
    } catch (err) {
      if (!isNotFound(err)) reportEngineError(err, 'delete', diags);
    }
  },

  importState(id, diags) {
    const name = id.startsWith(BY_NAME) ? id.slice(BY_NAME.length) : null;
    if (name === null ? !TENANCY_ID.test(id) : !TENANCY_NAME.test(name)) {
      diags.error('Invalid import id', `Expected a tenancy id such as "tn-0123456789ab" or "name:<tenancy name>", e.g. "name:web"; got ${JSON.stringify(id)}.`);
      return null;
    }
    return { id };
  },
} satisfies Resource<TenancyClient>;
