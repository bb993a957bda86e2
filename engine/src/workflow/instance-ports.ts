// The switch ports of an instance's server: moving every cabled NIC's port into a segment for the instance, and back to quarantine.

import { quarantineConfig, type PortConfig } from '../domain/port-config';
import type { ServerRecord } from '../store/allocation-store';
import { audited } from './audit';
import { errorText } from './job-errors';
import { ownerOf, type InstanceCtx } from './instance-record';

/** A NIC with the switch port it is cabled to. */
export interface CabledNic {
  nic: string;
  switchId: string;
  port: string;
}

export const cabledNics = (server: ServerRecord): CabledNic[] => server.nics.flatMap((n) => (n.cabledTo ? [{ nic: n.name, ...n.cabledTo }] : []));

/** The switches the server's NICs are cabled to, as a step's device (`leaf1, leaf2`). */
export const portsDevice = (ports: CabledNic[], serverId: string): string =>
  ports.length > 0 ? [...new Set(ports.map((p) => p.switchId))].join(', ') : `switch ports of ${serverId}`;

/** The VLAN of a well-known segment; throws naming the inventory key when it is missing. */
export async function segmentVlan(ctx: InstanceCtx, name: 'quarantine' | 'provisioning'): Promise<number> {
  const seg = await ctx.services.store.getSegment(name);
  if (!seg) throw new Error(`no ${name} segment in inventory (segments.${name})`);
  return seg.vlan;
}

/** An access port in `vlan`, up, jumbo frames (the tenancy MTU is at most the port's). */
export function accessPort(vlan: number, description: string): PortConfig {
  return { mode: 'access', accessVlan: vlan, allowedVlans: null, nativeVlan: null, mtu: 9000, description, adminState: 'up' };
}

/** One port write through the batching gateway, audited with its ownership change; errors name the port and NIC. */
async function writePort(ctx: InstanceCtx, p: CabledNic, what: string, before: PortConfig | null, config: PortConfig, owner: string | null): Promise<void> {
  await audited(ctx, {
    what: `${what} ${p.switchId}/${p.port}`, device: p.switchId, before,
    run: () => ctx.services.switches.writePort(p.switchId, p.port, config),
    ownership: { switchId: p.switchId, port: p.port, owner, desired: owner === null ? null : config },
  }).catch((err: unknown) => {
    throw Object.assign(new Error(`port ${p.switchId}/${p.port} (NIC ${p.nic}): ${errorText(err)}`), { retryable: (err as { retryable?: boolean })?.retryable === true });
  });
}

/**
 * Puts every cabled NIC's port into access VLAN `vlan` (`purpose`: the
 * segment, for the audit and the port description), owned by the instance.
 * Refuses (before writing anything) a port another owner holds. The gateway
 * batches the ports of one switch into one session and save.
 */
export async function movePorts(ctx: InstanceCtx, server: ServerRecord, vlan: number, purpose: 'provisioning' | 'tenancy'): Promise<string> {
  const label = purpose === 'provisioning' ? 'provisioning' : ctx.input.instanceId;
  const ports = cabledNics(server);
  const records = await Promise.all(ports.map((p) => ctx.services.store.getPort(p.switchId, p.port)));
  ports.forEach((p, i) => {
    const holder = records[i]?.owner;
    if (holder && holder !== ownerOf(ctx)) throw new Error(`port ${p.switchId}/${p.port} (NIC ${p.nic} of ${server.id}) is owned by "${holder}"`);
  });
  await Promise.all(ports.map((p, i) =>
    writePort(ctx, p, `port to ${purpose} VLAN ${vlan}`, records[i]?.desired ?? null, accessPort(vlan, `${server.id} ${p.nic} ${label}`), ownerOf(ctx))));
  return `${ports.map((p) => `${p.switchId}/${p.port}`).join(', ') || 'no cabled NICs'} in ${purpose} VLAN ${vlan}`;
}

/**
 * Puts the server's ports back into quarantine and drops the instance's
 * ownership. Ports another owner holds are left alone (and named in the
 * result); unowned ports are quarantined too, as a move interrupted before
 * its ownership was recorded leaves them so.
 */
export async function quarantinePorts(ctx: InstanceCtx, server: ServerRecord): Promise<string> {
  const vlan = await segmentVlan(ctx, 'quarantine');
  const ports = cabledNics(server);
  const records = await Promise.all(ports.map((p) => ctx.services.store.getPort(p.switchId, p.port)));
  const ours = ports.filter((_, i) => !records[i]?.owner || records[i]?.owner === ownerOf(ctx));
  const others = ports.filter((p) => !ours.includes(p));
  await Promise.all(ours.map((p) => writePort(ctx, p, 'port to quarantine', records[ports.indexOf(p)]?.desired ?? null, quarantineConfig(vlan), null)));
  const left = others.length > 0 ? `; left alone (owned by others): ${others.map((p) => `${p.switchId}/${p.port}`).join(', ')}` : '';
  return `${ours.map((p) => `${p.switchId}/${p.port}`).join(', ') || 'no ports'} quarantined (VLAN ${vlan})${left}`;
}
