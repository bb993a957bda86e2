// maestro_server_instance through the framework server against a fake engine: offline checks on their attribute,
// plan-time engine violations, plan unknowns, apply results consistent with the plan, drift read from the devices and
// repaired by an in-place update, import, delete, and cancellation (Ctrl-C, timeouts) of the engine's jobs.

import { generateKeyPairSync } from 'node:crypto';
import { isUnknown, unknown } from '../../provider-shim/src/cty/types';
import { decodeMsgpack, encodeMsgpack } from '../../provider-shim/src/cty/msgpack';
import { Diagnostics } from '../../provider-shim/src/framework/diagnostics';
import type { ObjectValue, ProviderDef } from '../../provider-shim/src/framework/resource';
import { schemaType } from '../../provider-shim/src/framework/schema';
import { FrameworkServer } from '../../provider-shim/src/framework/server';
import type {
  InstanceClient, InstanceCreateRequest, InstanceInfo, InstanceJobOptions, InstanceUpdateRequest, InstanceValidateRequest,
} from '../../provider-shim/src/resources/engine';
import { hostnameProblem, serverInstance, sshKeyProblem } from '../../provider-shim/src/resources/server-instance';

const TN_WEB = 'tn-0000000000a1';
const TN_DB = 'tn-0000000000b2';
const ED25519 = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILp951dLiajMKxuL1k/G7mUxn6kOmxBYAREaL3GL/uAN alice@laptop';
const ECDSA = 'ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBKz0Gu6nptRo6zudN9Cx/OB1saOARdnsWzDmkUoRP/iDGSMgjPhJjDgHPaTbw9tBEKdmmBpObklLOWhePIZNrtA=';

/** An SSH wire-format blob of length-prefixed fields, base64. */
function blob(...fields: Buffer[]): string {
  return Buffer.concat(fields.flatMap((f) => [Buffer.from([0, 0, 0, 0].map((_, i) => (f.length >>> (24 - 8 * i)) & 0xff)), f])).toString('base64');
}
const str = (s: string) => Buffer.from(s, 'latin1');

/** A real RSA public key as an authorized_keys line (e, n from a generated key). */
function rsaLine(): string {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
  const jwk = publicKey.export({ format: 'jwk' });
  const mpint = (b64url: string) => {
    const b = Buffer.from(b64url, 'base64url');
    return b[0] & 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b;
  };
  return `ssh-rsa ${blob(str('ssh-rsa'), mpint(jwk.e!), mpint(jwk.n!))} bob@host`;
}

const notFound = () => Object.assign(new Error('no instance in-000000000099'), { code: 'not_found', violations: [] });

function info(id: string, req: InstanceCreateRequest, serverId: string): InstanceInfo {
  return {
    id, tenancyId: req.tenancyId, profile: req.profile, serverId, image: req.image, hostname: req.hostname ?? serverId,
    sshAuthorizedKeys: req.sshAuthorizedKeys ?? [], userData: req.userData ?? '', powerState: req.powerState ?? 'on',
    secureEraseOnDelete: req.secureEraseOnDelete ?? true, ipAddress: req.tenancyId === TN_WEB ? '10.64.0.2' : '10.64.1.2', prefixLength: 24,
    gateway: '10.64.0.1', macAddresses: ['02:6c:00:00:00:00'], switchPorts: [{ switchId: 'leaf1', port: 'Ethernet1', nic: 'eth0', mac: '02:6c:00:00:00:00' }],
    bmcEndpoint: `https://127.0.0.1:8443`, state: 'active', stateReason: null, createdAt: '2026-11-27T00:00:00.000Z', jobId: 'j1',
    observedPowerState: '', observedTenancyId: '', drift: [],
  };
}

class FakeInstances implements InstanceClient {
  calls: Array<[string, unknown, unknown?]> = [];
  violations: { field: string; reason: string }[] = [];
  instances = new Map<string, InstanceInfo>();
  /** What the devices show, per instance (observe = true). */
  observed = new Map<string, Pick<InstanceInfo, 'observedPowerState' | 'observedTenancyId' | 'drift'>>();
  /** Job calls stay pending until their signal aborts, as a running engine job does. */
  hold = false;
  signals: AbortSignal[] = [];

