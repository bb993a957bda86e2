// The simulated server behind the BMC: power (changing after a delay), boot override, virtual media, drives, volumes, tasks, sessions.

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

/** Timing and hooks of the simulated hardware. */
export interface HardwareBehaviour {
  /** Time a power change takes before PowerState shows the result. */
  powerDelayMs: number;
  /** The OS never reacts to GracefulShutdown (the host stays On). */
  ignoreGracefulShutdown: boolean;
  secureEraseMs: number;
  /** Time a Slow Volume.Initialize takes (Fast completes at once). */
  volumeInitializeMs: number;
  /** Called when the host is powered on or off (restart: Off then On). A throw keeps the old state. */
  onPowerChange?: (state: 'On' | 'Off') => void | Promise<void>;
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
  /** Error of the last power hook that failed, if any. */
  lastHookError?: string;
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

  /** Stops pending power changes and tasks. */
  dispose(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  /** Shows `interim` now; after the delay runs the hook for each step and settles on the last one. */
  private transition(interim: SimPowerState, steps: Array<'On' | 'Off'>): void {
    const before = this.powerState;
    this.powerState = interim;
    this.touchSystem();
    this.later(this.behaviour.powerDelayMs, async () => {
      try {
        for (const step of steps) await this.behaviour.onPowerChange?.(step);
        this.powerState = steps[steps.length - 1];
      } catch (err) {
        this.lastHookError = err instanceof Error ? err.message : String(err);
        this.powerState = before;
      }
      this.touchSystem();
    });
  }

  private later(ms: number, fn: () => Promise<void>): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void fn();
    }, ms);
    this.timers.add(timer);
  }
}
