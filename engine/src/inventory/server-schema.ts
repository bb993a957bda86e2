// Inventory shapes of the physical estate: sites and racks, profiles, servers (BMC, NICs, disks) and fabric links.

import { z } from 'zod';
import { normalizeMac } from '../domain/mac-address';

const ID = /^[a-z0-9][a-z0-9-]*$/;
const SAFE_TEXT = /^[^\u0000-\u001f\u007f]+$/;
const BMC_ENDPOINT = /^https?:\/\/(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9][A-Za-z0-9.-]*)(:\d{1,5})?\/?$/;
const TLS_PIN = /^([0-9a-f]{2}:?){31}[0-9a-f]{2}$/i;

export const objectId = (what: string) => z.string().regex(ID, `${what} must match [a-z0-9][a-z0-9-]*`).max(63);

const positive = (what: string) => z.number().int().positive(`${what} must be a positive integer`);

const diskSpec = z.strictObject({ size_gb: positive('size_gb'), type: z.enum(['ssd', 'hdd', 'nvme']) });

export const site = z.strictObject({ id: objectId('site id'), racks: z.array(objectId('rack id')).min(1, 'a site needs at least one rack') });

export const profile = z.strictObject({
  cpu_cores: positive('cpu_cores'),
  memory_gib: positive('memory_gib'),
  disks: z.array(diskSpec).default([]),
  nics: positive('nics'),
});

const mac = z.string().transform((s, ctx) => {
  const m = normalizeMac(s);
  if (m) return m;
  ctx.addIssue({ code: 'custom', message: `mac ${JSON.stringify(s)} must be six hex pairs separated by : or -` });
  return z.NEVER;
});

/** A NIC; `switch` and `port` name where it is cabled (both or neither). */
const nic = z.strictObject({
  name: z.string().regex(/^[A-Za-z][A-Za-z0-9._-]*$/, 'NIC name must start with a letter and contain only letters, digits and . _ -'),
  mac,
  switch: z.string().optional(),
  port: z.string().optional(),
}).refine((n) => (n.switch === undefined) === (n.port === undefined), { message: 'a cabled NIC needs both switch and port' });

/** `bmcDrivers`: the BMC registry's names. */
export const bmc = (bmcDrivers: string[]) => z.strictObject({
  driver: z.string().refine((d) => bmcDrivers.includes(d), { error: (i) => `unknown BMC driver ${JSON.stringify(i.input)}; known: ${bmcDrivers.join(', ')}` }),
  endpoint: z.string().regex(BMC_ENDPOINT, 'BMC endpoint must be a URL like https://10.0.0.5 or https://bmc-r01-01:8443'),
  credentials: z.string(),
  /** SHA-256 fingerprint of the BMC's certificate; stored lowercase without colons. */
  tls_pin: z.string().regex(TLS_PIN, 'tls_pin must be a SHA-256 fingerprint (64 hex digits, colons optional)')
    .transform((s) => s.replace(/:/g, '').toLowerCase()).optional(),
});

export const server = (bmcDrivers: string[]) => z.strictObject({
  id: objectId('server id'),
  serial: z.string().regex(SAFE_TEXT, 'serial must be non-empty text without control characters'),
  profile: z.string(),
  rack: z.string(),
  bmc: bmc(bmcDrivers),
  nics: z.array(nic).min(1, 'a server needs at least one NIC'),
  disks: z.array(diskSpec.extend({ id: z.string().regex(SAFE_TEXT, 'disk id must be non-empty text') })).default([]),
});

const portRef = z.strictObject({ switch: z.string(), port: z.string() });

export const fabricLink = z.strictObject({ a: portRef, b: portRef });
