// maestro_server_instance: a server of a profile, installed with an image and attached to a tenancy by the engine.

import { isUnknown, type CtyValue } from '../cty/types';
import { valuesEqual } from '../cty/value';
import type { Diagnostics } from '../framework/diagnostics';
import { requiresReplace, useStateForUnknown } from '../framework/plan-modifiers';
import type { ObjectValue, PrivateState, Resource } from '../framework/resource';
import { timeoutsBlock } from '../framework/timeouts';
import { matches, maxLength, oneOf, type Validator } from '../framework/validators';
import {
  isNotFound, reportEngineError, reportViolations,
  type InstanceClient, type InstanceCreateRequest, type InstanceInfo, type InstanceUpdateRequest, type InstanceValidateRequest,
} from './engine';

const INSTANCE_ID = /^in-[0-9a-f]{12}$/;
const TENANCY_ID = /^tn-[0-9a-f]{12}$/;
/** Profile, image and server ids in inventory. */
const INVENTORY_NAME = /^[a-z0-9][a-z0-9-]*$/;
const INVENTORY_NAME_MAX = 63;
/** Linux's HOST_NAME_MAX. */
export const HOSTNAME_MAX = 64;
const HOSTNAME_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
export const USER_DATA_MAX_BYTES = 65_536;
const SSH_KEY_LINE_MAX = 16_384;
/**
 * Public key types an authorized_keys line may carry, with the number of
 * length-prefixed fields of their key blob (type name first): the check that
 * a pasted key is whole, not just base64.
 */
const SSH_KEY_FIELDS: Record<string, number> = {
  'ssh-ed25519': 2,
  'ssh-rsa': 3,
  'ecdsa-sha2-nistp256': 3,
  'ecdsa-sha2-nistp384': 3,
  'ecdsa-sha2-nistp521': 3,
  'sk-ssh-ed25519@openssh.com': 3,
  'sk-ecdsa-sha2-nistp256@openssh.com': 4,
};
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const DEFAULT_TIMEOUT = '30m';
/** Private-state key holding the instance id, so the create half of a replacement is checked as that instance's. */
const PRIVATE_ID = 'instance_id';
const KEYS_TYPE = { list: 'string' } as const;

/** Why `v` is not an RFC 1123 host name of at most HOSTNAME_MAX characters; null when it is one. */
export function hostnameProblem(v: string): string | null {
  if (v.length === 0 || v.length > HOSTNAME_MAX) return `must be 1-${HOSTNAME_MAX} characters; got ${v.length}`;
  const bad = v.split('.').find((label) => !HOSTNAME_LABEL.test(label));
  if (bad === undefined) return null;
  return `must be an RFC 1123 host name: dot-separated labels of 1-63 letters, digits and dashes, neither starting nor ending with a dash; label ${JSON.stringify(bad)} of ${JSON.stringify(v)} is not one`;
}

/** The length-prefixed strings of an SSH wire-format blob, or null when it is truncated or has trailing bytes. */
function sshFields(blob: Buffer): Buffer[] | null {
  const fields: Buffer[] = [];
  for (let at = 0; at < blob.length; ) {
    if (at + 4 > blob.length) return null;
    const len = blob.readUInt32BE(at);
    if (at + 4 + len > blob.length) return null;
    fields.push(blob.subarray(at + 4, at + 4 + len));
    at += 4 + len;
  }
  return fields;
}

