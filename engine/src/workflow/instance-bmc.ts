// An instance's server through its BMC: install an image from virtual media, erase the drives, converge the power.
// Every operation is audited on device `bmc:<server>` and safe to run again (the driver skips states already reached).

import type { BmcDriver, PowerState } from '../drivers/bmc/bmc';
import type { ServerRecord } from '../store/allocation-store';
import { audited } from './audit';
import { errorText } from './job-errors';
import type { InstanceCtx } from './instance-record';
import { isRetryable, sleep } from './retry';

/** The image as the job input carries it: fixed when the job starts, so a changed inventory cannot change a running install. */
export interface ImageSnapshot {
  name: string;
  /** What VirtualMedia.InsertMedia gets. */
  url: string;
  /** How long the installer may run before the install step fails. */
  installTimeoutS: number;
}

export const bmcDevice = (serverId: string): string => `bmc:${serverId}`;

/** Two steps driving one server's BMC never overlap. */
export const serverLock = (serverId: string): string[] => [`server:${serverId}`];

/** Runs `fn` with the server's BMC driver, closing it afterwards. */
export async function withBmc<T>(ctx: InstanceCtx, server: ServerRecord, fn: (bmc: BmcDriver) => Promise<T>): Promise<T> {
  const bmc = await ctx.services.bmc.open(server);
  try {
    return await fn(bmc);
  } finally {
    await bmc.close();
  }
}

/** One BMC operation as an audited device operation. */
const bmcOp = (ctx: InstanceCtx, server: ServerRecord, what: string, run: () => Promise<void>) =>
  audited(ctx, { what, device: bmcDevice(server.id), run, after: () => what });

/** Powers the host off unless it already is (so the audit only shows requests that were sent). */
export async function forceOff(ctx: InstanceCtx, server: ServerRecord, bmc: BmcDriver): Promise<boolean> {
  if ((await bmc.power.getPowerState()) === 'Off') return false;
  await bmcOp(ctx, server, 'power ForceOff', () => bmc.power.setPower('ForceOff'));
  return true;
}

/**
 * Installs `image`: power off, insert the image as virtual CD, boot from it
 * once, power on, wait for the installer to power the host off when it is
 * done (within the image's install timeout), eject. Run again after a crash
 * it installs again from the start. Throws when the host is still on at the
 * timeout; a cancel of the job ends the wait at once.
 */
export async function installImage(ctx: InstanceCtx, server: ServerRecord, bmc: BmcDriver, image: ImageSnapshot): Promise<string> {
  await forceOff(ctx, server, bmc);
  await bmcOp(ctx, server, `insert virtual media ${image.url}`, () => bmc.virtualMedia.insertMedia(image.url));
  await bmcOp(ctx, server, 'boot override Cd once', () => bmc.boot.setBootOverride('Cd', 'Once'));
  // Not waiting for On: a quick installer may be done (and off again) before the first poll.
  await bmcOp(ctx, server, 'power On (installer)', () => bmc.power.setPower('On', { wait: false }));
  const tookMs = await waitForInstaller(ctx, server, bmc, image);
  await bmcOp(ctx, server, 'eject virtual media', () => bmc.virtualMedia.ejectMedia());
  return `installed image ${image.name} (${image.url}): the installer powered the host off after ${Math.round(tookMs / 1000)} s; media ejected`;
}

/**
 * Reads the power state until it is Off after the installer ran: seen On
 * before, or the one-time CD boot override consumed (a BMC resets a `Once`
 * override when the host boots from it), so an Off read before the host came
 * up is not taken for a finished install. At most the image's install
 * timeout. A transient BMC error while waiting is tolerated (the next read
 * may work); one that cannot be retried ends the wait. Resolves with the time waited.
 */
async function waitForInstaller(ctx: InstanceCtx, server: ServerRecord, bmc: BmcDriver, image: ImageSnapshot): Promise<number> {
  const started = Date.now();
  const deadline = started + image.installTimeoutS * 1000;
  const interval = ctx.services.bmc.pollIntervalMs ?? 1000;
  let state: PowerState | undefined;
  let seenOn = false;
  let lastError: unknown;
  for (;;) {
    try {
      state = await bmc.power.getPowerState();
      if (state !== 'Off') seenOn = true;
      else if (seenOn || (await bmc.boot.getBootOverride()).persistence !== 'Once') return Date.now() - started;
      lastError = undefined;
    } catch (err) {
      if (!isRetryable(err)) throw err;
      lastError = err;
    }
    const left = deadline - Date.now();
    if (left <= 0) {
      const seen = lastError ? `the last power read failed: ${errorText(lastError)}` : `power is ${state}`;
      throw new Error(`the installer of image "${image.name}" did not power ${server.id} off within ${image.installTimeoutS} s (install_timeout_s); ${seen}`);
    }
    await sleep(Math.min(interval, left), ctx.signal);
  }
}

/** Securely erases every drive the BMC reports, one at a time, each erase task polled to its end. Resolves with the drive ids. */
export async function eraseDrives(ctx: InstanceCtx, server: ServerRecord, bmc: BmcDriver): Promise<string[]> {
  const { drives } = await bmc.inventory.getInventory();
  for (const d of drives) await bmcOp(ctx, server, `secure erase ${d.id}`, () => bmc.cleaning.secureEraseDrive(d.id));
  return drives.map((d) => d.id);
}

/** Ejects the virtual CD when something is inserted. */
export async function ejectMedia(ctx: InstanceCtx, server: ServerRecord, bmc: BmcDriver): Promise<boolean> {
  if (!(await bmc.virtualMedia.getVirtualMedia()).inserted) return false;
  await bmcOp(ctx, server, 'eject virtual media', () => bmc.virtualMedia.ejectMedia());
  return true;
}

/** Makes the host's power match `intended`: On, or a graceful shutdown (forced off when the OS does not react in time). */
export async function convergePower(ctx: InstanceCtx, server: ServerRecord, bmc: BmcDriver, intended: 'on' | 'off'): Promise<string> {
  const now = await bmc.power.getPowerState();
  if (intended === 'on') {
    if (now === 'On') return 'power already on';
    await bmcOp(ctx, server, 'power On', () => bmc.power.setPower('On'));
    return 'powered on';
  }
  if (now === 'Off') return 'power already off';
  await bmcOp(ctx, server, 'power GracefulShutdown', () => bmc.power.setPower('GracefulShutdown'));
  return 'shut down';
}

/** Boots the installed OS from the disk from now on and powers the host on. */
export async function bootFromDisk(ctx: InstanceCtx, server: ServerRecord, bmc: BmcDriver): Promise<string> {
  await bmcOp(ctx, server, 'boot override Hdd continuous', () => bmc.boot.setBootOverride('Hdd', 'Continuous'));
  await bmcOp(ctx, server, 'power On', () => bmc.power.setPower('On'));
  return 'boot override Hdd (continuous), powered on';
}
