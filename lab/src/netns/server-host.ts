// A lab server as its BMC simulator sees it: power is its links and its sshd, each drive a directory that secure erase empties, the installer writes the first.

import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SimBoot } from '../redfish-bmc/server';
import type { StateRecorder } from './lab-state';
import { startSshd, type NetnsSshdSpec } from './netns-sshd';
import { netnsPids, terminate } from './processes';
import { ip } from './run';

export class ServerHost {
  constructor(
    private readonly sshd: NetnsSshdSpec,
    /** Every link of the server: its NICs and mgmt0. */
    private readonly links: string[],
    /** Directory of each drive, by drive id. */
    private readonly drives: Map<string, string>,
    private readonly state: StateRecorder,
  ) {}

  /**
   * Every process in the server's namespace (sshd and its sessions) is ended
   * first, so powering on twice starts one sshd; then the links go up (On) or
   * down (Off). On starts sshd, the installed OS's, unless the server boots
   * the installer: then nothing listens until the installer powers off and
   * the server boots its disk.
   */
  async setPower(power: 'On' | 'Off', boot?: SimBoot): Promise<void> {
    await terminate(await netnsPids(this.sshd.netns), 500);
    for (const link of this.links) await ip(this.sshd.netns, 'link', 'set', 'dev', link, power === 'On' ? 'up' : 'down');
    if (power === 'On' && boot?.installerImage === undefined) await startSshd(this.sshd, this.state);
  }

  /** Empties the drive's directory (keeps the directory). Throws for a drive the server does not have. */
  eraseDrive(driveId: string): void {
    const dir = this.driveDir(driveId);
    for (const entry of readdirSync(dir)) rmSync(join(dir, entry), { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
  }

  /**
   * The installer's work: it formats the first drive and installs onto it,
   * which here means emptying its directory and writing
   * `etc/maestro/image` (the image URL and a newline), the marker the
   * engine checks after an install and that secure erase removes.
   */
  install(imageUrl: string): void {
    const [first] = this.drives.keys();
    if (first === undefined) throw new Error(`server ${this.sshd.name} has no drive to install onto`);
    this.eraseDrive(first);
    const etc = join(this.driveDir(first), 'etc', 'maestro');
    mkdirSync(etc, { recursive: true, mode: 0o755 });
    writeFileSync(join(etc, 'image'), `${imageUrl}\n`, { mode: 0o644 });
  }

  private driveDir(driveId: string): string {
    const dir = this.drives.get(driveId);
    if (!dir) throw new Error(`server ${this.sshd.name} has no drive ${driveId}`);
    return dir;
  }
}
