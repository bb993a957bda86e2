// maestro_switch_port hands its handler signal (Ctrl-C, timeouts) to the engine calls that run jobs, so an
// interrupted apply or destroy cancels the engine's job; an aborted call becomes an error diagnostic.

import type { PortConfig } from '../../engine/src/domain/port-config';
import { Diagnostics } from '../../provider-shim/src/framework/diagnostics';
import type { ObjectValue } from '../../provider-shim/src/framework/resource';
import type { EnginePort, MaestroClient, PortRequest } from '../../provider-shim/src/resources/engine';
import { switchPort } from '../../provider-shim/src/resources/switch-port';

const access10: PortConfig = { mode: 'access', accessVlan: 10, allowedVlans: null, nativeVlan: null, mtu: 1500, description: '', adminState: 'up' };
const planned: ObjectValue = {
  id: null, switch: 'leaf1', port: 'Ethernet1', mode: 'access', access_vlan: 10, allowed_vlans: null,
  native_vlan: null, mtu: 1500, description: '', admin_state: 'up', timeouts: null,
};

/** Records the signal each job call got; `hold` keeps calls pending until their signal aborts, as the engine would. */
class SignalRecordingEngine implements MaestroClient {
  signals: Array<[string, AbortSignal | undefined]> = [];
  hold = false;

  async validatePortConfig() {
    return { violations: [] };
  }
  async getPort(req: { switchId: string; port: string }): Promise<EnginePort> {
    return { ...req, config: access10, owner: '' };
  }
  applyPortConfig(req: PortRequest, opts?: { signal?: AbortSignal }) {
    return this.job('apply', opts?.signal, { jobId: 'j1', port: { switchId: req.switchId, port: req.port, config: req.config, owner: req.owner } });
  }
  releasePort(req: { switchId: string; port: string }, opts?: { signal?: AbortSignal }) {
    return this.job('release', opts?.signal, { jobId: 'j2', port: { ...req, config: { ...access10, accessVlan: 999 }, owner: '' } });
  }
  private job<T>(name: string, signal: AbortSignal | undefined, result: T): Promise<T> {
    this.signals.push([name, signal]);
    if (!this.hold) return Promise.resolve(result);
    return new Promise((_resolve, reject) => signal?.addEventListener('abort', () =>
      reject(Object.assign(new Error(`ApplyPortConfig was cancelled (${(signal.reason as Error).message})`), { code: 'aborted', violations: [] }))));
  }
}

function applyCtx(engine: SignalRecordingEngine, prior: ObjectValue | null) {
  const ctrl = new AbortController();
  return { ctrl, ctx: { client: engine, diags: new Diagnostics(), signal: ctrl.signal, timeoutMs: 300_000, prior, planned, config: planned, private: {} } };
}

test.each([
  ['create', 'apply', (e: SignalRecordingEngine) => applyCtx(e, null), (c: any) => switchPort.create(c)],
  ['update', 'apply', (e: SignalRecordingEngine) => applyCtx(e, { ...planned, access_vlan: 20 }), (c: any) => switchPort.update(c)],
  ['delete', 'release', (e: SignalRecordingEngine) => applyCtx(e, planned), (c: any) => switchPort.delete(c)],
])('%s passes its handler signal to the engine call', async (_op, call, makeCtx, run) => {
  const engine = new SignalRecordingEngine();
  const { ctx } = makeCtx(engine);
  await run(ctx);
  expect(engine.signals).toEqual([[call, ctx.signal]]);
  expect(ctx.diags.items).toEqual([]);
});

test('a Ctrl-C during create cancels the engine call and reports the cancellation, with no state', async () => {
  const engine = new SignalRecordingEngine();
  engine.hold = true;
  const { ctrl, ctx } = applyCtx(engine, null);
  const created = switchPort.create(ctx);
  ctrl.abort(new Error('terraform asked the provider to stop'));
  expect(await created).toBeNull();
  expect(ctx.diags.items).toEqual([expect.objectContaining({
    summary: 'Maestro engine: create failed', detail: 'ApplyPortConfig was cancelled (terraform asked the provider to stop)',
  })]);
});