  async validateInstance(req: InstanceValidateRequest) {
    this.calls.push(['validate', req]);
    return { violations: this.violations };
  }
  createInstance(req: InstanceCreateRequest, opts?: InstanceJobOptions) {
    this.calls.push(['create', req, { timeoutSeconds: opts?.timeoutSeconds }]);
    const i = info('in-00000000000c', req, req.serverId ?? 'web1');
    return this.job(opts, 'CreateInstance', () => {
      this.instances.set(i.id, i);
      return { jobId: 'j1', instance: i };
    });
  }
  async getInstance(id: string, opts?: { observe?: boolean }) {
    this.calls.push(['get', id, opts]);
    const i = this.instances.get(id);
    if (!i) throw notFound();
    const seen = this.observed.get(id) ?? { observedPowerState: i.powerState, observedTenancyId: i.tenancyId, drift: [] };
    return opts?.observe ? { ...i, ...seen } : i;
  }
  async listInstances() {
    return [...this.instances.values()];
  }
  updateInstance(req: InstanceUpdateRequest, opts?: InstanceJobOptions) {
    this.calls.push(['update', req, { timeoutSeconds: opts?.timeoutSeconds }]);
    return this.job(opts, 'UpdateInstance', () => {
      const i = this.instances.get(req.id)!;
      const next: InstanceInfo = {
        ...i, tenancyId: req.tenancyId ?? i.tenancyId, powerState: req.powerState ?? i.powerState, hostname: req.hostname ?? i.hostname,
        sshAuthorizedKeys: req.sshAuthorizedKeys ?? i.sshAuthorizedKeys, secureEraseOnDelete: req.secureEraseOnDelete ?? i.secureEraseOnDelete,
        ipAddress: req.tenancyId && req.tenancyId !== i.tenancyId ? '10.64.1.7' : i.ipAddress,
      };
      this.instances.set(i.id, next);
      this.observed.delete(i.id);
      return { jobId: 'j2', instance: next };
    });
  }
  deleteInstance(id: string, opts?: InstanceJobOptions) {
    this.calls.push(['delete', id, { timeoutSeconds: opts?.timeoutSeconds }]);
    return this.job(opts, 'DeleteInstance', () => {
      if (!this.instances.delete(id)) throw notFound();
      return { jobId: 'j3' };
    });
  }
  private job<T>(opts: InstanceJobOptions | undefined, method: string, done: () => T): Promise<T> {
    if (opts?.signal) this.signals.push(opts.signal);
    if (!this.hold) return new Promise((resolve) => resolve(done()));
    return new Promise((_resolve, reject) => opts?.signal?.addEventListener('abort', () =>
      reject(Object.assign(new Error(`${method} was cancelled (${(opts.signal!.reason as Error).message})`), { code: 'aborted', violations: [] }))));
  }
}

const TYPE = schemaType(serverInstance.schema);
const enc = (v: ObjectValue | null) => ({ msgpack: encodeMsgpack(v, TYPE) });
const dec = (raw: { msgpack?: Buffer } | undefined) => decodeMsgpack(raw!.msgpack!, TYPE) as ObjectValue;
const NULLS: ObjectValue = Object.fromEntries([...Object.keys(serverInstance.schema.attributes), 'timeouts'].map((k) => [k, null]));
const config = (v: ObjectValue): ObjectValue => ({ ...NULLS, ...v });
const WEB1 = config({ tenancy_id: TN_WEB, profile: 'lab', image: 'debian-12' });
const active: ObjectValue = {
  id: 'in-00000000000c', tenancy_id: TN_WEB, profile: 'lab', server_id: 'web1', image: 'debian-12', hostname: 'web1',
  ssh_authorized_keys: null, user_data: null, power_state: 'on', secure_erase_on_delete: true, ip_address: '10.64.0.2',
  mac_addresses: ['02:6c:00:00:00:00'], switch_ports: ['leaf1/Ethernet1'], bmc_endpoint: 'https://127.0.0.1:8443', state: 'active', timeouts: null,
};
const EMPTY = Buffer.alloc(0);

