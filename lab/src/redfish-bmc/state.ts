// The simulated server behind the BMC: power (changing after a delay), boot override, virtual media, an OS installer, drives, volumes, tasks, sessions.

import { randomBytes } from 'node:crypto';
import { message, type RedfishMessage } from './messages';

export type SimPowerState = 'On' | 'Off' | 'PoweringOn' | 'PoweringOff';

export interface SimDrive {
  id: string;
  capacityBytes: number;
  mediaType: 'HDD' | 'SSD';
  serialNumber: string;
  /** Set when a SecureErase task completed. */
  erased: boolean;
}

export interface SimVolume {
  id: string;
  capacityBytes: number;
  /** InitializeType of every completed Volume.Initialize, in order. */
  initializations: string[];
}

export interface SimTask {
  id: string;
  name: string;
  state: 'Running' | 'Completed' | 'Exception';
  messages: RedfishMessage[];
  startTime: string;
  endTime?: string;
}

export interface SimSession {
  id: string;
  token: string;
  userName: string;
  lastUsedAt: number;
}

/**
 * One run of the installer on the virtual CD. `running` until it ends:
 * `installed` (onInstall done, the host powered itself off), `failed` (the
 * `fail` fault: powered off without installing; or onInstall threw: `error`
 * says why and the host stays On, as an installer stuck on an error screen),
 * `interrupted` (the host was powered off or restarted first). With the
 * `hang` fault it stays `running` until the power goes off.
 */
export interface SimInstall {
  image: string;
  outcome: 'running' | 'installed' | 'failed' | 'interrupted';
  error?: string;
  startedAt: string;
  endedAt?: string;
}

/** What a power on boots, as the hardware decides it from the boot override and the virtual media. */
export interface SimBoot {
  /** The boot override target in effect for this boot (`None`: the normal boot order, i.e. the disk). */
  source: string;
  /** Set when this boot starts the installer from the inserted CD image (the URL). */
  installerImage?: string;
}

/** An installer run in progress and its timer (none while hanging). */
interface RunningInstall {
  record: SimInstall;
  timer?: NodeJS.Timeout;
}

/** Misbehaviour of the installer: `hang` never finishes (the host stays On); `fail` powers off after `installMs` without installing. */
export type InstallFault = 'hang' | 'fail';

/** Timing and hooks of the simulated hardware. */
export interface HardwareBehaviour {
  /** Time a power change takes before PowerState shows the result. */
  powerDelayMs: number;
  /** The OS never reacts to GracefulShutdown (the host stays On). */
  ignoreGracefulShutdown: boolean;
  secureEraseMs: number;
  /** Time a Slow Volume.Initialize takes (Fast completes at once). */
  volumeInitializeMs: number;
  /**
   * Time the installer takes: a power on that boots from the CD (boot
   * override target Cd, Once or Continuous) with media inserted runs the
   * installer, which calls `onInstall` after this long and then powers the
   * host off, as unattended installers do when done.
   */
  installMs: number;
  /** Initial installer fault (default none); `BmcState.installFault` changes it at run time. */
  installFault?: InstallFault;
  /**
   * Called when the host is powered on or off (restart: Off then On); for On,
   * `boot` says what it boots (the installer or the disk). A throw keeps the
   * old state.
   */
  onPowerChange?: (state: 'On' | 'Off', boot: SimBoot) => void | Promise<void>;
  /** Called by the installer when it has "written" the image (the URL of the inserted CD); a throw stops the installer (the host stays On). */
  onInstall?: (imageUrl: string) => void | Promise<void>;
  /** Called when a secure erase finishes; a throw makes the task end in Exception with the error's message. */
  onSecureErase?: (driveId: string) => void | Promise<void>;
}

/**
 * What the BMC knows. Tests read it to check what the driver did and may set
 * it directly to arrange a scenario; every change of the ComputerSystem goes
 * through `touchSystem` so its ETag changes.
 */
