// Options of the Redfish BMC simulator, with the defaults of a small two-disk server.

import type { HardwareBehaviour, SimDrive, SimVolume } from './state';

export interface RedfishSimulatorOptions extends Partial<HardwareBehaviour> {
  /** Credentials accepted for sessions and Basic auth (default admin / password). */
  username?: string;
  password?: string;
  /** Default 127.0.0.1 and an ephemeral port. */
  listen?: { host?: string; port?: number };
  /** Certificate and key to serve (PEM); default a fresh self-signed certificate for 127.0.0.1 and localhost. */
  tls?: { certPem: string; keyPem: string };
  /** Id of the one ComputerSystem (default `1`). */
  systemId?: string;
  serialNumber?: string;
  initialPowerState?: 'On' | 'Off';
  /** MAC addresses of the EthernetInterfaces, one interface each (reported upper case, as many BMCs do). */
  macs?: string[];
  processors?: { count: number; model: string };
  memoryGiB?: number;
  drives?: Array<Omit<SimDrive, 'erased'>>;
  volumes?: Array<Omit<SimVolume, 'initializations'>>;
  /** false: no SessionService (no link, session creation answers 404), Basic auth only. Default true. */
  sessionService?: boolean;
  /** Sessions unused for this long are gone and their token gets 401 (default 30 min). */
  sessionIdleTimeoutMs?: number;
  /** ResetType@Redfish.AllowableValues (default On, ForceOff, GracefulShutdown, ForceRestart, GracefulRestart, PushPowerButton). */
  resetTypes?: string[];
  /** BootSourceOverrideTarget@Redfish.AllowableValues (default None, Pxe, Cd, Hdd, BiosSetup). */
  bootTargets?: string[];
  /** Where the VirtualMedia collection lives: under Managers/1 (default, older schema) or under the System. */
  virtualMediaUnder?: 'manager' | 'system';
  /** false models an older BMC: no InsertMedia/EjectMedia actions, media is changed by PATCHing Image/Inserted. */
  virtualMediaActions?: boolean;
  /** What a finished task monitor answers: the Task resource with 200 (default), or the operation's response (204, or an error). */
  taskMonitorAnswer?: 'task' | 'response';
}

/** Options without a default. */
type Unset = 'listen' | 'tls' | 'onPowerChange' | 'onSecureErase' | 'onInstall' | 'installFault';

export type SimulatorConfig = Required<Omit<RedfishSimulatorOptions, Unset>> & Pick<RedfishSimulatorOptions, Unset>;

const GiB = 1024 ** 3;

/** The options with every default filled in. */
export function resolveOptions(opts: RedfishSimulatorOptions): SimulatorConfig {
  return {
    username: 'admin',
    password: 'password',
    systemId: '1',
    serialNumber: 'SIM0001',
    initialPowerState: 'Off',
    macs: ['52:54:00:AA:00:01', '52:54:00:AA:00:02'],
    processors: { count: 2, model: 'Simulated Xeon 16-core' },
    memoryGiB: 64,
    drives: [
      { id: 'Disk.0', capacityBytes: 480 * GiB, mediaType: 'SSD', serialNumber: 'SIMSSD0' },
      { id: 'Disk.1', capacityBytes: 1920 * GiB, mediaType: 'HDD', serialNumber: 'SIMHDD1' },
    ],
    volumes: [{ id: 'Volume.0', capacityBytes: 480 * GiB }],
    sessionService: true,
    sessionIdleTimeoutMs: 30 * 60_000,
    resetTypes: ['On', 'ForceOff', 'GracefulShutdown', 'ForceRestart', 'GracefulRestart', 'PushPowerButton'],
    bootTargets: ['None', 'Pxe', 'Cd', 'Hdd', 'BiosSetup'],
    virtualMediaUnder: 'manager',
    virtualMediaActions: true,
    taskMonitorAnswer: 'task',
    powerDelayMs: 300,
    ignoreGracefulShutdown: false,
    secureEraseMs: 1000,
    volumeInitializeMs: 1000,
    installMs: 300,
    ...definedOnly(opts),
  };
}

function definedOnly<T extends object>(opts: T): Partial<T> {
  return Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)) as Partial<T>;
}
