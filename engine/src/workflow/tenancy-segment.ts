// Tenancy segments on switches: the leaves a tenancy spans, and the steps that create or remove its VLAN on one leaf.

import { DeviceError, type SwitchDriver } from '../drivers/switch/driver';
import type { Store } from '../store/store';
import { audited } from './audit';
import type { StepContext, StepDef } from './job-kind';
import type { WorkflowServices } from './services';

/** The switches a tenancy's segment spans: every leaf, or every switch when the inventory gives no roles. */
export async function leafSwitches(store: Store): Promise<string[]> {
  const placement = await store.allocation.listSwitchPlacement();
  const roled = placement.some((p) => p.role !== null);
  return placement.filter((p) => !roled || p.role === 'leaf').map((p) => p.switchId);
}

/** What a segment step needs to know about the VLAN. */
export interface SegmentSpec {
  vlan: number;
  vni: number;
  /** `tenancy-<name>`. */
  name: string;
}

type Ctx<I> = StepContext<I, WorkflowServices>;

/** Runs `fn` on a fresh session to the switch, closing it afterwards. */
async function onSwitch<T>(ctx: Ctx<unknown>, switchId: string, fn: (driver: SwitchDriver) => Promise<T>): Promise<T> {
  const driver = await ctx.services.openSwitch(switchId);
  try {
    return await fn(driver);
  } finally {
    await driver.close().catch(() => undefined);
  }
}

/** Creates and names the VLAN, saves, and checks it is listed; resolves with whether it was there before. */
async function ensureSegment(ctx: Ctx<unknown>, switchId: string, seg: SegmentSpec): Promise<{ existed: boolean }> {
  return onSwitch(ctx, switchId, async (driver) => {
    const existed = (await driver.listVlans()).includes(seg.vlan);
    await audited(ctx, {
      what: `vlan.ensure ${seg.vlan} ${seg.name} vni ${seg.vni}`, device: switchId, before: existed ? { vlan: seg.vlan } : null,
      run: async () => {
        await driver.ensureVlan(seg.vlan, seg.name, { vni: seg.vni });
        await driver.save();
        if (!(await driver.listVlans()).includes(seg.vlan)) throw new DeviceError(`VLAN ${seg.vlan} is missing after it was created and saved`, switchId, false);
      },
      after: () => ({ vlan: seg.vlan, name: seg.name, vni: seg.vni }),
    });
    return { existed };
  });
}

/** Deletes the VLAN (absent = success), saves, and checks it is gone. */
async function removeSegment(ctx: Ctx<unknown>, switchId: string, seg: SegmentSpec): Promise<void> {
  await onSwitch(ctx, switchId, async (driver) => {
    if (!(await driver.listVlans()).includes(seg.vlan)) return;
    await audited(ctx, {
      what: `vlan.remove ${seg.vlan} ${seg.name}`, device: switchId, before: { vlan: seg.vlan, name: seg.name },
      run: async () => {
        await driver.removeVlan(seg.vlan);
        await driver.save();
        if ((await driver.listVlans()).includes(seg.vlan)) throw new DeviceError(`VLAN ${seg.vlan} is still listed after it was removed and saved`, switchId, false);
      },
      after: () => null,
    });
  });
}

const vlanLock = (switchId: string) => [`switch-vlans:${switchId}`];

/**
 * The step that puts the segment on one switch. Its undo removes the VLAN
 * unless it was already there before the step (someone else's VLAN stays).
 */
export function ensureSegmentStep<I>(switchId: string, seg: (ctx: Ctx<I>) => SegmentSpec): StepDef<I, WorkflowServices> {
  return {
    name: `segment ${switchId}`,
    device: () => switchId,
    locks: () => vlanLock(switchId),
    do: async (ctx) => {
      const spec = seg(ctx);
      const { existed } = await ensureSegment(ctx, switchId, spec);
      return { detail: `VLAN ${spec.vlan} "${spec.name}" (VNI ${spec.vni}) ${existed ? 'was there; renamed' : 'created'} and saved`, output: { existed } };
    },
    undo: async (ctx) => {
      const spec = seg(ctx);
      if ((ctx.outputs[`segment ${switchId}`] as { existed?: boolean } | undefined)?.existed) return `VLAN ${spec.vlan} was there before: kept`;
      await removeSegment(ctx, switchId, spec);
      return `VLAN ${spec.vlan} removed and saved`;
    },
  };
}

/** The step that removes the segment from one switch; its undo puts it back. */
export function removeSegmentStep<I>(switchId: string, seg: (ctx: Ctx<I>) => SegmentSpec): StepDef<I, WorkflowServices> {
  return {
    name: `unsegment ${switchId}`,
    device: () => switchId,
    locks: () => vlanLock(switchId),
    do: async (ctx) => {
      const spec = seg(ctx);
      await removeSegment(ctx, switchId, spec);
      return `VLAN ${spec.vlan} removed and saved`;
    },
    undo: async (ctx) => {
      const spec = seg(ctx);
      await ensureSegment(ctx, switchId, spec);
      return `VLAN ${spec.vlan} "${spec.name}" put back and saved`;
    },
  };
}