let engine: FakeInstances;
let server: FrameworkServer<InstanceClient>;

beforeEach(async () => {
  engine = new FakeInstances();
  const def: ProviderDef<InstanceClient> = { schema: { version: 0, description: 'test', attributes: {} }, configure: async () => engine, resources: [serverInstance], dataSources: [] };
  server = new FrameworkServer(def);
  await server.configureProvider({ terraformVersion: '1.11.4', config: { msgpack: encodeMsgpack({}, { object: {} }) } });
});

/** An instance the engine has, as `active` describes it. */
function seed(over: Partial<InstanceInfo> = {}): InstanceInfo {
  const i = { ...info(active.id as string, { tenancyId: TN_WEB, profile: 'lab', image: 'debian-12' }, 'web1'), ...over };
  engine.instances.set(i.id, i);
  return i;
}

const validate = async (cfg: ObjectValue) => (await server.validateResourceConfig({ typeName: 'maestro_server_instance', config: enc(cfg) })).diagnostics;

/** PlanResourceChange as terraform sends it: proposed = config, with prior values for null computed attributes. */
async function plan(cfg: ObjectValue, prior: ObjectValue | null, priorPrivate = EMPTY) {
  const proposed = { ...cfg };
  for (const [k, def] of Object.entries(serverInstance.schema.attributes)) if (proposed[k] === null && prior && 'computed' in def && def.computed) proposed[k] = prior[k];
  const res = await server.planResourceChange({ typeName: 'maestro_server_instance', priorState: enc(prior), proposedNewState: enc(proposed), config: enc(cfg), priorPrivate });
  return { planned: res.plannedState ? dec(res.plannedState) : null, res };
}

async function apply(prior: ObjectValue | null, planned: ObjectValue | null, cfg: ObjectValue | null, plannedPrivate = EMPTY) {
  const res = await server.applyResourceChange({ typeName: 'maestro_server_instance', priorState: enc(prior), plannedState: enc(planned), config: enc(cfg), plannedPrivate });
  return { state: res.newState ? dec(res.newState) : undefined, res };
}

async function read(state: ObjectValue) {
  const res = await server.readResource({ typeName: 'maestro_server_instance', currentState: enc(state), private: EMPTY });
  return { state: dec(res.newState), res };
}

