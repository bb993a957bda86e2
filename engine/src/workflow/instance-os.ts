// An instance's installed OS over SSH: wait for it, check what the installer wrote, set hostname, keys and the tenancy
// address, run user_data once. Every change is audited on device `os:<server>`; user_data itself is never recorded.

import { OsError, type OutputStream } from '../drivers/os/os-driver';
import { shellQuote } from '../drivers/os/shell-quote';
import type { ServerRecord } from '../store/allocation-store';
import { audited } from './audit';
import type { ImageSnapshot } from './instance-bmc';
import type { InstanceCtx } from './instance-record';
import type { OsSession } from './os-access';

export const osDevice = (serverId: string): string => `os:${serverId}`;

/** The tenancy address of an instance: what allocate-ip produced. */
export interface TenancyAddress {
  address: string;
  prefixLength: number;
  gateway: string;
}

/** Where the installer records the image it installed, and where the engine records that user_data ran. */
const IMAGE_MARKER = 'etc/maestro/image';
const USER_DATA_MARKER = 'var/lib/maestro/user-data.done';

/** Bootstrap output kept in the step's journal detail (the tail; a long script's output is cut from the front). */
const OUTPUT_TAIL_LINES = 200;

/**
 * Opens the server's OS, waits until it answers SSH and runs `fn`; resolves
 * undefined without connecting when inventory gives the server no `os:`.
 */
export async function withOs<T>(ctx: InstanceCtx, server: ServerRecord, fn: (os: OsSession) => Promise<T>): Promise<T | undefined> {
  const os = await ctx.services.os.open(server);
  if (!os) return undefined;
  try {
    await reach(ctx, os);
    return await fn(os);
  } finally {
    await os.driver.close();
  }
}

/**
 * Waits for SSH in slices, so a cancelled job stops waiting within one slice
 * rather than after the whole reachability timeout. A changed host key, or a
 * failure that is not the driver's, ends the wait at once.
 */
async function reach(ctx: InstanceCtx, os: OsSession): Promise<void> {
  const { timeoutMs, intervalMs } = ctx.services.os.reachability;
  const started = Date.now();
  const deadline = started + timeoutMs;
  const slice = Math.max(intervalMs * 3, 5_000);
  for (let slices = 1; ; slices++) {
    try {
      return await os.driver.waitUntilReachable({ timeoutMs: Math.max(1, Math.min(slice, deadline - Date.now())), intervalMs });
    } catch (err) {
      if (!(err instanceof OsError) || err.code === 'host-key-mismatch') throw err;
      if (ctx.signal.aborted) throw ctx.signal.reason;
      if (Date.now() < deadline) continue;
      if (err.code !== 'connection') throw err;
      // The whole wait is over: final (a retry of the step would wait it all again). The driver's message counts only
      // the last slice; say how long the step waited in all.
      throw new OsError(err.device, 'unreachable', `not reachable over SSH within ${Math.round((Date.now() - started) / 1000)} s (${slices} ${slices === 1 ? "slice" : "slices"} of the reachability wait); the last try: ${err.detail}`);
    }
  }
}

const osOp = <T>(ctx: InstanceCtx, server: ServerRecord, what: string, run: () => Promise<T>, after?: unknown) =>
  audited(ctx, { what, device: osDevice(server.id), run, after: () => after ?? what });

/** `<root>/<rel>` as a shell word. */
const rootPath = (os: OsSession, rel: string) => shellQuote(`${os.rootDir.replace(/\/+$/, '')}/${rel}`);

/** The trimmed contents of a file under the server's root; empty when it is missing. */
async function readRootFile(os: OsSession, rel: string): Promise<string> {
  const { output } = await os.driver.runBootstrap(`cat ${rootPath(os, rel)} 2>/dev/null || true`);
  return output.trim();
}

/** Checks the installer's record names `image` (its name or URL); throws naming the server, the file and what it holds. */
export async function checkImage(server: ServerRecord, os: OsSession, image: ImageSnapshot): Promise<void> {
  const found = await readRootFile(os, IMAGE_MARKER);
  const where = `${server.id}: ${os.rootDir.replace(/\/+$/, '')}/${IMAGE_MARKER}`;
  if (found === '') throw new Error(`${where} is missing or empty: the installer of image "${image.name}" did not record an install`);
  if (found !== image.name && found !== image.url) throw new Error(`${where} names "${found}", not image "${image.name}" (${image.url})`);
}

export async function setHostname(ctx: InstanceCtx, server: ServerRecord, os: OsSession, hostname: string): Promise<void> {
  await osOp(ctx, server, `hostname ${hostname}`, () => os.driver.setHostname(hostname));
}

export async function setKeys(ctx: InstanceCtx, server: ServerRecord, os: OsSession, keys: string[]): Promise<void> {
  await osOp(ctx, server, `authorized keys of ${os.user} (${keys.length})`, () => os.driver.setAuthorizedKeys(os.user, keys));
}

/** Makes `addr` the interface's only IPv4 address, with the tenancy gateway as default route. */
export async function setAddress(ctx: InstanceCtx, server: ServerRecord, os: OsSession, addr: TenancyAddress): Promise<string> {
  const address = `${addr.address}/${addr.prefixLength}`;
  await osOp(ctx, server, `address ${address} via ${addr.gateway} on ${os.interface}`, () => os.driver.configureAddress({ interface: os.interface, address, gateway: addr.gateway }));
  return `${address} via ${addr.gateway} on ${os.interface}`;
}

/**
 * Runs user_data once per job: a marker under the server's root records the
 * job that ran it, so a resumed job does not run it twice (an erased disk
 * loses the marker with everything else). Resolves with the output's tail.
 */
export async function runUserData(ctx: InstanceCtx, server: ServerRecord, os: OsSession, userData: string): Promise<string> {
  if ((await readRootFile(os, USER_DATA_MARKER)) === ctx.jobId) return 'user_data already ran in this job';
  const lines: string[] = [];
  const onOutput = (line: string, stream: OutputStream) => {
    lines.push(stream === 'stderr' ? `! ${line}` : line);
    if (lines.length > OUTPUT_TAIL_LINES) lines.shift();
  };
  await osOp(ctx, server, `user_data (${Buffer.byteLength(userData)} bytes)`, () => os.driver.runBootstrap(userData, { onOutput }), 'exit 0');
  const marker = rootPath(os, USER_DATA_MARKER);
  await os.driver.runBootstrap(`mkdir -p "$(dirname ${marker})" && printf '%s\\n' ${shellQuote(ctx.jobId)} > ${marker}`);
  return `user_data exited 0; output${lines.length >= OUTPUT_TAIL_LINES ? ` (last ${OUTPUT_TAIL_LINES} lines)` : ''}:\n${lines.join('\n')}`;
}
