// A lab server as its BMC simulator sees it: power is its links and its sshd, each drive a directory that secure erase empties.

import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
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
   * down (Off), and On starts sshd.
   */
  async setPower(power: 'On' | 'Off'): Promise<void> {
    await terminate(await netnsPids(this.sshd.netns), 500);
    for (const link of this.links) await ip(this.sshd.netns, 'link', 'set', 'dev', link, power === 'On' ? 'up' : 'down');
    if (power === 'On') await startSshd(this.sshd, this.state);
  }

  /** Empties the drive's directory (keeps the directory). Throws for a drive the server does not have. */
  eraseDrive(driveId: string): void {
    const dir = this.drives.get(driveId);
    if (!dir) throw new Error(`server ${this.sshd.name} has no drive ${driveId}`);
    for (const entry of readdirSync(dir)) rmSync(join(dir, entry), { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
  }
}
