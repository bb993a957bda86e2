// The planner: intent + observed switch state -> the ordered device operations that make the switches match. Pure.

import { samePortConfig, type PortConfig } from '../domain/port-config';
import type { PortRef } from '../store/allocation-store';
import { fabricTree } from './fabric-tree';
import { memberConfig, type FabricSwitch, type ObservedSwitch, type PlanInput, type PortIntent, type TenancyIntent } from './intent';
import { PlanError, type DeviceOperation } from './operation';
import { portDiff } from './port-diff';

/** VLAN 1 exists on every switch and cannot be deleted. */
const DEFAULT_VLAN = 1;

/**
 * The order that keeps traffic safe: VLANs exist before anything uses them;
 * fabric trunks are extended before members come up behind them; ports leave
 * a VLAN before trunks stop carrying it and before it is removed.
 */
const PHASE = { ensureVlan: 0, extendFabric: 1, edgePort: 2, shrinkFabric: 3, removeVlan: 4 } as const;

interface Planned {
  phase: number;
  /** The VLANs this operation adds or takes away (for focusing on one tenancy). */
  vlans: number[];
  op: DeviceOperation;
}

/** What a plan is computed over: the input plus the lookups every step uses. */
interface Ctx {
  input: PlanInput;
  tenancyOf: Map<number, TenancyIntent>;
  switches: Map<string, FabricSwitch>;
  /** The edge ports (members and explicit configs) by `switch/port`. */
  edge: Map<string, PortIntent>;
  /** VLANs each switch must have, each with why. */
  need: Map<string, Map<number, string>>;
  /** Tenancy VLANs each fabric link end must carry, by `switch/port`. */
  carry: Map<string, Set<number>>;
}

const keyOf = (r: { switchId: string; port: string }) => `${r.switchId}/${r.port}`;
const sorted = (vlans: Iterable<number>) => [...new Set(vlans)].sort((a, b) => a - b);
const label = (t: TenancyIntent) => `tenancy ${t.tenancyId} (VLAN ${t.vlan})`;

/** Every VLAN a port config puts the port in (a trunk's native VLAN included), VLAN 1 aside. */
function vlansOf(c: PortConfig | undefined): number[] {
  if (!c) return [];
  const all = c.mode === 'access' ? [c.accessVlan] : [...(c.allowedVlans ?? []), c.nativeVlan];
  return all.filter((v): v is number => v !== null && v !== DEFAULT_VLAN);
}

function observedOf(ctx: Ctx, switchId: string): ObservedSwitch {
  const sw = ctx.input.observed.get(switchId);
  if (!sw) throw new PlanError(`switch ${switchId} was not read, so nothing can be planned on it`);
  return sw;
}

function fabricSwitchOf(ctx: Ctx, switchId: string): FabricSwitch {
  const sw = ctx.switches.get(switchId);
  if (!sw) throw new PlanError(`switch "${switchId}" is not in inventory`);
  return sw;
}

/** Explicit port configs and tenancy members by port; the same port wanted two ways is a PlanError naming both. */
function edgePorts(input: PlanInput, fabricPorts: Set<string>): Map<string, PortIntent> {
  const edge = new Map<string, PortIntent>();
  const put = (p: PortIntent) => {
    const key = keyOf(p);
    if (fabricPorts.has(key)) throw new PlanError(`${key} is a fabric link end (inventory fabric_links), so it cannot be ${p.why}`);
    const prior = edge.get(key);
    if (prior && !samePortConfig(prior.config, p.config)) throw new PlanError(`${key} is wanted two ways: ${prior.why}, and ${p.why}`);
    if (!prior) edge.set(key, p);
  };
  input.ports.forEach(put);
  for (const t of input.tenancies) {
    for (const m of t.members) put({ switchId: m.switchId, port: m.port, config: memberConfig(t, m.description), why: `member "${m.description}" of ${label(t)}` });
  }
  return edge;
}

function addNeed(ctx: Ctx, switchId: string, vlan: number, why: string): void {
  fabricSwitchOf(ctx, switchId);
  const vlans = ctx.need.get(switchId) ?? new Map<number, string>();
  if (!vlans.has(vlan)) vlans.set(vlan, why);
  ctx.need.set(switchId, vlans);
}

