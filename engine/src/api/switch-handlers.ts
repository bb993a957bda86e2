// ListSwitches and GetSwitch: inventory as the store knows it, no device access.

import type { SwitchRecord } from '../store/store';
import { descriptionMaxOf, quarantineVlan, requireSwitch, type EngineContext } from './engine-context';
import type { SwitchInfo } from './types';

async function switchInfo(ctx: EngineContext, sw: SwitchRecord, quarantine: number): Promise<SwitchInfo> {
  const ports = await ctx.store.listPorts(sw.id);
  return {
    id: sw.id, dialect: sw.dialect, host: sw.host, sshPort: sw.sshPort,
    descriptionMax: descriptionMaxOf(ctx, sw), quarantineVlan: quarantine,
    ports: ports.map((p) => ({ name: p.name, owner: p.owner ?? '' })),
  };
}

export async function listSwitches(ctx: EngineContext): Promise<SwitchInfo[]> {
  const switches = await ctx.store.listSwitches();
  if (switches.length === 0) return [];
  const quarantine = await quarantineVlan(ctx);
  return Promise.all(switches.map((sw) => switchInfo(ctx, sw, quarantine)));
}

export async function getSwitch(ctx: EngineContext, id: string): Promise<SwitchInfo> {
  return switchInfo(ctx, await requireSwitch(ctx, id), await quarantineVlan(ctx));
}
