// The port job kinds (`port.configure`, `port.release`): validate, read the current config, then apply + save +
// read back through the switch gateway (batched with other jobs' ports); the undo puts the previous config back.

import { z } from 'zod';
import { validatePortConfig, type PortConfig } from '../domain/port-config';
import { ViolationsError } from '../domain/violations-error';
import type { Store } from '../store/store';
import { audited } from './audit';
import type { JobKind, StepContext } from './job-kind';
import type { SwitchGateway } from './switch-gateway';

export type PortJobKind = 'port.configure' | 'port.release';

/** What a port job is asked to do (journaled as its input). */
export interface PortJobInput {
  switchId: string;
  port: string;
  config: PortConfig;
  /** The port's owner once the change succeeds; null releases it. */
  owner: string | null;
  /** The dialect's description limit, checked by the validate step. */
  descriptionMax: number;
}

export interface PortServices {
  store: Store;
  switches: SwitchGateway;
}

/** Who held the port before the job, so an undo gives it back. */
interface PreviousOwnership {
  owner: string | null;
  desired: PortConfig | null;
}

const vlan = z.number().int().nullable();
const inputSchema = z.object({
  switchId: z.string().min(1),
  port: z.string().min(1),
  config: z.object({
    mode: z.enum(['access', 'trunk']), accessVlan: vlan, allowedVlans: z.array(z.number().int()).nullable(), nativeVlan: vlan,
    mtu: z.number().int(), description: z.string(), adminState: z.enum(['up', 'down']),
  }),
  owner: z.string().nullable(),
  descriptionMax: z.number().int().positive(),
});

const show = (cfg: unknown) => JSON.stringify(cfg ?? null);

type Ctx = StepContext<PortJobInput, PortServices>;

/** The job's read-back result: what ApplyPortConfig and ReleasePort answer with. */
export const portAfter = (outputs: Record<string, unknown>) => outputs.apply as PortConfig;

function portKind(kind: PortJobKind): JobKind<PortJobInput, PortServices> {
  return {
    kind,
    // The caller that asked for the change is gone after a restart; put the port back as it was.
    recovery: 'compensate',
    parse: (raw) => inputSchema.parse(raw) as PortJobInput,
    steps: ({ switchId, port, config, owner, descriptionMax }) => [
      {
        name: 'validate',
        device: () => null,
        do: async (ctx: Ctx) => {
          const violations = validatePortConfig(config, { descriptionMax });
          if (violations.length > 0) throw new ViolationsError(violations);
          const record = await ctx.services.store.getPort(switchId, port);
          if (!record) throw new ViolationsError([{ field: 'port', reason: `switch "${switchId}" has no port "${port}" in inventory` }]);
          const previous: PreviousOwnership = { owner: record.owner, desired: record.desired };
          return { detail: `owner before: ${record.owner ?? '(none)'}`, output: previous };
        },
      },
      {
        name: 'read-current',
        device: () => switchId,
        do: async (ctx: Ctx) => {
          const before = await ctx.services.switches.readPort(switchId, port);
          return { detail: `before: ${show(before)}`, output: before };
        },
      },
      {
        name: 'apply',
        device: () => switchId,
        do: async (ctx: Ctx) => {
          const after = await audited(ctx, {
            what: `${kind} ${switchId}/${port}`, device: switchId, before: ctx.outputs['read-current'],
            run: () => ctx.services.switches.writePort(switchId, port, config),
            ownership: { switchId, port, owner, desired: owner === null ? null : config },
          });
          return { detail: `applied, saved and read back: ${show(after)}`, output: after };
        },
        undo: async (ctx: Ctx) => {
          const before = ctx.outputs['read-current'] as PortConfig | undefined;
          if (!before) return 'nothing to restore: the port was never read';
          const previous = ctx.outputs.validate as PreviousOwnership;
          await audited(ctx, {
            what: `${kind} undo ${switchId}/${port}`, device: switchId, before: config,
            run: () => ctx.services.switches.writePort(switchId, port, before),
            ownership: { switchId, port, owner: previous.owner, desired: previous.desired },
          });
          return `restored and saved: ${show(before)}`;
        },
      },
    ],
  };
}

export const portConfigureKind = portKind('port.configure');
export const portReleaseKind = portKind('port.release');
