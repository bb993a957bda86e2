// Inventory shapes of the physical estate: sites and racks, profiles, servers (BMC, NICs, disks) and fabric links.

import { z } from 'zod';
import { normalizeMac } from '../domain/mac-address';
import { interfaceNameViolation, rootDirViolation } from '../drivers/os/os-grammar';
import { formatHostPort, parseHostPort } from './endpoint';

const ID = /^[a-z0-9][a-z0-9-]*$/;
const SAFE_TEXT = /^[^\u0000-\u001f\u007f]+$/;
const BMC_ENDPOINT = /^https?:\/\/(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9][A-Za-z0-9.-]*)(:\d{1,5})?\/?$/;
const TLS_PIN = /^([0-9a-f]{2}:?){31}[0-9a-f]{2}$/i;
const HOST_KEY = /^SHA256:[A-Za-z0-9+/]+=*$/;
/** No spaces, quotes, angle brackets or control characters anywhere in an image URL. */
const URL_CHARS = /^[^\s"'<>\\^`{|}\u0000-\u001f\u007f]+$/;

/** Default install timeout of an image (seconds). */
export const DEFAULT_INSTALL_TIMEOUT_S = 900;

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

/** An absolute http(s) URL a BMC can fetch (VirtualMedia.InsertMedia's Image). */
const imageUrl = z.string().refine((s) => {
  if (!URL_CHARS.test(s)) return false;
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
}, { error: (i) => `url ${JSON.stringify(i.input)} must be an absolute http:// or https:// URL without spaces or quotes` });

/** An installable OS image: what the BMC mounts as virtual media and how long its installer may run. */
export const image = z.strictObject({
  url: imageUrl,
  install_timeout_s: z.number().int().min(1, 'install_timeout_s must be a positive number of seconds')
    .max(86400, 'install_timeout_s must be at most 86400 (a day)').default(DEFAULT_INSTALL_TIMEOUT_S),
});

/** A grammar from os-grammar.ts as a zod string. */
const osField = (check: (field: string, v: string) => { reason: string } | null) => z.string().superRefine((v, ctx) => {
  const bad = check('', v);
  if (bad) ctx.addIssue({ code: 'custom', message: bad.reason });
});

/**
 * How the engine reaches a server's installed OS over SSH. `endpoint` is kept
 * as canonical `host:port` text; `interface` (checked against the server's NICs
 * in topology-checks.ts) defaults to the first cabled NIC at import.
 */
const serverOs = z.strictObject({
  endpoint: z.string().transform((s, ctx) => {
    const e = parseHostPort(s);
    if (e) return formatHostPort(e);
    ctx.addIssue({ code: 'custom', message: `endpoint ${JSON.stringify(s)} must be host:port, e.g. 198.18.0.4:22` });
    return z.NEVER;
  }),
  credentials: z.string(),
  host_key: z.string().regex(HOST_KEY, 'host_key must be an OpenSSH fingerprint like SHA256:AbC...').optional(),
  interface: osField(interfaceNameViolation).optional(),
  root_dir: osField(rootDirViolation).optional(),
});

export const server = (bmcDrivers: string[]) => z.strictObject({
  id: objectId('server id'),
  serial: z.string().regex(SAFE_TEXT, 'serial must be non-empty text without control characters'),
  profile: z.string(),
  rack: z.string(),
  bmc: bmc(bmcDrivers),
  nics: z.array(nic).min(1, 'a server needs at least one NIC'),
  disks: z.array(diskSpec.extend({ id: z.string().regex(SAFE_TEXT, 'disk id must be non-empty text') })).default([]),
  os: serverOs.optional(),
});

const portRef = z.strictObject({ switch: z.string(), port: z.string() });

export const fabricLink = z.strictObject({ a: portRef, b: portRef });
