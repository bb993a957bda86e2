// PortReads (one provider process's port reads) against a fake engine: one getPorts per switch for a refresh,
// port by port where the switch cannot answer whole, failures kept to their own port, forget and expiry.

import type { PortConfig } from '../../engine/src/domain/port-config';
import type { EnginePort } from '../../provider-shim/src/resources/engine';
import { PortReads } from '../../provider-shim/src/resources/port-reads';
import { switchPort } from '../../provider-shim/src/resources/switch-port';
import { Diagnostics } from '../../provider-shim/src/framework/diagnostics';
import type { ObjectValue } from '../../provider-shim/src/framework/resource';

const access = (vlan: number, description = ''): PortConfig => ({ mode: 'access', accessVlan: vlan, allowedVlans: null, nativeVlan: null, mtu: 1500, description, adminState: 'up' });

/** An engine whose switches hold ports; `whole` switches answer every port, the others only the asked ones. */
class FakeEngine {
  calls: string[] = [];
  readonly ports = new Map<string, Map<string, PortConfig>>([
    ['leaf1', new Map([['Ethernet1', access(10)], ['Ethernet2', access(20)], ['Ethernet3', access(30)]])],
    ['leaf2', new Map([['Ethernet1', access(40)], ['Ethernet2', access(50)]])],
  ]);
  whole = new Set(['leaf1']);

  async getPorts({ switchId, ports, wholeSwitch }: { switchId: string; ports: string[]; wholeSwitch?: boolean }): Promise<EnginePort[]> {
    this.calls.push(`${switchId}:${ports.join(',')}${wholeSwitch ? '+switch' : ''}`);
    await new Promise((r) => setTimeout(r, 5));
    const sw = this.ports.get(switchId)!;
    const missing = ports.find((p) => !sw.has(p));
    if (missing) throw Object.assign(new Error(`switch ${switchId} has no port "${missing}"`), { code: 'not_found', violations: [] });
    const names = wholeSwitch && this.whole.has(switchId) ? [...sw.keys()] : ports;
    return names.map((port) => ({ switchId, port, config: structuredClone(sw.get(port)!), owner: '' }));
  }
}

let engine: FakeEngine;
let reads: PortReads;
beforeEach(() => {
  engine = new FakeEngine();
  reads = new PortReads(engine);
});

const descriptions = (ports: EnginePort[]) => ports.map((p) => `${p.switchId}/${p.port}=${p.config.accessVlan}`);

test('concurrent and later reads of a switch that answers whole cost one call', async () => {
  const first = await Promise.all(['Ethernet1', 'Ethernet2'].map((p) => reads.read('leaf1', p)));
  const later = await reads.read('leaf1', 'Ethernet3');
  expect(descriptions([...first, later])).toEqual(['leaf1/Ethernet1=10', 'leaf1/Ethernet2=20', 'leaf1/Ethernet3=30']);
  expect(engine.calls).toEqual(['leaf1:Ethernet1+switch']);
});

test('each switch is read for itself', async () => {
  await Promise.all([reads.read('leaf1', 'Ethernet1'), reads.read('leaf2', 'Ethernet1')]);
  expect(engine.calls.sort()).toEqual(['leaf1:Ethernet1+switch', 'leaf2:Ethernet1+switch']);
});

test('a switch that answers only the asked port is then read port by port, without the whole-switch flag', async () => {
  await reads.read('leaf2', 'Ethernet1');
  engine.ports.get('leaf2')!.set('Ethernet1', access(41));
  expect((await reads.read('leaf2', 'Ethernet1')).config.accessVlan).toBe(41);
  await reads.read('leaf2', 'Ethernet2');
  expect(engine.calls).toEqual(['leaf2:Ethernet1+switch', 'leaf2:Ethernet1', 'leaf2:Ethernet2']);
});

test("a failed read fails only its own port: a read waiting on it asks again for its own", async () => {
  const [missing, present] = await Promise.allSettled([reads.read('leaf1', 'Ethernet9'), reads.read('leaf1', 'Ethernet2')]);
  expect(missing).toMatchObject({ status: 'rejected', reason: { code: 'not_found' } });
  expect(present).toMatchObject({ status: 'fulfilled', value: { port: 'Ethernet2' } });
  expect(engine.calls).toEqual(['leaf1:Ethernet9+switch', 'leaf1:Ethernet2+switch']);
});

test('forget() makes the next read ask the engine again (this process changed the switch)', async () => {
  await reads.read('leaf1', 'Ethernet1');
  engine.ports.get('leaf1')!.set('Ethernet2', access(21));
  reads.forget('leaf1');
  expect((await reads.read('leaf1', 'Ethernet2')).config.accessVlan).toBe(21);
  expect(engine.calls).toHaveLength(2);
});

test('an answer older than freshMs is not used', async () => {
  reads = new PortReads(engine, 20);
  await reads.read('leaf1', 'Ethernet1');
  await new Promise((r) => setTimeout(r, 40));
  await reads.read('leaf1', 'Ethernet2');
  expect(engine.calls).toEqual(['leaf1:Ethernet1+switch', 'leaf1:Ethernet2+switch']);
});

describe('maestro_switch_port', () => {
  const state = (port: string, vlan: number): ObjectValue => ({
    id: `leaf1/${port}`, switch: 'leaf1', port, mode: 'access', access_vlan: vlan, allowed_vlans: null, native_vlan: null, mtu: 1500, description: '', admin_state: 'up', timeouts: null,
  });
  /** The fake engine as a whole MaestroClient: port changes apply to its switches. */
  const client = (e: FakeEngine) => Object.assign(e, {
    getPort: async () => {
      throw new Error('read through getPorts');
    },
    validatePortConfig: async () => ({ violations: [] }),
    applyPortConfig: async (req: { switchId: string; port: string; config: PortConfig; owner: string }) => {
      e.ports.get(req.switchId)!.set(req.port, req.config);
      return { jobId: 'j1', port: { switchId: req.switchId, port: req.port, config: req.config, owner: req.owner } };
    },
    releasePort: async () => {
      throw new Error('not in this test');
    },
  });
  const ctx = (c: ReturnType<typeof client>) => ({ client: c, diags: new Diagnostics(), signal: new AbortController().signal, private: {} });

  test('reads a refresh through one getPorts per switch', async () => {
    const c = client(engine);
    const read = await Promise.all(['Ethernet1', 'Ethernet2', 'Ethernet3'].map((p) => switchPort.read({ ...ctx(c), state: state(p, 0) })));
    expect(read.map((s) => s?.access_vlan)).toEqual([10, 20, 30]);
    expect(engine.calls).toEqual(['leaf1:Ethernet1+switch']);
  });

  test('after this process changes a port of the switch, the next read asks the engine again', async () => {
    const c = client(engine);
    await switchPort.read({ ...ctx(c), state: state('Ethernet1', 10) });
    const planned = state('Ethernet2', 22);
    await switchPort.update({ ...ctx(c), prior: state('Ethernet2', 20), planned, config: planned, timeoutMs: 1000 });
    expect((await switchPort.read({ ...ctx(c), state: state('Ethernet2', 22) }))?.access_vlan).toBe(22);
    expect(engine.calls).toEqual(['leaf1:Ethernet1+switch', 'leaf1:Ethernet2+switch']);
  });
});
