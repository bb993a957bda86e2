// The Redfish BMC simulator's installer model on the wire: a power on from the inserted CD runs the installer, which calls onInstall and powers the host off.

import axios, { type AxiosResponse } from 'axios';
import { Agent } from 'node:https';
import { type RedfishSimulator, type RedfishSimulatorOptions, type SimBoot, startRedfishSimulator } from '../../lab/src/redfish-bmc/server';

const SYSTEM = '/redfish/v1/Systems/1';
const CD = '/redfish/v1/Managers/1/VirtualMedia/Cd';
const IMAGE = 'https://198.18.0.1/images/debian-12.iso';
const BASIC = `Basic ${Buffer.from('admin:password').toString('base64')}`;
const sims: RedfishSimulator[] = [];
afterEach(async () => {
  for (const sim of sims.splice(0)) await sim.close();
});

async function start(opts: RedfishSimulatorOptions = {}): Promise<RedfishSimulator> {
  const sim = await startRedfishSimulator({ powerDelayMs: 50, installMs: 150, ...opts });
  sims.push(sim);
  return sim;
}

function call(sim: RedfishSimulator, method: string, path: string, data?: unknown): Promise<AxiosResponse> {
  const httpsAgent = new Agent({ ca: sim.certPem });
  return axios.request({ baseURL: sim.endpoint, url: path, method, data, headers: { Authorization: BASIC }, httpsAgent, proxy: false, validateStatus: () => true });
}

async function expectStatus(res: Promise<AxiosResponse>, status: number): Promise<void> {
  expect((await res).status).toBe(status);
}

/** What an engine does before an install: media in, boot from it once, power on. */
async function bootInstaller(sim: RedfishSimulator, enabled: 'Once' | 'Continuous' = 'Once'): Promise<void> {
  await expectStatus(call(sim, 'POST', `${CD}/Actions/VirtualMedia.InsertMedia`, { Image: IMAGE, Inserted: true, WriteProtected: true }), 204);
  await expectStatus(call(sim, 'PATCH', SYSTEM, { Boot: { BootSourceOverrideTarget: 'Cd', BootSourceOverrideEnabled: enabled } }), 204);
  await expectStatus(call(sim, 'POST', `${SYSTEM}/Actions/ComputerSystem.Reset`, { ResetType: 'On' }), 204);
}

const reset = (sim: RedfishSimulator, type: string) => expectStatus(call(sim, 'POST', `${SYSTEM}/Actions/ComputerSystem.Reset`, { ResetType: type }), 204);
const system = async (sim: RedfishSimulator) => (await call(sim, 'GET', SYSTEM)).data;

/** Polls PowerState until it is `state` or `ms` passed; returns the last one seen. */
async function powerStateAfter(sim: RedfishSimulator, state: string, ms: number): Promise<string> {
  const until = Date.now() + ms;
  for (;;) {
    const seen = (await system(sim)).PowerState;
    if (seen === state || Date.now() > until) return seen;
    await new Promise((r) => setTimeout(r, 20));
  }
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('a power on from the inserted CD runs the installer: onInstall gets the image URL, then the host powers itself off', async () => {
  const installed: string[] = [];
  const power: Array<[string, SimBoot]> = [];
  const sim = await start({ onInstall: (url) => void installed.push(url), onPowerChange: (s, boot) => void power.push([s, boot]) });
  await bootInstaller(sim);
  expect(await powerStateAfter(sim, 'On', 2000)).toBe('On');
  // The one-time override is consumed by the boot, as a BMC does; the target stays.
  expect((await system(sim)).Boot).toMatchObject({ BootSourceOverrideTarget: 'Cd', BootSourceOverrideEnabled: 'Disabled' });
  expect(sim.state.installs).toEqual([expect.objectContaining({ image: IMAGE, outcome: 'running' })]);
  expect(await powerStateAfter(sim, 'Off', 2000)).toBe('Off');
  expect(installed).toEqual([IMAGE]);
  expect(sim.state.installs).toEqual([expect.objectContaining({ image: IMAGE, outcome: 'installed', endedAt: expect.any(String) })]);
  expect(power).toEqual([['On', { source: 'Cd', installerImage: IMAGE }], ['Off', { source: 'None' }]]);
  // The media stays inserted (the engine ejects it); the next power on boots the disk and installs nothing.
  expect((await call(sim, 'GET', CD)).data).toMatchObject({ Image: IMAGE, Inserted: true });
  await reset(sim, 'On');
  expect(await powerStateAfter(sim, 'On', 2000)).toBe('On');
  await settle(300);
  expect(sim.state.powerState).toBe('On');
  expect(power[2]).toEqual(['On', { source: 'None' }]);
  expect(sim.state.installs).toHaveLength(1);
});

test('onInstall may be async: the host powers off only after it resolves', async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const sim = await start({ onInstall: () => gate });
  await bootInstaller(sim);
  expect(await powerStateAfter(sim, 'On', 2000)).toBe('On');
  await settle(400);
  expect(sim.state.powerState).toBe('On');
  release();
  expect(await powerStateAfter(sim, 'Off', 2000)).toBe('Off');
  expect(sim.state.installs[0].outcome).toBe('installed');
});

