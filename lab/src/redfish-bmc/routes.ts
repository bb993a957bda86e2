// The simulator's Redfish operations: one handler per method and URI, answering with resources or Base registry errors.

import type { IncomingHttpHeaders } from 'node:http';
import { errorBody, message, type RedfishMessage } from './messages';
import type { SimulatorConfig } from './options';
import * as r from './resources';
import type { BmcState, SimSession, SimTask } from './state';

export interface SimRequest {
  method: string;
  /** Without query string and trailing slash. */
  path: string;
  body: Record<string, unknown>;
  headers: IncomingHttpHeaders;
}

export interface SimReply {
  status: number;
  body?: object;
  headers?: Record<string, string>;
}

type Handler = (req: SimRequest, param: string) => SimReply;

interface Route {
  method: string;
  pattern: RegExp;
  /** Reachable without credentials (service root, session login). */
  public: boolean;
  handler: Handler;
}

/** Stands for one path segment in a URI template. */
const PARAM = '\u0000';

function compile(template: string): RegExp {
  const escaped = template.replace(/\/$/, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${escaped.replace(PARAM, '([^/]+)')}$`);
}

const ok = (body: object, headers?: Record<string, string>): SimReply => ({ status: 200, body, ...(headers ? { headers } : {}) });
const noContent: SimReply = { status: 204 };

export function fail(status: number, ...messages: RedfishMessage[]): SimReply {
  return { status, body: errorBody(...messages) };
}

/** 400 ActionParameterNotSupported for the first parameter not in `allowed`, else undefined. */
function unsupportedParam(body: Record<string, unknown>, allowed: string[], action: string): SimReply | undefined {
  const extra = Object.keys(body).find((k) => !allowed.includes(k));
  return extra === undefined ? undefined : fail(400, message('ActionParameterNotSupported', extra, action));
}

export class SimRoutes {
  private readonly routes: Route[] = [];
  readonly uris: r.SimUris;

  constructor(
    private readonly config: SimulatorConfig,
    private readonly state: BmcState,
  ) {
    this.uris = r.uris(config);
    this.register();
  }

  /** The route for a request: the handler, `notAllowed` when the URI exists with other methods, or undefined. */
  find(method: string, path: string): { route: Route; param: string } | 'notAllowed' | undefined {
    let pathMatched = false;
    for (const route of this.routes) {
      const m = route.pattern.exec(path);
      if (!m) continue;
      if (route.method === method) return { route, param: decodeURIComponent(m[1] ?? '') };
      pathMatched = true;
    }
    return pathMatched ? 'notAllowed' : undefined;
  }

  private add(method: string, template: string, handler: Handler, isPublic = false): void {
    this.routes.push({ method, pattern: compile(template), public: isPublic, handler });
  }

  private register(): void {
    const { config, state } = this;
    const u = this.uris;
    const get = (template: string, render: (param: string) => object | undefined) =>
      this.add('GET', template, (req, param) => {
        const body = render(param);
        return body ? ok(body) : fail(404, message('ResourceNotFound', 'resource', req.path));
      });
    this.add('GET', '/redfish', () => ok({ v1: u.root }), true);
    this.add('GET', u.root, () => ok(r.serviceRoot(config, u)), true);
    if (config.sessionService) {
      get(u.sessionService, () => r.sessionService(config, u));
      get(u.sessions, () => r.collection(u.sessions, 'SessionCollection', 'Sessions', [...state.sessions.values()].map((s) => `${u.sessions}/${s.id}`)));
      this.add('POST', u.sessions, (req) => this.login(req), true);
      get(`${u.sessions}/${PARAM}`, (id) => {
        const found = this.sessionById(id);
        return found && r.session(u, found);
      });
      this.add('DELETE', `${u.sessions}/${PARAM}`, (req, id) => this.logout(req, id));
    }
    get(u.systems, () => r.collection(u.systems, 'ComputerSystemCollection', 'Systems', [u.system]));
    this.add('GET', u.system, () => ok(r.system(config, state, u), { ETag: state.systemEtag }));
    this.add('PATCH', u.system, (req) => this.patchSystem(req));
    this.add('POST', u.reset, (req) => this.reset(req));
    get(u.nics, () => r.collection(u.nics, 'EthernetInterfaceCollection', 'Ethernet interfaces', config.macs.map((_, i) => `${u.nics}/NIC.${i + 1}`)));
    get(`${u.nics}/NIC.${PARAM}`, (n) => (config.macs[Number(n) - 1] ? r.ethernetInterface(u, Number(n), config.macs[Number(n) - 1]) : undefined));
    get(u.storages, () => r.collection(u.storages, 'StorageCollection', 'Storage', [u.storage]));
    get(u.storage, () => r.storage(state, u));
    get(u.drive(PARAM), (id) => (state.drives.has(id) ? r.drive(u, state.drives.get(id)!) : undefined));
    this.add('POST', `${u.drive(PARAM)}/Actions/Drive.SecureErase`, (req, id) => this.secureErase(req, id));
    get(u.volumes, () => r.collection(u.volumes, 'VolumeCollection', 'Volumes', [...state.volumes.keys()].map(u.volume)));
    get(u.volume(PARAM), (id) => (state.volumes.has(id) ? r.volume(u, state.volumes.get(id)!) : undefined));
    this.add('POST', `${u.volume(PARAM)}/Actions/Volume.Initialize`, (req, id) => this.initialize(req, id));
    get(u.managers, () => r.collection(u.managers, 'ManagerCollection', 'Managers', [u.manager]));
    get(u.manager, () => r.manager(config, u));
    get(u.vmedia, () => r.collection(u.vmedia, 'VirtualMediaCollection', 'Virtual media', [u.vmediaMember('Usb'), u.vmediaMember('Cd')]));
    get(u.vmediaMember(PARAM), (id) => (id === 'Usb' || id === 'Cd' ? r.virtualMedia(config, state, u, id) : undefined));
    this.add('PATCH', u.vmediaMember('Cd'), (req) => this.patchMedia(req));
    if (config.virtualMediaActions) {
      this.add('POST', `${u.vmediaMember('Cd')}/Actions/VirtualMedia.InsertMedia`, (req) => this.insertMedia(req));
      this.add('POST', `${u.vmediaMember('Cd')}/Actions/VirtualMedia.EjectMedia`, () => this.ejectMedia());
    }
    get(u.chassisCollection, () => r.collection(u.chassisCollection, 'ChassisCollection', 'Chassis', [u.chassis]));
    get(u.chassis, () => r.chassis(u));
    get(u.taskService, () => r.taskService(u));
    get(u.tasks, () => r.collection(u.tasks, 'TaskCollection', 'Tasks', [...state.tasks.keys()].map(u.task)));
    get(u.task(PARAM), (id) => (state.tasks.has(id) ? r.task(u, state.tasks.get(id)!) : undefined));
    this.add('GET', u.monitor(PARAM), (req, id) => this.monitor(req, id));
  }

  private login(req: SimRequest): SimReply {
    const { UserName, Password } = req.body;
    if (typeof UserName !== 'string' || typeof Password !== 'string') return fail(400, message('ActionParameterMissing', 'Session creation', 'UserName/Password'));
    if (UserName !== this.config.username || Password !== this.config.password) return fail(401, message('NoValidSession'));
    const session = this.state.openSession(UserName);
    const location = `${this.uris.sessions}/${session.id}`;
    return { status: 201, body: r.session(this.uris, session), headers: { 'X-Auth-Token': session.token, Location: location } };
  }

  private logout(req: SimRequest, id: string): SimReply {
    const found = this.sessionById(id);
    if (!found) return fail(404, message('ResourceNotFound', 'Session', id));
    this.state.sessions.delete(found.token);
    return noContent;
  }

  private sessionById(id: string): SimSession | undefined {
    return [...this.state.sessions.values()].find((s) => s.id === id);
  }

  private patchSystem(req: SimRequest): SimReply {
    const ifMatch = req.headers['if-match'];
    if (ifMatch !== undefined && ifMatch !== '*' && ifMatch !== this.state.systemEtag) return fail(412, message('PreconditionFailed'));
    const unknown = Object.keys(req.body).find((k) => k !== 'Boot');
    if (unknown) return fail(400, message('PropertyNotWritable', unknown));
    const boot = (req.body.Boot ?? {}) as Record<string, unknown>;
    const lists: Record<string, string[]> = {
      BootSourceOverrideTarget: this.config.bootTargets,
      BootSourceOverrideEnabled: ['Disabled', 'Once', 'Continuous'],
      BootSourceOverrideMode: ['UEFI', 'Legacy'],
    };
    for (const [key, value] of Object.entries(boot)) {
      if (!lists[key]) return fail(400, message('PropertyUnknown', `Boot/${key}`));
      if (!lists[key].includes(String(value))) return fail(400, message('PropertyValueNotInList', String(value), `Boot/${key}`));
    }
    const next = { ...this.state.boot };
    if (boot.BootSourceOverrideTarget !== undefined) next.target = String(boot.BootSourceOverrideTarget);
    if (boot.BootSourceOverrideEnabled !== undefined) next.enabled = String(boot.BootSourceOverrideEnabled);
    if (boot.BootSourceOverrideMode !== undefined) next.mode = String(boot.BootSourceOverrideMode);
    this.state.boot = next;
    this.state.touchSystem();
    return noContent;
  }

  private reset(req: SimRequest): SimReply {
    const action = 'ComputerSystem.Reset';
    const bad = unsupportedParam(req.body, ['ResetType'], action);
    if (bad) return bad;
    const type = req.body.ResetType;
    if (type === undefined) return fail(400, message('ActionParameterMissing', action, 'ResetType'));
    if (!this.config.resetTypes.includes(String(type))) return fail(400, message('ActionParameterValueNotInList', String(type), 'ResetType', action));
    this.state.reset(String(type));
    return noContent;
  }

  private secureErase(req: SimRequest, id: string): SimReply {
    const drive = this.state.drives.get(id);
    if (!drive) return fail(404, message('ResourceNotFound', 'Drive', id));
    const bad = unsupportedParam(req.body, [], 'Drive.SecureErase');
    return bad ?? this.accepted(this.state.secureErase(drive));
  }

  private initialize(req: SimRequest, id: string): SimReply {
    const action = 'Volume.Initialize';
    const volume = this.state.volumes.get(id);
    if (!volume) return fail(404, message('ResourceNotFound', 'Volume', id));
    const bad = unsupportedParam(req.body, ['InitializeType'], action);
    if (bad) return bad;
    const type = String(req.body.InitializeType ?? 'Fast');
    if (type !== 'Fast' && type !== 'Slow') return fail(400, message('ActionParameterValueNotInList', type, 'InitializeType', action));
    const task = this.state.initializeVolume(volume, type);
    return task ? this.accepted(task) : noContent;
  }

  /** 202 Accepted with the task monitor in Location and the Task as body (DSP0266 asynchronous operations). */
  private accepted(task: SimTask): SimReply {
    return { status: 202, body: r.task(this.uris, task), headers: { Location: this.uris.monitor(task.id) } };
  }

  private monitor(req: SimRequest, id: string): SimReply {
    const task = this.state.tasks.get(id);
    if (!task) return fail(404, message('ResourceNotFound', 'TaskMonitor', id));
    if (task.state === 'Running') return this.accepted(task);
    if (this.config.taskMonitorAnswer === 'task') return ok(r.task(this.uris, task));
    return task.state === 'Completed' ? noContent : fail(500, ...task.messages);
  }

  private insertMedia(req: SimRequest): SimReply {
    const action = 'VirtualMedia.InsertMedia';
    const bad = unsupportedParam(req.body, ['Image', 'Inserted', 'WriteProtected', 'TransferMethod', 'TransferProtocolType', 'UserName', 'Password'], action);
    if (bad) return bad;
    if (typeof req.body.Image !== 'string' || req.body.Image === '') return fail(400, message('ActionParameterMissing', action, 'Image'));
    if (this.state.media.inserted) return fail(409, message('ResourceInUse'));
    this.state.media = { image: req.body.Image, inserted: req.body.Inserted !== false, writeProtected: req.body.WriteProtected !== false };
    return noContent;
  }

  private ejectMedia(): SimReply {
    this.state.media = { image: null, inserted: false, writeProtected: true };
    return noContent;
  }

  /** Older BMCs change media by PATCH; BMCs with the actions refuse it, as the properties are read-only there. */
  private patchMedia(req: SimRequest): SimReply {
    const keys = Object.keys(req.body);
    const unknown = keys.find((k) => !['Image', 'Inserted', 'WriteProtected'].includes(k));
    if (unknown) return fail(400, message('PropertyUnknown', unknown));
    if (this.config.virtualMediaActions && keys.length > 0) return fail(400, message('PropertyNotWritable', keys[0]));
    const { Image, Inserted, WriteProtected } = req.body;
    const media = this.state.media;
    this.state.media = {
      image: Image === undefined ? media.image : (Image as string | null),
      inserted: Inserted === undefined ? media.inserted : Inserted === true,
      writeProtected: WriteProtected === undefined ? media.writeProtected : WriteProtected === true,
    };
    return noContent;
  }
}