/** Each edge port's VLANs on its switch; each tenancy VLAN on more than one trunked switch across the fabric tree between them. */
function spread(ctx: Ctx): void {
  const holders = new Map<number, Set<string>>();
  for (const p of ctx.edge.values()) {
    for (const v of vlansOf(p.config)) {
      const t = ctx.tenancyOf.get(v);
      addNeed(ctx, p.switchId, v, t ? `${label(t)} has a member here: ${keyOf(p)} (${p.why})` : `${keyOf(p)} (${p.why}) uses VLAN ${v}`);
      holders.set(v, (holders.get(v) ?? new Set()).add(p.switchId));
    }
  }
  for (const t of ctx.input.tenancies) {
    const trunked = [...(holders.get(t.vlan) ?? [])].filter((id) => fabricSwitchOf(ctx, id).stretch === 'trunk').sort();
    if (trunked.length < 2) continue;
    const tree = fabricTree(trunked, ctx.input.fabric.links);
    for (const id of tree.switches) addNeed(ctx, id, t.vlan, `${label(t)} crosses ${id} between ${trunked.join(' and ')}`);
    for (const end of tree.links.flatMap((l) => [l.a, l.b])) ctx.carry.set(keyOf(end), (ctx.carry.get(keyOf(end)) ?? new Set()).add(t.vlan));
  }
}

function ensureOps(ctx: Ctx): Planned[] {
  return [...ctx.need].flatMap(([switchId, vlans]) => {
    const present = new Set(observedOf(ctx, switchId).vlans);
    const vxlan = fabricSwitchOf(ctx, switchId).stretch === 'vxlan';
    return [...vlans].filter(([v]) => v !== DEFAULT_VLAN && !present.has(v)).map(([vlan, reason]): Planned => {
      const vni = vxlan ? ctx.tenancyOf.get(vlan)?.vni : undefined;
      return { phase: PHASE.ensureVlan, vlans: [vlan], op: { device: switchId, kind: 'ensure_vlan', vlan, ...(vni === undefined ? {} : { vni }), reason } };
    });
  });
}

function edgeOps(ctx: Ctx): Planned[] {
  return [...ctx.edge.values()].flatMap((p): Planned[] => {
    const seen = observedOf(ctx, p.switchId).ports.get(p.port);
    if (seen && samePortConfig(seen, p.config)) return [];
    return [{
      phase: PHASE.edgePort, vlans: sorted([...vlansOf(seen), ...vlansOf(p.config)]),
      op: { device: p.switchId, kind: 'configure_port', port: p.port, config: p.config, reason: `${p.why}: ${portDiff(seen, p.config)}` },
    }];
  });
}

/**
 * What a fabric link end must be: the observed trunk with its tenancy VLANs
 * replaced by the ones it must carry (other VLANs kept) and an MTU no smaller
 * than any carried tenancy's; a port that is no trunk becomes one only when
 * it must carry something (null: leave it alone). A trunk left with no VLAN
 * allows just its native VLAN, as a trunk needs one.
 */
function fabricConfig(ctx: Ctx, seen: PortConfig | undefined, carried: number[], peer: PortRef): PortConfig | null {
  const mtu = Math.max(seen?.mtu ?? 0, ...carried.map((v) => ctx.tenancyOf.get(v)!.mtu));
  if (seen?.mode === 'trunk') {
    const allowed = sorted([...(seen.allowedVlans ?? []).filter((v) => !ctx.tenancyOf.has(v)), ...carried]);
    return { ...seen, allowedVlans: allowed.length > 0 ? allowed : [seen.nativeVlan ?? DEFAULT_VLAN], mtu };
  }
  if (carried.length === 0) return null;
  return { mode: 'trunk', accessVlan: null, allowedVlans: carried, nativeVlan: null, mtu, description: seen?.description || `fabric to ${keyOf(peer)}`, adminState: 'up' };
}