test.each([
  ['no media inserted', async (sim: RedfishSimulator) => {
    await expectStatus(call(sim, 'PATCH', SYSTEM, { Boot: { BootSourceOverrideTarget: 'Cd', BootSourceOverrideEnabled: 'Once' } }), 204);
  }],
  ['the override on Hdd', async (sim: RedfishSimulator) => {
    await expectStatus(call(sim, 'POST', `${CD}/Actions/VirtualMedia.InsertMedia`, { Image: IMAGE }), 204);
    await expectStatus(call(sim, 'PATCH', SYSTEM, { Boot: { BootSourceOverrideTarget: 'Hdd', BootSourceOverrideEnabled: 'Once' } }), 204);
  }],
  ['no override in effect', async (sim: RedfishSimulator) => {
    await expectStatus(call(sim, 'POST', `${CD}/Actions/VirtualMedia.InsertMedia`, { Image: IMAGE }), 204);
    await expectStatus(call(sim, 'PATCH', SYSTEM, { Boot: { BootSourceOverrideTarget: 'Cd', BootSourceOverrideEnabled: 'Disabled' } }), 204);
  }],
])('with %s a power on boots the disk: no installer, the host stays on', async (_name, arrange) => {
  const installed: string[] = [];
  const sim = await start({ onInstall: (url) => void installed.push(url) });
  await arrange(sim);
  await reset(sim, 'On');
  expect(await powerStateAfter(sim, 'On', 2000)).toBe('On');
  await settle(400);
  expect(sim.state.powerState).toBe('On');
  expect(installed).toEqual([]);
  expect(sim.state.installs).toEqual([]);
  expect(sim.state.boot.enabled).toBe('Disabled');
});

test('a continuous CD override installs on every boot (a one-time one only once)', async () => {
  const installed: string[] = [];
  const sim = await start({ onInstall: (url) => void installed.push(url) });
  await bootInstaller(sim, 'Continuous');
  expect(await powerStateAfter(sim, 'Off', 3000)).toBe('Off');
  expect(sim.state.boot.enabled).toBe('Continuous');
  await reset(sim, 'On');
  await settle(100);
  expect(await powerStateAfter(sim, 'Off', 3000)).toBe('Off');
  expect(installed).toEqual([IMAGE, IMAGE]);
});

test('ForceRestart boots the installer too; powering off while it runs interrupts it (onInstall never called)', async () => {
  const installed: string[] = [];
  const sim = await start({ initialPowerState: 'On', installMs: 400, onInstall: (url) => void installed.push(url) });
  await expectStatus(call(sim, 'POST', `${CD}/Actions/VirtualMedia.InsertMedia`, { Image: IMAGE }), 204);
  await expectStatus(call(sim, 'PATCH', SYSTEM, { Boot: { BootSourceOverrideTarget: 'Cd', BootSourceOverrideEnabled: 'Once' } }), 204);
  await reset(sim, 'ForceRestart');
  await settle(150);
  expect(sim.state.installs).toEqual([expect.objectContaining({ outcome: 'running' })]);
  await reset(sim, 'ForceOff');
  expect(await powerStateAfter(sim, 'Off', 2000)).toBe('Off');
  await settle(500);
  expect(installed).toEqual([]);
  expect(sim.state.installs).toEqual([expect.objectContaining({ outcome: 'interrupted' })]);
});

describe('installer faults', () => {
  test('hang: the installer never finishes and the host stays on until powered off', async () => {
    const installed: string[] = [];
    const sim = await start({ installFault: 'hang', onInstall: (url) => void installed.push(url) });
    await bootInstaller(sim);
    expect(await powerStateAfter(sim, 'On', 2000)).toBe('On');
    await settle(500);
    expect(sim.state.powerState).toBe('On');
    expect(sim.state.installs).toEqual([expect.objectContaining({ outcome: 'running' })]);
    await reset(sim, 'ForceOff');
    expect(await powerStateAfter(sim, 'Off', 2000)).toBe('Off');
    expect(installed).toEqual([]);
    expect(sim.state.installs[0].outcome).toBe('interrupted');
  });

  test('fail: the host powers itself off after installMs without installing (onInstall is not called)', async () => {
    const installed: string[] = [];
    const sim = await start({ installFault: 'fail', onInstall: (url) => void installed.push(url) });
    await bootInstaller(sim);
    expect(await powerStateAfter(sim, 'On', 2000)).toBe('On');
    expect(await powerStateAfter(sim, 'Off', 2000)).toBe('Off');
    expect(installed).toEqual([]);
    expect(sim.state.installs).toEqual([expect.objectContaining({ outcome: 'failed', error: expect.stringContaining('injected fault') })]);
  });

  test('the fault can be changed at run time through state.installFault; it applies to installs that start later', async () => {
    const installed: string[] = [];
    const sim = await start({ onInstall: (url) => void installed.push(url) });
    sim.state.installFault = 'fail';
    await bootInstaller(sim);
    expect(await powerStateAfter(sim, 'Off', 3000)).toBe('Off');
    sim.state.installFault = undefined;
    await expectStatus(call(sim, 'PATCH', SYSTEM, { Boot: { BootSourceOverrideTarget: 'Cd', BootSourceOverrideEnabled: 'Once' } }), 204);
    await reset(sim, 'On');
    await settle(100);
    expect(await powerStateAfter(sim, 'Off', 3000)).toBe('Off');
    expect(sim.state.installs.map((i) => i.outcome)).toEqual(['failed', 'installed']);
    expect(installed).toEqual([IMAGE]);
  });

  test('an onInstall that throws stops the installer: the host stays on and the error is recorded', async () => {
    const sim = await start({ onInstall: () => Promise.reject(new Error('disk is read-only')) });
    await bootInstaller(sim);
    expect(await powerStateAfter(sim, 'On', 2000)).toBe('On');
    await settle(500);
    expect(sim.state.powerState).toBe('On');
    expect(sim.state.installs).toEqual([expect.objectContaining({ outcome: 'failed', error: 'onInstall: disk is read-only' })]);
    expect(sim.state.lastHookError).toBe('disk is read-only');
  });
});
