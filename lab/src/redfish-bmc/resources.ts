// The simulator's Redfish resources as JSON, rendered from the configuration and the current state.

import type { SimulatorConfig } from './options';
import type { BmcState, SimDrive, SimSession, SimTask, SimVolume } from './state';

const V1 = '/redfish/v1';

/** Every URI the simulator serves, derived from the system id so no other file spells them out. */
export function uris(config: SimulatorConfig) {
  const system = `${V1}/Systems/${config.systemId}`;
  const storage = `${system}/Storage/1`;
  const vmedia = config.virtualMediaUnder === 'system' ? `${system}/VirtualMedia` : `${V1}/Managers/1/VirtualMedia`;
  return {
    root: `${V1}/`,
    sessionService: `${V1}/SessionService`,
    sessions: `${V1}/SessionService/Sessions`,
    systems: `${V1}/Systems`,
    system,
    reset: `${system}/Actions/ComputerSystem.Reset`,
    nics: `${system}/EthernetInterfaces`,
    storages: `${system}/Storage`,
    storage,
    drive: (id: string) => `${storage}/Drives/${id}`,
    volumes: `${storage}/Volumes`,
    volume: (id: string) => `${storage}/Volumes/${id}`,
    managers: `${V1}/Managers`,
    manager: `${V1}/Managers/1`,
    vmedia,
    vmediaMember: (id: string) => `${vmedia}/${id}`,
    chassisCollection: `${V1}/Chassis`,
    chassis: `${V1}/Chassis/1`,
    taskService: `${V1}/TaskService`,
    tasks: `${V1}/TaskService/Tasks`,
    task: (id: string) => `${V1}/TaskService/Tasks/${id}`,
    monitor: (id: string) => `${V1}/TaskService/Tasks/${id}/Monitor`,
  };
}

export type SimUris = ReturnType<typeof uris>;

const link = (id: string) => ({ '@odata.id': id });

export function collection(id: string, type: string, name: string, members: string[]): object {
  return { '@odata.id': id, '@odata.type': `#${type}.${type}`, Name: name, Members: members.map(link), 'Members@odata.count': members.length };
}

export function serviceRoot(config: SimulatorConfig, u: SimUris): object {
  return {
    '@odata.id': u.root,
    '@odata.type': '#ServiceRoot.v1_15_0.ServiceRoot',
    Id: 'RootService',
    Name: 'Maestro Redfish BMC simulator',
    RedfishVersion: '1.17.0',
    UUID: '5a1e0000-0000-4000-8000-000000000001',
    Systems: link(u.systems),
    Managers: link(u.managers),
    Chassis: link(u.chassisCollection),
    TaskService: link(u.taskService),
    ...(config.sessionService ? { SessionService: link(u.sessionService), Links: { Sessions: link(u.sessions) } } : { Links: {} }),
  };
}

export function sessionService(config: SimulatorConfig, u: SimUris): object {
  const timeoutSeconds = Math.max(1, Math.round(config.sessionIdleTimeoutMs / 1000));
  return { '@odata.id': u.sessionService, '@odata.type': '#SessionService.v1_1_8.SessionService', Id: 'SessionService', Name: 'Session Service', ServiceEnabled: true, SessionTimeout: timeoutSeconds, Sessions: link(u.sessions) };
}

export function session(u: SimUris, s: SimSession): object {
  return { '@odata.id': `${u.sessions}/${s.id}`, '@odata.type': '#Session.v1_6_0.Session', Id: s.id, Name: `Session ${s.id}`, UserName: s.userName };
}

export function system(config: SimulatorConfig, state: BmcState, u: SimUris): object {
  return {
    '@odata.id': u.system,
    '@odata.type': '#ComputerSystem.v1_20_0.ComputerSystem',
    '@odata.etag': state.systemEtag,
    Id: config.systemId,
    Name: `Simulated server ${config.systemId}`,
    SystemType: 'Physical',
    Manufacturer: 'Maestro',
    Model: 'Simulated bare-metal server',
    SerialNumber: config.serialNumber,
    PowerState: state.powerState,
    Boot: {
      BootSourceOverrideTarget: state.boot.target,
      'BootSourceOverrideTarget@Redfish.AllowableValues': config.bootTargets,
      BootSourceOverrideEnabled: state.boot.enabled,
      'BootSourceOverrideEnabled@Redfish.AllowableValues': ['Disabled', 'Once', 'Continuous'],
      BootSourceOverrideMode: state.boot.mode,
      'BootSourceOverrideMode@Redfish.AllowableValues': ['UEFI', 'Legacy'],
    },
    ProcessorSummary: { Count: config.processors.count, Model: config.processors.model },
    MemorySummary: { TotalSystemMemoryGiB: config.memoryGiB },
    EthernetInterfaces: link(u.nics),
    Storage: link(u.storages),
    ...(config.virtualMediaUnder === 'system' ? { VirtualMedia: link(u.vmedia) } : {}),
    Links: { ManagedBy: [link(u.manager)], Chassis: [link(u.chassis)] },
    Actions: { '#ComputerSystem.Reset': { target: u.reset, 'ResetType@Redfish.AllowableValues': config.resetTypes } },
  };
}