function fabricPortOp(ctx: Ctx, end: PortRef, peer: PortRef): Planned[] {
  const seen = observedOf(ctx, end.switchId).ports.get(end.port);
  const carried = sorted(ctx.carry.get(keyOf(end)) ?? []);
  const wanted = fabricConfig(ctx, seen, carried, peer);
  if (!wanted || (seen && samePortConfig(seen, wanted))) return [];
  const before = new Set(seen?.mode === 'trunk' ? seen.allowedVlans : []);
  const added = carried.filter((v) => !before.has(v));
  const dropped = [...before].filter((v) => ctx.tenancyOf.has(v) && !carried.includes(v));
  const names = (vlans: number[]) => vlans.map((v) => label(ctx.tenancyOf.get(v)!)).join(', ');
  const why = [added.length > 0 && `must carry ${names(added)}`, dropped.length > 0 && `no longer carries ${names(dropped)}`].filter(Boolean).join('; ');
  return [{
    phase: added.length > 0 ? PHASE.extendFabric : PHASE.shrinkFabric, vlans: sorted([...added, ...dropped]),
    op: { device: end.switchId, kind: 'configure_port', port: end.port, config: wanted, reason: `fabric link to ${keyOf(peer)}${why ? ` ${why}` : ''}: ${portDiff(seen, wanted)}` },
  }];
}

/**
 * A tenancy VLAN a switch has but no longer needs, unless a port would still
 * be in it once the plan ran (a port nobody owns, say: the doctor reports
 * those); quarantine, provisioning and VLAN 1 are never removed.
 */
function removeOps(ctx: Ctx, portOps: Planned[]): Planned[] {
  const kept = new Set([DEFAULT_VLAN, ...ctx.input.infrastructureVlans]);
  return [...ctx.input.observed].flatMap(([switchId, seen]) => {
    const final = new Map(seen.ports);
    for (const { op } of portOps) if (op.device === switchId) final.set(op.port!, op.config!);
    const inUse = new Set([...final.values()].flatMap(vlansOf));
    const need = ctx.need.get(switchId);
    return seen.vlans.filter((v) => ctx.tenancyOf.has(v) && !kept.has(v) && !need?.has(v) && !inUse.has(v)).map((vlan): Planned => ({
      phase: PHASE.removeVlan, vlans: [vlan],
      op: { device: switchId, kind: 'remove_vlan', vlan, reason: `${label(ctx.tenancyOf.get(vlan)!)} has no member on ${switchId} and crosses no fabric link there` },
    }));
  });
}

function focusVlan(input: PlanInput): number | undefined {
  if (input.focusTenancyId === undefined) return undefined;
  const t = input.tenancies.find((x) => x.tenancyId === input.focusTenancyId);
  if (!t) throw new PlanError(`tenancy "${input.focusTenancyId}" is not part of the intent`);
  return t.vlan;
}

const byOrder = (x: Planned, y: Planned) =>
  x.phase - y.phase || x.op.device.localeCompare(y.op.device) || (x.op.port ?? '').localeCompare(y.op.port ?? '') || (x.op.vlan ?? 0) - (y.op.vlan ?? 0);

/**
 * The operations that take the observed switches to the intent, in a safe
 * order (PHASE), then by device, port and VLAN. Nothing already as intended
 * gets an operation, so observed == intended gives []. Throws PlanError when
 * the intent contradicts itself or the inventory (a port wanted two ways, a
 * fabric port claimed as an edge port, an unknown or unread switch, leaves
 * no fabric path joins).
 */
export function planTenancyChanges(input: PlanInput): DeviceOperation[] {
  const fabricPorts = new Set(input.fabric.links.flatMap((l) => [keyOf(l.a), keyOf(l.b)]));
  const ctx: Ctx = {
    input, tenancyOf: new Map(input.tenancies.map((t) => [t.vlan, t])), switches: new Map(input.fabric.switches.map((s) => [s.id, s])),
    edge: edgePorts(input, fabricPorts), need: new Map(), carry: new Map(),
  };
  spread(ctx);
  const portOps = [...edgeOps(ctx), ...input.fabric.links.flatMap((l) => [...fabricPortOp(ctx, l.a, l.b), ...fabricPortOp(ctx, l.b, l.a)])];
  const focus = focusVlan(input);
  return [...ensureOps(ctx), ...portOps, ...removeOps(ctx, portOps)]
    .filter((p) => focus === undefined || p.vlans.includes(focus))
    .sort(byOrder)
    .map((p) => p.op);
}
