// The contract between the engine and a server's BMC: capability interfaces (ironic style), the driver that combines them, and BmcError.

/** What the BMC reports for the host's power. Transitional states are reported as seen. */
export type PowerState = 'On' | 'Off' | 'PoweringOn' | 'PoweringOff' | 'Paused' | 'Unknown';

/**
 * Power requests, named after Redfish ResetType values. `GracefulShutdown` asks
 * the OS to shut down and forces the power off when it has not happened in time.
 */
export type PowerAction = 'On' | 'ForceOff' | 'GracefulShutdown' | 'ForceRestart';

export type BootDevice = 'Pxe' | 'Cd' | 'Hdd';
export type BootPersistence = 'Once' | 'Continuous';
export type BootMode = 'UEFI' | 'Legacy';

/** The one-time or persistent boot device override. */
export interface BootOverride {
  /** `None` when no override is set. Other BMC targets (Usb, BiosSetup, ...) are reported as the BMC names them. */
  device: BootDevice | 'None' | string;
  /** `Disabled` when no override is active. */
  persistence: BootPersistence | 'Disabled';
  /** Absent when the BMC does not report a mode. */
  mode?: BootMode;
}

export interface PowerInterface {
  /** The host's current power state. Throws BmcError. */
  getPowerState(): Promise<PowerState>;
  /**
   * Requests `action` and resolves once the BMC reports the resulting state
   * (`On` for On/ForceRestart, `Off` for ForceOff/GracefulShutdown).
   * Idempotent: a host already in the target state gets no request at all
   * (ForceRestart of a powered-off host powers it on). Throws BmcError when the
   * BMC does not allow the action, rejects it, or the state is not reached in time.
   * With `wait: false` it resolves once the BMC accepted the request (for a
   * host that may change state again by itself, e.g. an installer that powers
   * off when done); GracefulShutdown always waits (it may need a ForceOff).
   */
  setPower(action: PowerAction, opts?: { wait?: boolean }): Promise<void>;
}

export interface BootInterface {
  getBootOverride(): Promise<BootOverride>;
  /**
   * Makes the host boot from `device` (next boot only for `Once`). Throws
   * BmcError, without sending anything, when the BMC lists the devices it
   * accepts and `device` is not among them.
   */
  setBootOverride(device: BootDevice, persistence: BootPersistence, mode?: BootMode): Promise<void>;
}

/** The CD/DVD virtual drive. */
export interface VirtualMediaState {
  /** Image URL, when one is inserted. */
  image?: string;
  inserted: boolean;
}

export interface VirtualMediaInterface {
  getVirtualMedia(): Promise<VirtualMediaState>;
  /**
   * Inserts `imageUrl` (http/https URL the BMC downloads) write-protected in
   * the CD/DVD drive. Idempotent: the same image already inserted sends
   * nothing; another image is ejected first. Throws BmcError when the BMC has
   * no CD/DVD virtual media.
   */
  insertMedia(imageUrl: string): Promise<void>;
  /** Ejects whatever is inserted; nothing inserted is success. */
  ejectMedia(): Promise<void>;
}

export type VolumeInitializeType = 'Fast' | 'Slow';

/** Storage operations used when cleaning a server between tenants. */
export interface CleaningInterface {
  /**
   * Securely erases the drive whose Redfish Id is `driveId` and resolves when
   * the BMC reports the erase finished. Throws BmcError with the BMC's
   * messages when the erase fails or does not finish within the task timeout.
   */
  secureEraseDrive(driveId: string): Promise<void>;
  /** Initializes (wipes) volume `volumeId`; same completion and error rules as secureEraseDrive. */
  initializeVolume(volumeId: string, type: VolumeInitializeType): Promise<void>;
}

export interface NicInventory {
  id: string;
  /** Lowercase colon form (`52:54:00:ab:cd:01`); absent when the BMC reports none. */
  mac?: string;
}

