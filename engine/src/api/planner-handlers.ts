// PlanTenancyChanges: a tenancy's proposed members -> device operations, planned from the store and every switch read
// back (each through its own read-only session). Changes nothing.

import type { FieldViolation } from '../domain/port-config';
import { inventoryIntent, planTenancyChanges, PlanError, type DeviceOperation, type InventorySnapshot, type ObservedSwitch, type ProposedMember, type TenancyProposal } from '../planner';
import { EngineApiError } from './api-error';
import { readSwitch } from './doctor-handlers';
import { quarantineVlan, type EngineContext } from './engine-context';
import { operationToWire, type WirePlanMember, type WirePlanRequest } from './planner-wire';

type Handler = (ctx: EngineContext, req: any) => Promise<object>;

const orUndefined = (s: string) => (s === '' ? undefined : s);

function memberFromWire(m: WirePlanMember, i: number, violations: FieldViolation[]): ProposedMember[] {
  const description = orUndefined(m.description);
  if (m.serverId !== '' && m.switchId === '' && m.port === '') return [{ serverId: m.serverId, description }];
  if (m.serverId === '' && m.switchId !== '' && m.port !== '') return [{ switchId: m.switchId, port: m.port, description }];
  violations.push({ field: `members[${i}]`, reason: 'a member is either server_id, or switch_id and port' });
  return [];
}

/** The request as a proposal; throws invalid_argument naming every malformed field. */
export function planRequestFromWire(w: WirePlanRequest): TenancyProposal {
  const violations: FieldViolation[] = [];
  if (w.tenancyId === '') violations.push({ field: 'tenancy_id', reason: 'tenancy_id is required' });
  const members = w.members.flatMap((m, i) => memberFromWire(m, i, violations));
  if (violations.length > 0) throw new EngineApiError('invalid_argument', violations.map((v) => `${v.field}: ${v.reason}`).join('; '), violations);
  return { tenancyId: w.tenancyId, members, vlan: w.vlan, vni: w.vni, mtu: w.mtu };
}

async function snapshot(ctx: EngineContext): Promise<InventorySnapshot & { provisioningVlan: number | undefined }> {
  const { store } = ctx;
  const a = store.allocation;
  const switches = await store.listSwitches();
  const [ports, placement, links, networks, servers, quarantine, provisioning] = await Promise.all([
    Promise.all(switches.map((sw) => store.listPorts(sw.id))).then((lists) => lists.flat()),
    a.listSwitchPlacement(), a.listFabricLinks(), a.listTenancyNetworks(), a.listServers(), quarantineVlan(ctx), store.getSegment('provisioning'),
  ]);
  return { switches, placement, links, ports, networks, servers, quarantineVlan: quarantine, provisioningVlan: provisioning?.vlan };
}

/** Every switch's VLANs and inventory ports; a switch that cannot be read fails the plan (unavailable), naming it. */
async function observe(ctx: EngineContext, snap: InventorySnapshot): Promise<Map<string, ObservedSwitch>> {
  const read = readSwitch(ctx);
  const entries = await Promise.all(snap.switches.map(async (sw) => {
    const ports = snap.ports.filter((p) => p.switchId === sw.id).map((p) => p.name);
    try {
      return [sw.id, await read(sw, ports)] as const;
    } catch (err) {
      throw new EngineApiError('unavailable', `cannot plan: switch ${sw.id} could not be read (${(err as Error).message}); nothing was changed`);
    }
  }));
  return new Map(entries);
}

/** The operations that give `proposal.tenancyId` exactly its proposed members; PlanError becomes failed_precondition. */
export async function planTenancy(ctx: EngineContext, proposal: TenancyProposal): Promise<DeviceOperation[]> {
  const snap = await snapshot(ctx);
  try {
    const intent = inventoryIntent(snap, proposal);
    const infrastructureVlans = [snap.quarantineVlan, ...(snap.provisioningVlan === undefined ? [] : [snap.provisioningVlan])];
    return planTenancyChanges({ ...intent, infrastructureVlans, observed: await observe(ctx, snap), focusTenancyId: proposal.tenancyId });
  } catch (err) {
    if (err instanceof PlanError) throw new EngineApiError('failed_precondition', err.message);
    throw err;
  }
}

/** The planner RPC by proto method name; server.ts registers it. */
export const plannerRpcs: Record<string, Handler> = {
  PlanTenancyChanges: async (ctx, req: WirePlanRequest) => ({ operations: (await planTenancy(ctx, planRequestFromWire(req))).map(operationToWire) }),
};