export function ethernetInterface(u: SimUris, index: number, mac: string): object {
  return { '@odata.id': `${u.nics}/NIC.${index}`, '@odata.type': '#EthernetInterface.v1_9_0.EthernetInterface', Id: `NIC.${index}`, Name: `NIC ${index}`, MACAddress: mac, PermanentMACAddress: mac, SpeedMbps: 25000, LinkStatus: 'LinkUp' };
}

export function storage(state: BmcState, u: SimUris): object {
  return {
    '@odata.id': u.storage,
    '@odata.type': '#Storage.v1_13_0.Storage',
    Id: '1',
    Name: 'Simulated storage controller',
    Drives: [...state.drives.keys()].map((id) => link(u.drive(id))),
    Volumes: link(u.volumes),
  };
}

export function drive(u: SimUris, d: SimDrive): object {
  return {
    '@odata.id': u.drive(d.id),
    '@odata.type': '#Drive.v1_17_0.Drive',
    Id: d.id,
    Name: `Drive ${d.id}`,
    CapacityBytes: d.capacityBytes,
    MediaType: d.mediaType,
    SerialNumber: d.serialNumber,
    Protocol: d.mediaType === 'SSD' ? 'NVMe' : 'SATA',
    Actions: { '#Drive.SecureErase': { target: `${u.drive(d.id)}/Actions/Drive.SecureErase` } },
  };
}

export function volume(u: SimUris, v: SimVolume): object {
  return {
    '@odata.id': u.volume(v.id),
    '@odata.type': '#Volume.v1_9_0.Volume',
    Id: v.id,
    Name: `Volume ${v.id}`,
    CapacityBytes: v.capacityBytes,
    RAIDType: 'RAID0',
    Actions: { '#Volume.Initialize': { target: `${u.volume(v.id)}/Actions/Volume.Initialize`, 'InitializeType@Redfish.AllowableValues': ['Fast', 'Slow'] } },
  };
}

export function manager(config: SimulatorConfig, u: SimUris): object {
  return {
    '@odata.id': u.manager,
    '@odata.type': '#Manager.v1_17_0.Manager',
    Id: '1',
    Name: 'Simulated BMC',
    ManagerType: 'BMC',
    FirmwareVersion: '1.0.0-sim',
    ...(config.virtualMediaUnder === 'manager' ? { VirtualMedia: link(u.vmedia) } : {}),
    Links: { ManagerForServers: [link(u.system)], ManagerForChassis: [link(u.chassis)] },
  };
}

/** The two virtual drives: a USB stick (listed first, so clients must pick by MediaTypes) and the CD/DVD. */
export function virtualMedia(config: SimulatorConfig, state: BmcState, u: SimUris, id: 'Usb' | 'Cd'): object {
  const base = { '@odata.id': u.vmediaMember(id), '@odata.type': '#VirtualMedia.v1_6_0.VirtualMedia', Id: id, Name: `Virtual ${id}` };
  if (id === 'Usb') return { ...base, MediaTypes: ['USBStick'], Image: null, Inserted: false, WriteProtected: true, ConnectedVia: 'NotConnected' };
  const actions = {
    '#VirtualMedia.InsertMedia': { target: `${u.vmediaMember(id)}/Actions/VirtualMedia.InsertMedia` },
    '#VirtualMedia.EjectMedia': { target: `${u.vmediaMember(id)}/Actions/VirtualMedia.EjectMedia` },
  };
  const { image, inserted, writeProtected } = state.media;
  return {
    ...base,
    MediaTypes: ['CD', 'DVD'],
    Image: image,
    Inserted: inserted,
    WriteProtected: writeProtected,
    ConnectedVia: inserted ? 'URI' : 'NotConnected',
    ...(config.virtualMediaActions ? { Actions: actions } : {}),
  };
}

export function chassis(u: SimUris): object {
  return { '@odata.id': u.chassis, '@odata.type': '#Chassis.v1_23_0.Chassis', Id: '1', Name: 'Simulated chassis', ChassisType: 'RackMount', Links: { ComputerSystems: [link(u.system)], ManagedBy: [link(u.manager)] } };
}

export function taskService(u: SimUris): object {
  return { '@odata.id': u.taskService, '@odata.type': '#TaskService.v1_2_0.TaskService', Id: 'TaskService', Name: 'Task Service', ServiceEnabled: true, Tasks: link(u.tasks) };
}

export function task(u: SimUris, t: SimTask): object {
  return {
    '@odata.id': u.task(t.id),
    '@odata.type': '#Task.v1_7_1.Task',
    Id: t.id,
    Name: t.name,
    TaskState: t.state,
    TaskStatus: t.state === 'Exception' ? 'Critical' : 'OK',
    StartTime: t.startTime,
    ...(t.endTime ? { EndTime: t.endTime } : {}),
    TaskMonitor: u.monitor(t.id),
    Messages: t.messages,
  };
}