/** Why `line` is not an OpenSSH public key line `<type> <base64 key> [comment]`; null when it is one. */
export function sshKeyProblem(line: string): string | null {
  if (/PRIVATE KEY/.test(line)) return 'is a private key: give the public key (the .pub file) instead, and keep the private key secret';
  if (/[\u0000-\u001f\u007f]/.test(line)) {
    return 'must be one line with no newline or other control character (a key read with file() ends with a newline: use trimspace(file("...")))';
  }
  if (line.length > SSH_KEY_LINE_MAX) return `must be at most ${SSH_KEY_LINE_MAX} characters; got ${line.length}`;
  const m = /^(\S+) +(\S+)(?: .*)?$/.exec(line);
  if (!m) return 'must be an OpenSSH public key line "<type> <base64 key> [comment]", e.g. "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA... alice@laptop"';
  const [, type, data] = m;
  const fieldCount = SSH_KEY_FIELDS[type];
  if (fieldCount === undefined) {
    const hint = /[="]/.test(type) ? ' (authorized_keys options such as from="..." are not supported)' : '';
    return `must start with a key type, one of ${Object.keys(SSH_KEY_FIELDS).join(', ')}; got ${JSON.stringify(type)}${hint}`;
  }
  if (!BASE64.test(data) || data.length % 4 !== 0) return `has a key that is not valid base64 after ${type}`;
  const fields = sshFields(Buffer.from(data, 'base64'));
  if (fields === null || fields.length !== fieldCount || fields.some((f) => f.length === 0)) return `has a truncated or malformed ${type} key (copy the whole .pub line)`;
  const inner = fields[0].toString('latin1');
  return inner === type ? null : `says ${type}, but its key is a ${JSON.stringify(inner)} key`;
}

const hostname: Validator = (v) => hostnameProblem(v as string);

const userData: Validator = (v) => {
  const text = v as string;
  if (text.includes('\u0000')) return 'must not contain NUL characters (the script is written to the server as text)';
  const bytes = Buffer.byteLength(text, 'utf8');
  return bytes > USER_DATA_MAX_BYTES ? `must be at most ${USER_DATA_MAX_BYTES} bytes; got ${bytes}` : null;
};

const inventoryName = (what: string): Validator[] => [
  matches(INVENTORY_NAME, `${what}: lowercase letters, digits and dashes, starting with a letter or digit`),
  maxLength(INVENTORY_NAME_MAX),
];

/** A known, non-null value as T, else undefined (unset or not known until apply). */
const known = <T>(v: CtyValue | undefined): T | undefined => (v === null || v === undefined || isUnknown(v) ? undefined : (v as T));

/** The known key list, or undefined while the list or any key is unknown. */
function knownKeys(v: CtyValue | undefined): string[] | undefined {
  const keys = known<CtyValue[]>(v);
  return keys?.every((k) => typeof k === 'string') ? (keys as string[]) : undefined;
}

/** Keys as the engine returned them, keeping the user's spelling where they differ only in whitespace, and null for none when none was set. */
function keysOf(engine: string[], prior: CtyValue | undefined): string[] | null {
  const mine = knownKeys(prior);
  if (mine === undefined) return engine.length === 0 ? null : engine;
  const norm = (k: string) => k.trim().split(/\s+/).join(' ');
  return mine.length === engine.length && mine.every((k, i) => norm(k) === norm(engine[i])) ? mine : engine;
}

/** The state for an instance the engine answered with (its intended values); `prior` supplies timeouts and the user's spelling of unset values. */
export function stateOf(i: InstanceInfo, prior: ObjectValue | null): ObjectValue {
  return {
    id: i.id,
    tenancy_id: i.tenancyId,
    profile: i.profile,
    server_id: i.serverId || null,
    image: i.image,
    hostname: i.hostname,
    ssh_authorized_keys: keysOf(i.sshAuthorizedKeys, prior?.ssh_authorized_keys),
    user_data: i.userData === '' && (prior?.user_data ?? null) === null ? null : i.userData,
    power_state: i.powerState,
    secure_erase_on_delete: i.secureEraseOnDelete,
    ip_address: i.ipAddress || null,
    mac_addresses: i.macAddresses,
    switch_ports: i.switchPorts.map((p) => `${p.switchId}/${p.port}`),
    bmc_endpoint: i.bmcEndpoint || null,
    state: i.state,
    timeouts: prior?.timeouts ?? null,
  };
}

/**
 * What the devices show replaces the intended values, so that drift plans an
 * in-place update that repairs it: the BMC's power state, and the tenancy
 * whose VLAN the ports are in ("" when they are in none, or not all in one).
 */
function observedStateOf(i: InstanceInfo, prior: ObjectValue, diags: Diagnostics): ObjectValue {
  const state = stateOf(i, prior);
  if (i.observedPowerState === 'on' || i.observedPowerState === 'off') state.power_state = i.observedPowerState;
  if (i.observedTenancyId !== '') state.tenancy_id = i.observedTenancyId;
  else if (i.drift.length > 0) state.tenancy_id = '';
  if (i.drift.length > 0) {
    diags.warning(`Instance ${i.id} has drifted`, `Found on the devices:\n${i.drift.map((d) => `  - ${d}`).join('\n')}\nThe next apply converges the instance back to its configuration.`);
  }
  if (i.state === 'failed') diags.warning(`Instance ${i.id} is failed`, `Its last job failed: ${i.stateReason ?? 'no reason recorded'}.`);
  return state;
}

function createRequestOf(v: ObjectValue): InstanceCreateRequest {
  return {
    tenancyId: v.tenancy_id as string,
    profile: v.profile as string,
    serverId: known<string>(v.server_id),
    image: v.image as string,
    hostname: known<string>(v.hostname),
    sshAuthorizedKeys: knownKeys(v.ssh_authorized_keys),
    userData: known<string>(v.user_data),
    powerState: known<'on' | 'off'>(v.power_state),
    secureEraseOnDelete: known<boolean>(v.secure_erase_on_delete),
  };
}

/** Every known field of the plan; what is not known until apply stays unset, and the engine does not check it. */
function validateRequestOf(v: ObjectValue, id: string | undefined): InstanceValidateRequest {
  const req: InstanceValidateRequest = {
    id,
    tenancyId: known<string>(v.tenancy_id),
    profile: known<string>(v.profile),
    serverId: known<string>(v.server_id),
    image: known<string>(v.image),
    hostname: known<string>(v.hostname),
    sshAuthorizedKeys: knownKeys(v.ssh_authorized_keys),
    userData: known<string>(v.user_data),
    powerState: known<'on' | 'off'>(v.power_state),
  };
  return Object.fromEntries(Object.entries(req).filter(([, x]) => x !== undefined)) as InstanceValidateRequest;
}

/** The fields of an update that the engine changes (power and secure erase need no plan-time check). */
function changedFields(prior: ObjectValue, planned: ObjectValue): InstanceUpdateRequest {
  const req: InstanceUpdateRequest = { id: prior.id as string };
  if (planned.tenancy_id !== prior.tenancy_id) req.tenancyId = planned.tenancy_id as string;
  if (planned.power_state !== prior.power_state) req.powerState = planned.power_state as 'on' | 'off';
  if (planned.hostname !== prior.hostname) req.hostname = planned.hostname as string;
  if (!valuesEqual(planned.ssh_authorized_keys, prior.ssh_authorized_keys, KEYS_TYPE)) req.sshAuthorizedKeys = (planned.ssh_authorized_keys as string[] | null) ?? [];
  if (planned.secure_erase_on_delete !== prior.secure_erase_on_delete) req.secureEraseOnDelete = planned.secure_erase_on_delete as boolean;
  return req;
}

function remember(priv: PrivateState, state: ObjectValue): ObjectValue {
  priv[PRIVATE_ID] = state.id;
  return state;
}

/** What the engine does with a job whose call was cancelled. */
const AFTER_CANCEL = {
  create: 'The engine cancels its instance.create job, which undoes every step it completed (server, address, switch ports, installed disks), so no instance remains and none is recorded in the state.',
  update: 'The engine cancels its instance.update job, which puts back what it changed (tenancy ports and address); the instance keeps its previous settings.',
  delete: 'The engine stops its instance.delete job where it is; the instance stays in the state and the next destroy continues the teardown.',
};

function durationText(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000}m` : `${ms / 1000}s`;
}

/** A job call's error: a cancellation (Ctrl-C or the timeout) says what the engine does about it; anything else as the engine said it. */
function reportJobError(err: unknown, op: keyof typeof AFTER_CANCEL, signal: AbortSignal, timeoutMs: number, diags: Diagnostics): void {
  if (!signal.aborted) return reportEngineError(err, op, diags);
  const timedOut = (signal.reason as Error | undefined)?.name === 'TimeoutError';
  const why = timedOut ? `The ${op} timeout (${durationText(timeoutMs)}) passed.` : 'Terraform asked the provider to stop (Ctrl-C).';
  diags.error(`Instance ${op} cancelled`, `${why} ${AFTER_CANCEL[op]}\nEngine: ${(err as Error).message ?? String(err)}`);
}

const jobOptions = (signal: AbortSignal, timeoutMs: number) => ({ signal, timeoutSeconds: Math.ceil(timeoutMs / 1000) });

export const serverInstance = {
  typeName: 'maestro_server_instance',
  timeouts: { create: DEFAULT_TIMEOUT, update: DEFAULT_TIMEOUT, delete: DEFAULT_TIMEOUT },
  schema: {
    version: 0,
    description: 'A server instance: a bare-metal server of a profile that the Maestro engine allocates, installs with an image through its BMC, attaches to a tenancy (its switch ports in the tenancy VLAN, an address from the tenancy subnet) and configures over SSH. Deleting it powers the server off, securely erases its drives (unless disabled), puts its ports back in quarantine and returns the server to the pool.',
    attributes: {
      id: { type: 'string', computed: true, description: 'The instance\'s id in the engine (`in-` and 12 hex digits), stable for its lifetime; what import takes.', planModifiers: [useStateForUnknown()] },
      tenancy_id: {
        type: 'string', required: true,
        description: 'Id of the tenancy the instance is attached to (`maestro_tenancy.<name>.id`). Changed in place: the switch ports move to the new tenancy\'s VLAN and the server gets an address in its subnet.',
        validators: [matches(TENANCY_ID, 'a tenancy id such as "tn-0123456789ab" (use maestro_tenancy.<name>.id)')],
      },
      profile: {
        type: 'string', required: true,
        description: 'Server profile (hardware class) from the engine\'s inventory, e.g. `lab`; the engine allocates an available server of it. Changing it replaces the instance.',
        validators: inventoryName('a profile name'),
        planModifiers: [requiresReplace()],
      },
      server_id: {
        type: 'string', optional: true, computed: true,
        description: 'Id of the server in inventory. Set it to pin a particular server (it must be available and of the profile); unset, the engine chooses one. Setting a different server replaces the instance.',
        validators: inventoryName('a server id'),
        planModifiers: [requiresReplace(), useStateForUnknown()],
      },
      image: {
        type: 'string', required: true,
        description: 'Name of the OS image under `images:` in the engine\'s inventory, installed through the BMC\'s virtual media. Changing it replaces (reinstalls) the instance.',
        validators: inventoryName('an image name'),
        planModifiers: [requiresReplace()],
      },
      hostname: {
        type: 'string', optional: true, computed: true,
        description: `Host name set in the installed OS: an RFC 1123 name of at most ${HOSTNAME_MAX} characters. Default: the server id (known at plan when \`server_id\` is set). Changed in place.`,
        validators: [hostname],
        planModifiers: [useStateForUnknown()],
      },
      ssh_authorized_keys: {
        type: { list: 'string' }, optional: true,
        description: 'OpenSSH public keys authorized to log in to the installed OS, one `<type> <base64 key> [comment]` line each (types ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256/384/521 and their sk- variants; no options, no newline). Changed in place.',
      },
      user_data: {
        type: 'string', optional: true,
        description: `Shell script run once after the first boot; its output goes to the engine's job log. At most ${USER_DATA_MAX_BYTES} bytes, no NUL characters. Changing it replaces the instance (it only ever runs at first boot).`,
        validators: [userData],
        planModifiers: [requiresReplace()],
      },
      power_state: {
        type: 'string', optional: true, computed: true, default: 'on',
        description: 'Intended power state, `on` or `off`. Default `on`. Changed in place through the BMC; a server powered on or off outside terraform shows as a change that the next apply repairs.',
        validators: [oneOf('on', 'off')],
      },
      secure_erase_on_delete: {
        type: 'bool', optional: true, computed: true, default: true,
        description: 'Whether deleting the instance securely erases every drive before the server returns to the pool. Default true. Without erase the server goes to `maintenance` ("released without secure erase") instead of `available`. Changed in place (recorded only).',
      },
      ip_address: { type: 'string', computed: true, description: 'The instance\'s IPv4 address in its tenancy\'s subnet (without prefix length). Changes when the tenancy does.' },
      mac_addresses: { type: { list: 'string' }, computed: true, description: 'MAC addresses of the server\'s NICs.', planModifiers: [useStateForUnknown()] },
      switch_ports: {
        type: { list: 'string' }, computed: true,
        description: 'Switch ports the server\'s NICs are cabled to, as `<switch>/<port>` (e.g. `leaf1/Ethernet3`); they carry the tenancy VLAN.',
        planModifiers: [useStateForUnknown()],
      },
      bmc_endpoint: { type: 'string', computed: true, description: 'URL of the server\'s BMC (Redfish).', planModifiers: [useStateForUnknown()] },
      state: { type: 'string', computed: true, description: 'The engine\'s lifecycle state of the instance: `creating`, `active`, `updating`, `deleting` or `failed` (a refresh warns with the reason).' },
    },
    blocks: { timeouts: timeoutsBlock(['create', 'update', 'delete'], { create: DEFAULT_TIMEOUT, update: DEFAULT_TIMEOUT, delete: DEFAULT_TIMEOUT }) },
  },

  validateConfig(config, diags) {
    const keys = config.ssh_authorized_keys;
    if (keys === null || isUnknown(keys)) return;
    (keys as CtyValue[]).forEach((key, i) => {
      const reason = typeof key === 'string' ? sshKeyProblem(key) : null;
      if (reason) diags.error('Invalid ssh_authorized_keys', `ssh_authorized_keys[${i}] ${reason}.`, ['ssh_authorized_keys', i]);
    });
  },

  /**
   * A create (or replacement), a tenancy move or a new hostname or key list is
   * checked by the engine with every value known at plan (a tenancy created
   * in the same apply is not known yet: its checks wait for the apply).
   */
  async modifyPlan({ client, prior, config, planned, priorPrivate, diags }) {
    if (prior === null) {
      if (config.hostname === null && typeof config.server_id === 'string') planned.hostname = config.server_id;
    } else {
      if (planned.tenancy_id === prior.tenancy_id) planned.ip_address = prior.ip_address;
      const checked = ['tenancy_id', 'hostname'].some((k) => planned[k] !== prior[k]) || !valuesEqual(planned.ssh_authorized_keys, prior.ssh_authorized_keys, KEYS_TYPE);
      if (!checked) return;
    }
    const replacing = priorPrivate?.[PRIVATE_ID];
    const id = prior !== null ? (prior.id as string) : typeof replacing === 'string' ? replacing : undefined;
    try {
      const { violations } = await client.validateInstance(validateRequestOf(planned, id));
      reportViolations(violations, diags);
    } catch (err) {
      reportEngineError(err, 'plan', diags);
    }
  },

  async create({ client, planned, diags, signal, timeoutMs, private: priv }) {
    try {
      const { instance } = await client.createInstance(createRequestOf(planned), jobOptions(signal, timeoutMs));
      return remember(priv, stateOf(instance, planned));
    } catch (err) {
      reportJobError(err, 'create', signal, timeoutMs, diags);
      return null;
    }
  },

  async read({ client, state, diags, private: priv }) {
    try {
      return remember(priv, observedStateOf(await client.getInstance(state.id as string, { observe: true }), state, diags));
    } catch (err) {
      if (!isNotFound(err)) reportEngineError(err, 'read', diags);
      return null;
    }
  },

  async update({ client, prior, planned, diags, signal, timeoutMs }) {
    try {
      const { instance } = await client.updateInstance(changedFields(prior, planned), jobOptions(signal, timeoutMs));
      return stateOf(instance, planned);
    } catch (err) {
      reportJobError(err, 'update', signal, timeoutMs, diags);
      return null;
    }
  },

  async delete({ client, prior, diags, signal, timeoutMs }) {
    try {
      await client.deleteInstance(prior.id as string, jobOptions(signal, timeoutMs));
    } catch (err) {
      if (!isNotFound(err)) reportJobError(err, 'delete', signal, timeoutMs, diags);
    }
  },

  importState(id, diags) {
    if (!INSTANCE_ID.test(id)) {
      diags.error('Invalid import id', `Expected an instance id: "in-" and 12 lowercase hex digits, e.g. "in-0123456789ab"; got ${JSON.stringify(id)}.`);
      return null;
    }
    return { id };
  },
} satisfies Resource<InstanceClient>;
