// The inventory file's one zod schema: shapes, grammars and cross-references.

import { z } from 'zod';
import { VLAN_MAX, VLAN_MIN } from '../domain/port-config';
import { bmcDriverNames } from '../drivers/bmc/registry';
import { parseHostPort } from './endpoint';
import { segmentPool } from './pool-schema';
import { expandPortRange } from './port-range';
import { fabricLink, image, profile, server, site } from './server-schema';
import { checkTopology } from './topology-checks';

const SAFE_TEXT = /^[^\u0000-\u001f\u007f]*$/;
const SWITCH_ID = /^[a-z0-9][a-z0-9-]*$/;
const HOST_KEY = /^SHA256:[A-Za-z0-9+/]+=*$/;

const text = (what: string) => z.string().min(1, `${what} must not be empty`).regex(SAFE_TEXT, `${what} must not contain control characters`);

const vlan = z.number().int().min(VLAN_MIN).max(VLAN_MAX);

/** PEM or OpenSSH private key text: BEGIN/END armour lines around base64; line breaks are the only control characters allowed. */
const PRIVATE_KEY = /^\s*-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----\r?\n[^\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f]+?\r?\n-----END \1PRIVATE KEY-----\s*$/;

/**
 * A login: username plus a password and/or a private key (server OS logins may
 * use only a key; switches and BMCs need the password, checked where they
 * reference it).
 */
const credential = z.strictObject({
  username: text('username'),
  password: text('password').optional(),
  enable_password: text('enable_password').optional(),
  private_key: z.string().regex(PRIVATE_KEY, 'private_key must be a PEM or OpenSSH private key (-----BEGIN ... PRIVATE KEY----- ... -----END ... PRIVATE KEY-----)').optional(),
}).refine((c) => c.password !== undefined || c.private_key !== undefined, { message: 'credentials need a password or a private_key' });

const segment = z.strictObject({ vlan });

/** `host:port` (port defaults to 22); IPv6 hosts in brackets. */
const endpoint = z.string().transform((s, ctx) => {
  const e = parseHostPort(s);
  if (e) return e;
  ctx.addIssue({ code: 'custom', message: `endpoint ${JSON.stringify(s)} must be host:port, e.g. 10.0.0.11:22` });
  return z.NEVER;
});

/** One `ports` entry, expanded: `Ethernet1-3` -> three names. */
const portEntry = z.string().transform((s, ctx) => {
  try {
    return expandPortRange(s);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
    return z.NEVER;
  }
});

/** Flags the entry that first repeats a port name. Runs even when other entries are malformed. */
const portList = z.array(portEntry).min(1, 'a switch needs at least one port').superRefine((entries, ctx) => {
  const seen = new Set<string>();
  entries.forEach((names, i) => {
    if (!Array.isArray(names)) return;
    for (const name of names) {
      if (seen.has(name)) ctx.addIssue({ code: 'custom', path: [i], message: `duplicate port "${name}"` });
      seen.add(name);
    }
  });
}, { when: () => true });

/**
 * The inventory schema for an engine that knows the dialects `dialects` and
 * the BMC drivers `bmcDrivers`. Cross-references (credentials, racks,
 * profiles, cabling, pool overlaps; topology-checks.ts) are checked even when
 * other parts of the file are invalid, so one run reports every problem.
 */
export function inventorySchema(dialects: string[], bmcDrivers: string[] = bmcDriverNames()) {
  const sw = z.strictObject({
    id: z.string().regex(SWITCH_ID, 'switch id must match [a-z0-9][a-z0-9-]* (lowercase, no "/")').max(63),
    dialect: z.string().refine((d) => dialects.includes(d), { error: (i) => `unknown dialect ${JSON.stringify(i.input)}; known: ${dialects.join(', ')}` }),
    endpoint,
    credentials: z.string(),
    host_key: z.string().regex(HOST_KEY, 'host_key must be an OpenSSH fingerprint like SHA256:AbC...').optional(),
    ports: portList,
    rack: z.string().optional(),
    role: z.enum(['leaf', 'spine']).optional(),
  });
  return z
    .strictObject({
      credentials: z.record(z.string().regex(SWITCH_ID, 'credentials names must match [a-z0-9][a-z0-9-]*'), credential),
      segments: z.strictObject({ quarantine: segment, provisioning: segment.optional(), pools: z.array(segmentPool).default([]) }),
      switches: z.array(sw),
      sites: z.array(site).default([]),
      profiles: z.record(z.string().regex(SWITCH_ID, 'profile names must match [a-z0-9][a-z0-9-]*'), profile).default({}),
      fabric_links: z.array(fabricLink).default([]),
      servers: z.array(server(bmcDrivers)).default([]),
      images: z.record(z.string().regex(SWITCH_ID, 'image names must match [a-z0-9][a-z0-9-]*').max(63), image).default({}),
    })
    .superRefine(checkReferences, { when: () => true })
    .superRefine(checkTopology, { when: () => true });
}

export type InventoryFile = z.output<ReturnType<typeof inventorySchema>>;

/** Cross-field rules; `inv` may be partially invalid, so every access is guarded. */
function checkReferences(inv: any, ctx: z.RefinementCtx): void {
  const creds = inv?.credentials && typeof inv.credentials === 'object' ? inv.credentials : {};
  const ids = new Set<string>();
  (Array.isArray(inv?.switches) ? inv.switches : []).forEach((s: any, i: number) => {
    if (typeof s?.credentials === 'string' && !Object.hasOwn(creds, s.credentials)) {
      ctx.addIssue({ code: 'custom', path: ['switches', i, 'credentials'], message: `credentials "${s.credentials}" are not defined under credentials:` });
    } else if (typeof s?.credentials === 'string' && creds[s.credentials] && creds[s.credentials].password === undefined) {
      ctx.addIssue({ code: 'custom', path: ['switches', i, 'credentials'], message: `credentials "${s.credentials}" have no password; switches log in with a password` });
    }
    if (typeof s?.id !== 'string') return;
    if (ids.has(s.id)) ctx.addIssue({ code: 'custom', path: ['switches', i, 'id'], message: `duplicate switch id "${s.id}"` });
    ids.add(s.id);
  });
  const q = inv?.segments?.quarantine?.vlan;
  if (q !== undefined && q === inv?.segments?.provisioning?.vlan) {
    ctx.addIssue({ code: 'custom', path: ['segments', 'provisioning', 'vlan'], message: `provisioning VLAN must differ from the quarantine VLAN (${q})` });
  }
}