export interface DriveInventory {
  id: string;
  /** Id of the Storage resource (controller) holding the drive. */
  storageId: string;
  capacityBytes: number;
  /** `HDD`, `SSD` or `SMR` as the BMC reports it; absent when unknown. */
  mediaType?: string;
  serialNumber?: string;
}

export interface VolumeInventory {
  id: string;
  storageId: string;
  capacityBytes: number;
}

export interface HardwareInventory {
  /** Redfish Id of the ComputerSystem. */
  systemId: string;
  serialNumber?: string;
  powerState: PowerState;
  processors: { count: number; model?: string };
  memoryGiB: number;
  nics: NicInventory[];
  drives: DriveInventory[];
  volumes: VolumeInventory[];
}

export interface InventoryInterface {
  /** Reads the host's hardware from the BMC (several requests). Throws BmcError. */
  getInventory(): Promise<HardwareInventory>;
}

/**
 * One connected BMC. A hardware type is just this set of capability
 * implementations; callers close it (which ends the BMC session).
 */
export interface BmcDriver {
  /** The BMC endpoint, as named in errors. */
  readonly endpoint: string;
  readonly power: PowerInterface;
  readonly boot: BootInterface;
  readonly virtualMedia: VirtualMediaInterface;
  readonly cleaning: CleaningInterface;
  readonly inventory: InventoryInterface;
  /** Checks the BMC is reachable, the credentials work and the system exists. Throws BmcError. */
  validate(): Promise<void>;
  /** Ends the session (when one was opened) and releases connections. Never throws. */
  close(): Promise<void>;
}

/** TLS trust for the BMC's HTTPS endpoint. Verification against the system CAs is the default. */
export interface BmcTlsOptions {
  /** PEM of a CA (or the self-signed certificate itself) to trust instead of the system CAs. */
  caCertPem?: string;
  /**
   * SHA-256 fingerprint of the BMC's own certificate (hex, colons optional,
   * any case). Only that exact certificate is accepted, whatever its issuer or names.
   */
  fingerprintSha256?: string;
  /** Accept any certificate. Must be explicit; a warning is logged for every driver created with it. */
  insecure?: boolean;
}

/** How to reach one BMC. Credentials are already decrypted by the engine. */
export interface BmcConnectionOptions {
  /** Base URL, e.g. `https://10.0.0.5` or `https://127.0.0.1:8443`. */
  endpoint: string;
  username: string;
  password: string;
  /** Which system to manage when the BMC has several; default: the only one. */
  systemId?: string;
  tls?: BmcTlsOptions;
  /** Interval between state reads while waiting for power changes and tasks (default 1000 ms). */
  pollIntervalMs?: number;
  /** Limit for a power change to be reported (default 120 s). */
  powerTimeoutMs?: number;
  /** How long GracefulShutdown waits for Off before forcing the power off (default 60 s). */
  gracefulShutdownTimeoutMs?: number;
  /** Limit for a BMC task (secure erase, volume initialize) to finish (default 2 h). */
  taskTimeoutMs?: number;
  /** Limit for one HTTP request, connect to last byte (default 30 s). */
  requestTimeoutMs?: number;
  /** Where warnings go (insecure TLS, fallbacks); default process.emitWarning. */
  warn?: (message: string) => void;
}

/** Creates a driver for one BMC; it connects lazily, on the first operation or validate(). */
export type BmcDriverFactory = (options: BmcConnectionOptions) => BmcDriver;

/**
 * Errors at the BMC driver edge. `retryable` tells the workflow executor
 * whether trying again may help (5xx, network failures, timeouts) or not
 * (4xx: the BMC rejected the request). Never carries credentials or tokens.
 */
export class BmcError extends Error {
  constructor(
    message: string,
    /** The BMC endpoint. */
    readonly device: string,
    readonly retryable: boolean,
    /** HTTP status of the failed response, when there was one. */
    readonly status?: number,
    /** The BMC's own messages (@Message.ExtendedInfo or a Task's Messages), also joined into `message`. */
    readonly bmcMessages: string[] = [],
  ) {
    super(message);
    this.name = 'BmcError';
  }
}
