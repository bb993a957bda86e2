// The port jobs (`port.configure`, `port.release`): validate, read, ensure VLANs, configure, save, verify.

import { samePortConfig, validatePortConfig, type PortConfig } from '../domain/port-config';
import { ViolationsError } from '../domain/violations-error';
import { DeviceError } from '../drivers/switch/driver';
import type { JobSpec, Step } from './executor';
import type { SwitchSession } from './switch-session';

export interface PortJobRequest {
  kind: 'port.configure' | 'port.release';
  switchId: string;
  port: string;
  config: PortConfig;
  descriptionMax: number;
  timeoutMs: number;
}

/** Filled in while the job runs: the port before the change and as read back after it. */
export interface PortJobContext {
  session: SwitchSession;
  before?: PortConfig;
  after?: PortConfig;
}

/** Every VLAN a config needs to exist on the switch. */
export function vlansOf(cfg: PortConfig): number[] {
  const all = cfg.mode === 'access' ? [cfg.accessVlan] : [...(cfg.allowedVlans ?? []), cfg.nativeVlan];
  return [...new Set(all.filter((v): v is number => v !== null))].sort((a, b) => a - b);
}

const show = (cfg: PortConfig | undefined) => JSON.stringify(cfg ?? null);

/**
 * The steps that make `req.port` match `req.config` on the device. A failing
 * step after `configure` puts the port's previous config back (and saves it).
 */
export function portJob(req: PortJobRequest): JobSpec<PortJobContext> {
  const { switchId: device, port, config } = req;
  const readPort = async (ctx: PortJobContext): Promise<PortConfig> => {
    const found = (await (await ctx.session.get()).readPorts([port])).get(port);
    if (!found) throw new DeviceError(`port ${port} was not in the device's answer`, device, false);
    return found;
  };
  const steps: Step<PortJobContext>[] = [
    {
      name: 'validate',
      device: null,
      do: async () => {
        const violations = validatePortConfig(config, { descriptionMax: req.descriptionMax });
        if (violations.length > 0) throw new ViolationsError(violations);
      },
    },
    {
      name: 'read-current',
      device,
      do: async (ctx) => {
        ctx.before = await readPort(ctx);
        return `before: ${show(ctx.before)}`;
      },
    },
    {
      name: 'ensure-vlans',
      device,
      do: async (ctx) => {
        const driver = await ctx.session.get();
        const present = new Set(await driver.listVlans());
        const missing = vlansOf(config).filter((v) => !present.has(v));
        for (const v of missing) await driver.ensureVlan(v, `maestro-${v}`);
        return missing.length > 0 ? `created VLAN ${missing.join(', ')}` : 'all VLANs present';
      },
    },
    {
      name: 'configure',
      device,
      do: async (ctx) => {
        await (await ctx.session.get()).configurePorts([{ port, config }]);
        return `applied: ${show(config)}`;
      },
      undo: async (ctx) => {
        const driver = await ctx.session.get();
        await driver.configurePorts([{ port, config: ctx.before! }]);
        await driver.save();
        return `restored and saved: ${show(ctx.before)}`;
      },
    },
    { name: 'save', device, do: async (ctx) => (await ctx.session.get()).save() },
    {
      name: 'verify',
      device,
      do: async (ctx) => {
        ctx.after = await readPort(ctx);
        if (!samePortConfig(ctx.after, config)) {
          throw new DeviceError(`port ${port} reads back differently: applied ${show(config)}, device has ${show(ctx.after)}`, device, false);
        }
        return 'read-back matches';
      },
    },
  ];
  return { kind: req.kind, input: { switch_id: device, port, config }, timeoutMs: req.timeoutMs, steps };
}