describe('offline checks (ValidateResourceConfig), each on its attribute', () => {
  test('a valid config passes, and the plain-key formats all parse', async () => {
    expect(await validate(config({ ...WEB1, hostname: 'web-1.lab', ssh_authorized_keys: [ED25519, ECDSA, rsaLine()], user_data: '#!/bin/sh\necho hi\n', power_state: 'off' }))).toEqual([]);
  });

  test('values not known yet are not checked', async () => {
    expect(await validate(config({ tenancy_id: unknown, profile: 'lab', image: 'debian-12', hostname: unknown, ssh_authorized_keys: [unknown, ED25519] }))).toEqual([]);
    expect(await validate(config({ ...WEB1, ssh_authorized_keys: unknown }))).toEqual([]);
  });

  test.each([
    ['hostname', '-web', /label "-web" of "-web" is not one/],
    ['hostname', 'web..lab', /label "" of "web\.\.lab"/],
    ['hostname', 'web_1', /RFC 1123/],
    ['hostname', `${'a'.repeat(60)}.lab1`, /1-64 characters; got 65/],
    ['hostname', 'a'.repeat(64), /label/],
    ['power_state', 'reboot', /must be one of "on", "off"; got "reboot"/],
    ['user_data', 'echo \u0000', /must not contain NUL/],
    ['user_data', 'x'.repeat(65_537), /at most 65536 bytes; got 65537/],
    ['user_data', 'é'.repeat(32_769), /got 65538/],
    ['tenancy_id', 'web', /a tenancy id such as "tn-0123456789ab" \(use maestro_tenancy.<name>.id\); got "web"/],
    ['profile', 'Lab', /lowercase letters, digits and dashes/],
    ['image', 'debian 12', /an image name/],
    ['server_id', 'web_1', /a server id/],
  ])('%s = %j is refused', async (attr, value, reason) => {
    const diags = await validate({ ...WEB1, [attr]: value });
    expect(diags).toHaveLength(1);
    expect(diags[0]).toMatchObject({ severity: 'error', summary: `Invalid ${attr}`, attribute: [{ attribute: attr }] });
    expect(diags[0].detail).toMatch(reason);
  });

  const edBlob = ED25519.split(' ')[1];
  test.each([
    ['a key read with file() (trailing newline)', `${ED25519}\n`, /trimspace\(file/],
    ['a DSA key', `ssh-dss ${edBlob}`, /must start with a key type, one of ssh-ed25519, ssh-rsa, .*; got "ssh-dss"/],
    ['an options prefix', `from="10.0.0.0/8" ${ED25519}`, /options such as from=/],
    ['a private key pasted', '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n-----END OPENSSH PRIVATE KEY-----\n', /is a private key: give the public key \(the \.pub file\)/],
    ['a type alone', 'ssh-ed25519', /"<type> <base64 key> \[comment\]"/],
    ['a key that is not base64', 'ssh-ed25519 AAAA$$$$', /not valid base64/],
    ['a truncated key', `ssh-ed25519 ${edBlob.slice(0, 40)}`, /truncated or malformed ssh-ed25519 key/],
    ['a blob with the wrong number of fields', `ssh-ed25519 ${blob(str('ssh-ed25519'))}`, /truncated or malformed/],
    ['a type that does not match the key', `ssh-rsa ${blob(str('ssh-ed25519'), Buffer.alloc(32, 1), Buffer.alloc(4, 1))}`, /says ssh-rsa, but its key is a "ssh-ed25519" key/],
  ])('ssh_authorized_keys: %s is refused on its element', async (_case, key, reason) => {
    const diags = await validate({ ...WEB1, ssh_authorized_keys: [ED25519, key] });
    expect(diags).toHaveLength(1);
    expect(diags[0]).toMatchObject({ summary: 'Invalid ssh_authorized_keys', attribute: [{ attribute: 'ssh_authorized_keys' }, { index: 1 }] });
    expect(diags[0].detail).toMatch(/^ssh_authorized_keys\[1\] /);
    expect(diags[0].detail).toMatch(reason);
  });

  test.each([['web1', null], ['a.b.c', null], ['A1-b', null], ['x'.repeat(63), null]])('hostname %j is accepted', (name, problem) => {
    expect(hostnameProblem(name)).toBe(problem);
  });

  test('every key line is checked the same way on its own', () => {
    expect(sshKeyProblem(ED25519.split(' ').slice(0, 2).join(' '))).toBeNull();
    expect(sshKeyProblem(`${ED25519} with spaces in the comment`)).toBeNull();
  });
});

describe('plan', () => {
  test('a create plans what the config fixes and the defaults, the rest unknown, and asks the engine with the known fields', async () => {
    const { planned, res } = await plan(WEB1, null);
    expect(res.diagnostics).toEqual([]);
    expect(planned).toMatchObject({ tenancy_id: TN_WEB, profile: 'lab', image: 'debian-12', power_state: 'on', secure_erase_on_delete: true, ssh_authorized_keys: null, user_data: null });
    for (const k of ['id', 'server_id', 'hostname', 'ip_address', 'mac_addresses', 'switch_ports', 'bmc_endpoint', 'state']) expect([k, isUnknown(planned![k])]).toEqual([k, true]);
    expect(engine.calls).toEqual([['validate', { tenancyId: TN_WEB, profile: 'lab', image: 'debian-12', powerState: 'on' }]]);
  });

  test('a pinned server fixes the default hostname at plan', async () => {
    const { planned } = await plan(config({ ...WEB1, server_id: 'web2' }), null);
    expect(planned).toMatchObject({ server_id: 'web2', hostname: 'web2' });
    expect(engine.calls[0][1]).toMatchObject({ serverId: 'web2', hostname: 'web2' });
  });

  test('a tenancy created in the same apply (unknown id) is left to the apply; the rest is still checked', async () => {
    const { planned, res } = await plan(config({ ...WEB1, tenancy_id: unknown, hostname: 'db-1' }), null);
    expect(res.diagnostics).toEqual([]);
    expect(isUnknown(planned!.tenancy_id)).toBe(true);
    expect(engine.calls).toEqual([['validate', { profile: 'lab', image: 'debian-12', hostname: 'db-1', powerState: 'on' }]]);
  });

  test.each([
    ['tenancy_id', `no tenancy ${TN_WEB}`],
    ['profile', 'no available server of profile "lab" (0 of 2 available; web1 is allocated, web2 is in maintenance)'],
    ['server_id', 'server web2 is allocated to instance in-0000000000aa'],
    ['image', 'no image "debian-13" in inventory (known: debian-12)'],
    ['hostname', 'hostname "web1" is used by instance in-0000000000aa'],
  ])('an engine violation on %s fails the plan on that attribute', async (field, reason) => {
    engine.violations = [{ field, reason }];
    const { planned, res } = await plan(WEB1, null);
    expect(planned).toBeNull();
    expect(res.diagnostics).toEqual([{ severity: 'error', summary: `Invalid ${field}`, detail: `${field}: ${reason}.`, attribute: [{ attribute: field }] }]);
  });

  test('an engine that cannot be reached fails the plan saying so', async () => {
    engine.validateInstance = async () => {
      throw Object.assign(new Error('engine 127.0.0.1:7443 is unavailable'), { code: 'unavailable' });
    };
    const { res } = await plan(WEB1, null);
    expect(res.diagnostics).toEqual([expect.objectContaining({ summary: 'Maestro engine: plan failed', detail: 'engine 127.0.0.1:7443 is unavailable' })]);
  });

  test('no change: the plan is the state and the engine is not asked', async () => {
    const { planned, res } = await plan(WEB1, active);
    expect(planned).toEqual(active);
    expect(res.requiresReplace).toEqual([]);
    expect(engine.calls).toEqual([]);
  });

  test('a power change is in place, keeps every allocated value known and needs no engine check', async () => {
    const { planned, res } = await plan(config({ ...WEB1, power_state: 'off' }), active);
    expect(planned).toEqual({ ...active, power_state: 'off', state: unknown });
    expect(res.requiresReplace).toEqual([]);
    expect(engine.calls).toEqual([]);
  });

  test('a tenancy move is in place: a new address (unknown), checked by the engine as an update of this instance', async () => {
    const { planned, res } = await plan(config({ ...WEB1, tenancy_id: TN_DB }), active);
    expect(res.requiresReplace).toEqual([]);
    expect(planned).toEqual({ ...active, tenancy_id: TN_DB, ip_address: unknown, state: unknown });
    expect(engine.calls).toEqual([['validate', expect.objectContaining({ id: active.id, tenancyId: TN_DB, serverId: 'web1', hostname: 'web1' })]]);
  });

  test('hostname and keys change in place and are checked', async () => {
    const { planned, res } = await plan(config({ ...WEB1, hostname: 'www', ssh_authorized_keys: [ED25519] }), active);
    expect(res.requiresReplace).toEqual([]);
    expect(planned).toMatchObject({ hostname: 'www', ssh_authorized_keys: [ED25519], ip_address: '10.64.0.2' });
    expect(engine.calls).toEqual([['validate', expect.objectContaining({ id: active.id, hostname: 'www', sshAuthorizedKeys: [ED25519] })]]);
  });

  test('removing hostname from the config keeps the current one', async () => {
    const { planned } = await plan(WEB1, { ...active, hostname: 'www' });
    expect(planned!.hostname).toBe('www');
  });

  test.each([
    ['image', 'debian-13'],
    ['profile', 'big'],
    ['user_data', '#!/bin/sh\ntrue\n'],
    ['server_id', 'web2'],
  ])('changing %s replaces the instance', async (attr, value) => {
    const { res } = await plan(config({ ...WEB1, [attr]: value }), active);
    expect(res.requiresReplace).toEqual([[{ attribute: attr }]]);
  });

  test('the create half of a replacement is checked as the instance it replaces (its server and address do not count as taken)', async () => {
    const priv = Buffer.from(JSON.stringify({ instance_id: active.id }));
    await plan(config({ ...WEB1, image: 'debian-13' }), null, priv);
    expect(engine.calls).toEqual([['validate', expect.objectContaining({ id: active.id, image: 'debian-13' })]]);
  });
});

describe('apply', () => {
  test('create sends the configured values with the create timeout and returns every attribute as planned', async () => {
    const cfg = config({ ...WEB1, ssh_authorized_keys: [ED25519], user_data: '#!/bin/sh\n', timeouts: { create: '45m', update: null, delete: null } });
    const { planned } = await plan(cfg, null);
    const { state, res } = await apply(null, planned, cfg);
    expect(res.diagnostics).toEqual([]);
    expect(state).toEqual({ ...active, ssh_authorized_keys: [ED25519], user_data: '#!/bin/sh\n', timeouts: cfg.timeouts });
    expect(engine.calls[1]).toEqual(['create', {
      tenancyId: TN_WEB, profile: 'lab', serverId: undefined, image: 'debian-12', hostname: undefined, sshAuthorizedKeys: [ED25519],
      userData: '#!/bin/sh\n', powerState: 'on', secureEraseOnDelete: true,
    }, { timeoutSeconds: 2700 }]);
    expect(engine.signals).toHaveLength(1);
    expect(JSON.parse(res.private!.toString())).toEqual({ instance_id: active.id });
  });

  test('a pinned create with the default hostname comes back as planned', async () => {
    const cfg = config({ ...WEB1, server_id: 'web2', power_state: 'off', secure_erase_on_delete: false });
    const { planned } = await plan(cfg, null);
    const { state, res } = await apply(null, planned, cfg);
    expect(res.diagnostics).toEqual([]);
    expect(state).toMatchObject({ server_id: 'web2', hostname: 'web2', power_state: 'off', secure_erase_on_delete: false });
  });

  test('a failed create leaves no state and says what the engine said', async () => {
    engine.createInstance = async () => {
      throw Object.assign(new Error('step "install" on bmc:web1: InsertMedia answered HTTP 500'), { code: 'internal', violations: [] });
    };
    const { planned } = await plan(WEB1, null);
    const { state, res } = await apply(null, planned, WEB1);
    expect(state).toBeUndefined();
    expect(res.diagnostics).toEqual([expect.objectContaining({ summary: 'Maestro engine: create failed', detail: 'step "install" on bmc:web1: InsertMedia answered HTTP 500' })]);
  });

  test('update sends only what changed, with the default 30m timeout', async () => {
    seed();
    const cfg = config({ ...WEB1, tenancy_id: TN_DB, power_state: 'off' });
    const { planned } = await plan(cfg, active);
    const { state, res } = await apply(active, planned, cfg);
    expect(res.diagnostics).toEqual([]);
    expect(state).toEqual({ ...active, tenancy_id: TN_DB, power_state: 'off', ip_address: '10.64.1.7' });
    expect(engine.calls.at(-1)).toEqual(['update', { id: active.id, tenancyId: TN_DB, powerState: 'off' }, { timeoutSeconds: 1800 }]);
  });

  test('removing every key sends an empty key list and plans null', async () => {
    seed({ sshAuthorizedKeys: [ED25519] });
    const prior = { ...active, ssh_authorized_keys: [ED25519] };
    const { planned } = await plan(WEB1, prior);
    const { state, res } = await apply(prior, planned, WEB1);
    expect(res.diagnostics).toEqual([]);
    expect(state!.ssh_authorized_keys).toBeNull();
    expect(engine.calls.at(-1)).toEqual(['update', { id: active.id, sshAuthorizedKeys: [] }, { timeoutSeconds: 1800 }]);
  });

  test('delete runs the engine\'s delete; an instance already gone is success', async () => {
    seed();
    expect((await apply(active, null, null)).res.diagnostics).toEqual([]);
    expect(engine.instances.size).toBe(0);
    expect((await apply(active, null, null)).res.diagnostics).toEqual([]);
    expect(engine.calls.map((c) => c[0])).toEqual(['delete', 'delete']);
  });
});

describe('read and drift', () => {
  test('an instance as intended reads back unchanged, observing the devices', async () => {
    seed();
    const { state, res } = await read(active);
    expect(res.diagnostics).toEqual([]);
    expect(state).toEqual(active);
    expect(engine.calls).toEqual([['get', active.id, { observe: true }]]);
  });

  test('a server powered off outside terraform reads as off; the plan updates it in place and the apply powers it on', async () => {
    seed();
    engine.observed.set(active.id as string, { observedPowerState: 'off', observedTenancyId: TN_WEB, drift: ['bmc:web1 reports power Off, intended on'] });
    const { state, res } = await read(active);
    expect(state).toEqual({ ...active, power_state: 'off' });
    expect(res.diagnostics).toEqual([expect.objectContaining({ severity: 'warning', summary: `Instance ${active.id} has drifted`, detail: expect.stringContaining('bmc:web1 reports power Off, intended on') })]);
    const { planned, res: p } = await plan(WEB1, state);
    expect(p.requiresReplace).toEqual([]);
    expect(planned).toMatchObject({ power_state: 'on', ip_address: '10.64.0.2' });
    const applied = await apply(state, planned, WEB1);
    expect(applied.res.diagnostics).toEqual([]);
    expect(applied.state!.power_state).toBe('on');
    expect(engine.calls.at(-1)).toEqual(['update', { id: active.id, powerState: 'on' }, { timeoutSeconds: 1800 }]);
  });

  test('ports moved out of the tenancy read as tenancy "" and the apply puts them back', async () => {
    seed();
    engine.observed.set(active.id as string, { observedPowerState: 'on', observedTenancyId: '', drift: ['leaf1/Ethernet1 is in VLAN 999 (quarantine), not 100 (tenancy web)'] });
    const { state } = await read(active);
    expect(state.tenancy_id).toBe('');
    const { planned } = await plan(WEB1, state);
    const applied = await apply(state, planned, WEB1);
    expect(applied.res.diagnostics).toEqual([]);
    expect(applied.state).toEqual(active);
    expect(engine.calls.at(-1)).toEqual(['update', { id: active.id, tenancyId: TN_WEB }, { timeoutSeconds: 1800 }]);
  });

  test('ports in another tenancy\'s VLAN read as that tenancy', async () => {
    seed();
    engine.observed.set(active.id as string, { observedPowerState: 'on', observedTenancyId: TN_DB, drift: ['leaf1/Ethernet1 is in VLAN 101 (tenancy db), not 100 (tenancy web)'] });
    expect((await read(active)).state.tenancy_id).toBe(TN_DB);
  });

  test('a BMC that does not answer keeps the intended power state and warns', async () => {
    seed();
    engine.observed.set(active.id as string, { observedPowerState: 'unknown', observedTenancyId: TN_WEB, drift: ['bmc:web1 did not answer: connect ECONNREFUSED'] });
    const { state, res } = await read(active);
    expect(state).toEqual(active);
    expect(res.diagnostics[0].detail).toMatch(/ECONNREFUSED/);
  });

  test('a failed instance reads with a warning giving the reason', async () => {
    seed({ state: 'failed', stateReason: 'step "power-state" on bmc:web1: HTTP 500' });
    const { state, res } = await read(active);
    expect(state.state).toBe('failed');
    expect(res.diagnostics).toEqual([expect.objectContaining({ severity: 'warning', summary: `Instance ${active.id} is failed`, detail: expect.stringContaining('HTTP 500') })]);
  });

  test('an instance deleted outside terraform is gone from the state', async () => {
    const res = await server.readResource({ typeName: 'maestro_server_instance', currentState: enc(active), private: EMPTY });
    expect(res.diagnostics).toEqual([]);
    expect(decodeMsgpack(res.newState!.msgpack!, TYPE)).toBeNull();
  });
});

describe('import', () => {
  test('by instance id: read completes the state', async () => {
    seed({ sshAuthorizedKeys: [ED25519], userData: '#!/bin/sh\n' });
    const imp = await server.importResourceState({ typeName: 'maestro_server_instance', id: active.id as string });
    expect(imp.diagnostics).toEqual([]);
    const res = await server.readResource({ typeName: 'maestro_server_instance', currentState: imp.importedResources[0].state, private: EMPTY });
    expect(dec(res.newState)).toEqual({ ...active, ssh_authorized_keys: [ED25519], user_data: '#!/bin/sh\n' });
  });

  test.each(['web1', 'in-0123', 'IN-0123456789AB', 'tn-0123456789ab', ''])('%j is refused naming the accepted form', async (id) => {
    const imp = await server.importResourceState({ typeName: 'maestro_server_instance', id });
    expect(imp.importedResources).toEqual([]);
    expect(imp.diagnostics[0]).toMatchObject({ summary: 'Invalid import id', detail: expect.stringContaining('"in-" and 12 lowercase hex digits, e.g. "in-0123456789ab"') });
  });
});

describe('cancellation', () => {
  test('Ctrl-C during create cancels the engine job; no state, and the diagnostic says the engine undoes it', async () => {
    engine.hold = true;
    const { planned } = await plan(WEB1, null);
    const applying = apply(null, planned, WEB1);
    while (engine.signals.length === 0) await new Promise((r) => setImmediate(r));
    await server.stopProvider();
    const { state, res } = await applying;
    expect(engine.signals[0].aborted).toBe(true);
    expect(state).toBeUndefined();
    expect(res.diagnostics).toHaveLength(1);
    expect(res.diagnostics[0].summary).toBe('Instance create cancelled');
    expect(res.diagnostics[0].detail).toMatch(/^Terraform asked the provider to stop \(Ctrl-C\)\. The engine cancels its instance\.create job, which undoes every step it completed .* so no instance remains/);
    expect(res.diagnostics[0].detail).toMatch(/Engine: CreateInstance was cancelled \(terraform asked the provider to stop\)/);
  });

  function applyCtx(prior: ObjectValue | null, timeoutMs: number) {
    const ctrl = new AbortController();
    const ctx = { client: engine, diags: new Diagnostics(), signal: ctrl.signal, timeoutMs, prior, planned: { ...active, timeouts: null }, config: WEB1, private: {} };
    return { ctrl, ctx };
  }
  const timeout = () => new DOMException('The operation was aborted due to timeout', 'TimeoutError');

  test.each([
    ['create', null, (c: any) => serverInstance.create(c), /^The create timeout \(30m\) passed\. .*no instance remains/],
    ['update', { ...active, power_state: 'off' }, (c: any) => serverInstance.update(c), /^The update timeout \(30m\) passed\. .*keeps its previous settings/],
    ['delete', active, (c: any) => serverInstance.delete(c), /^The delete timeout \(30m\) passed\. .*the next destroy continues the teardown/],
  ])('the %s timeout cancels the engine job and says what happens next', async (op, prior, run, detail) => {
    engine.hold = true;
    seed();
    const { ctrl, ctx } = applyCtx(prior as ObjectValue | null, 1_800_000);
    const running = run(ctx);
    ctrl.abort(timeout());
    expect(await running).toBeFalsy();
    expect(engine.calls.at(-1)?.[2]).toEqual({ timeoutSeconds: 1800 });
    expect(engine.signals).toEqual([ctx.signal]);
    expect(ctx.diags.items).toEqual([expect.objectContaining({ severity: 'error', summary: `Instance ${op} cancelled`, detail: expect.stringMatching(detail) })]);
  });
});