export class BmcState {
  powerState: SimPowerState;
  boot = { target: 'None', enabled: 'Disabled', mode: 'UEFI' };
  media: { image: string | null; inserted: boolean; writeProtected: boolean } = { image: null, inserted: false, writeProtected: true };
  readonly drives = new Map<string, SimDrive>();
  readonly volumes = new Map<string, SimVolume>();
  readonly tasks = new Map<string, SimTask>();
  /** Open sessions by token. */
  readonly sessions = new Map<string, SimSession>();
  /** Every ResetType the BMC accepted, in order. */
  readonly resets: string[] = [];
  /** Every installer run, in order; the last may be running. */
  readonly installs: SimInstall[] = [];
  /** Installer fault in effect for installs that start from now on; tests may set it. */
  installFault: InstallFault | undefined;
  /** Error of the last power or install hook that failed, if any. */
  lastHookError?: string;
  /** The installer running now. */
  private install?: RunningInstall;
  private systemVersion = 1;
  private readonly nextId = { task: 1, session: 1 };
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    initialPower: 'On' | 'Off',
    drives: SimDrive[],
    volumes: SimVolume[],
    private readonly behaviour: HardwareBehaviour,
  ) {
    this.powerState = initialPower;
    this.installFault = behaviour.installFault;
    for (const d of drives) this.drives.set(d.id, d);
    for (const v of volumes) this.volumes.set(v.id, v);
  }

  /** The ComputerSystem's current ETag. */
  get systemEtag(): string {
    return `"system-${this.systemVersion}"`;
  }

  /** Marks the ComputerSystem changed (new ETag). */
  touchSystem(): void {
    this.systemVersion++;
  }

  /** Applies an accepted ResetType; the resulting PowerState shows after `powerDelayMs`. */
  reset(resetType: string): void {
    this.resets.push(resetType);
    const on = this.powerState === 'On' || this.powerState === 'PoweringOn';
    if (resetType === 'On' && !on) return this.transition('PoweringOn', ['On']);
    if (resetType === 'ForceOff' && on) return this.transition('PoweringOff', ['Off']);
    if (resetType === 'GracefulShutdown' && on && !this.behaviour.ignoreGracefulShutdown) return this.transition('PoweringOff', ['Off']);
    if (resetType === 'PushPowerButton') return this.transition(on ? 'PoweringOff' : 'PoweringOn', [on ? 'Off' : 'On']);
    if ((resetType === 'ForceRestart' || resetType === 'GracefulRestart') && on) return this.transition('On', ['Off', 'On']);
  }

  /** Starts a task that runs `work` after `durationMs`; a throw ends it in Exception with the error's message. */
  startTask(name: string, durationMs: number, work: () => void | Promise<void>): SimTask {
    const task: SimTask = { id: String(this.nextId.task++), name, state: 'Running', messages: [], startTime: new Date().toISOString() };
    this.tasks.set(task.id, task);
    this.later(durationMs, async () => {
      try {
        await work();
        task.state = 'Completed';
      } catch (err) {
        task.state = 'Exception';
        task.messages = [{ ...message('InternalError'), Message: `${name} failed: ${err instanceof Error ? err.message : String(err)}` }];
      }
      task.endTime = new Date().toISOString();
    });
    return task;
  }

  /** A secure erase task for `drive`. */
  secureErase(drive: SimDrive): SimTask {
    return this.startTask(`Secure erase of drive ${drive.id}`, this.behaviour.secureEraseMs, async () => {
      await this.behaviour.onSecureErase?.(drive.id);
      drive.erased = true;
    });
  }

  /** Fast completes at once (returns undefined); Slow runs as a task. */
  initializeVolume(volume: SimVolume, type: string): SimTask | undefined {
    if (type === 'Fast') {
      volume.initializations.push(type);
      return undefined;
    }
    return this.startTask(`Initialize volume ${volume.id}`, this.behaviour.volumeInitializeMs, () => {
      volume.initializations.push(type);
    });
  }

  openSession(userName: string): SimSession {
    const session = { id: String(this.nextId.session++), token: randomBytes(16).toString('hex'), userName, lastUsedAt: Date.now() };
    this.sessions.set(session.token, session);
    return session;
  }

  /** The session of `token` if it was used within `idleMs` (and refreshes it); expired sessions are removed. */
  useSession(token: string, idleMs: number): SimSession | undefined {
    const session = this.sessions.get(token);
    if (!session) return undefined;
    if (Date.now() - session.lastUsedAt > idleMs) {
      this.sessions.delete(token);
      return undefined;
    }
    session.lastUsedAt = Date.now();
    return session;
  }

  /** Stops pending power changes, tasks and the installer. */
  dispose(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.install = undefined;
  }

  /**
   * What the next power on boots: the override target if one is in effect,
   * and the installer when that is the CD with an image inserted. Does not
   * consume a one-time override (`powerOnDone` does, once the power is on).
   */
  private nextBoot(): SimBoot {
    const source = this.boot.enabled === 'Disabled' ? 'None' : this.boot.target;
    const { image, inserted } = this.media;
    return source === 'Cd' && inserted && image ? { source, installerImage: image } : { source };
  }

  /**
   * Shows `interim` now; after the delay runs the hook for each step and
   * settles on the last one. Any power change ends a running installer first
   * (its power goes away); a completed power on consumes a one-time boot
   * override, as BMCs reset BootSourceOverrideEnabled to Disabled when the
   * host boots, and starts the installer when it booted from the CD.
   */
  private transition(interim: SimPowerState, steps: Array<'On' | 'Off'>): void {
    this.interruptInstall();
    const before = this.powerState;
    this.powerState = interim;
    this.touchSystem();
    this.later(this.behaviour.powerDelayMs, async () => {
      let boot: SimBoot | undefined;
      try {
        for (const step of steps) {
          boot = step === 'On' ? this.nextBoot() : undefined;
          await this.behaviour.onPowerChange?.(step, boot ?? { source: 'None' });
        }
        this.powerState = steps[steps.length - 1];
      } catch (err) {
        this.lastHookError = errorText(err);
        this.powerState = before;
        boot = undefined;
      }
      this.touchSystem();
      if (boot) this.powerOnDone(boot);
    });
  }

  private powerOnDone(boot: SimBoot): void {
    if (this.boot.enabled === 'Once') {
      this.boot = { ...this.boot, enabled: 'Disabled' };
      this.touchSystem();
    }
    if (boot.installerImage !== undefined) this.startInstall(boot.installerImage);
  }

  /** The installer on the CD: after `installMs` it installs (`onInstall`) and powers off, unless a fault says otherwise. */
  private startInstall(image: string): void {
    const current: RunningInstall = { record: { image, outcome: 'running', startedAt: new Date().toISOString() } };
    this.installs.push(current.record);
    this.install = current;
    const fault = this.installFault;
    if (fault === 'hang') return;
    current.timer = this.later(this.behaviour.installMs, async () => {
      if (fault === 'fail') return this.endInstall(current, 'failed', 'the installer failed (injected fault) and powered off without installing');
      try {
        await this.behaviour.onInstall?.(image);
      } catch (err) {
        this.lastHookError = errorText(err);
        return this.endInstall(current, 'failed', `onInstall: ${this.lastHookError}`, { powerOff: false });
      }
      this.endInstall(current, 'installed');
    });
  }

  /** Ends the installer if it is still the current one (power did not go away meanwhile) and powers the host off, as the installer does when it exits. */
  private endInstall(current: RunningInstall, outcome: 'installed' | 'failed', error?: string, { powerOff = true } = {}): void {
    if (this.install !== current) return;
    this.finish(current, outcome, error);
    if (powerOff) this.transition('PoweringOff', ['Off']);
  }

  private interruptInstall(): void {
    const current = this.install;
    if (!current) return;
    if (current.timer) this.cancel(current.timer);
    this.finish(current, 'interrupted');
  }

  /** Records the outcome; the installer is no longer running. */
  private finish(current: RunningInstall, outcome: SimInstall['outcome'], error?: string): void {
    current.record.outcome = outcome;
    if (error !== undefined) current.record.error = error;
    current.record.endedAt = new Date().toISOString();
    this.install = undefined;
  }

  private later(ms: number, fn: () => Promise<void>): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void fn();
    }, ms);
    this.timers.add(timer);
    return timer;
  }

  private cancel(timer: NodeJS.Timeout): void {
    clearTimeout(timer);
    this.timers.delete(timer);
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
