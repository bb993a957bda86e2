// RunDoctor: reads the store and every switch (its own read-only session per switch) and reports orphans.

import { runDoctor, type ReadSwitch } from '../doctor';
import type { SwitchRecord } from '../store/store';
import { openSwitch, type EngineContext } from './engine-context';

type Handler = (ctx: EngineContext, req: any) => Promise<object>;

/** Reads VLANs and ports in one session, closing it whatever happens. */
export const readSwitch = (ctx: EngineContext): ReadSwitch => async (sw: SwitchRecord, ports: string[]) => {
  const driver = await openSwitch(ctx, sw);
  try {
    return { vlans: await driver.listVlans(), ports: await driver.readPorts(ports) };
  } finally {
    await driver.close().catch((err) => ctx.logger.warn('closing the switch session failed', { switch: sw.id, error: String(err) }));
  }
};

/** The doctor RPC by proto method name; server.ts registers it. */
export const doctorRpcs: Record<string, Handler> = {
  RunDoctor: (ctx) => runDoctor(ctx.store, readSwitch(ctx)),
};
