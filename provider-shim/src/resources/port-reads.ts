// One provider session's port reads (one per engine client, so per provider process or per session of the
// provider host): the first read of a switch asks the engine for the whole switch, and the session's later
// reads of it for a few seconds are answered from that answer (terraform refreshes one port per call).

import type { EnginePort, MaestroClient } from './engine';

/**
 * How long one answer of the engine serves this process's later reads of the
 * same switch: long enough for the refresh of a few thousand resources (one
 * read of each switch per plan), short enough that a long-running process
 * reads again.
 */
export const PORT_READS_FRESH_MS = 5000;

type GetPorts = Required<Pick<MaestroClient, 'getPorts'>>;

/** One getPorts call and what it answered, by port. */
interface SwitchRead {
  startedAt: number;
  ports: Promise<Map<string, EnginePort>>;
}

/**
 * Reads ports for one provider session, so for one terraform step: what it
 * serves was read by the engine for this session's own client, after the step
 * started, so a change made on the switch before the step is always seen
 * (the engine never hands one client's snapshot to another). A switch whose
 * dialect cannot show every port at once answers only the port asked for,
 * and is then read port by port.
 */
export class PortReads {
  private readonly switches = new Map<string, SwitchRead>();
  /** Switches that answered only the port asked for, and when. */
  private readonly portByPort = new Map<string, number>();

  constructor(
    private readonly client: GetPorts,
    private readonly freshMs = PORT_READS_FRESH_MS,
  ) {}

  /** The port as the engine read it (from the switch's recent answer when it has the port). Throws as getPort. */
  async read(switchId: string, port: string): Promise<EnginePort> {
    if (this.fresh(this.portByPort.get(switchId))) return this.readOne(switchId, port);
    const recent = this.switches.get(switchId);
    if (recent && this.fresh(recent.startedAt)) {
      // A failed read of another port leaves this one to be read on its own.
      const hit = (await recent.ports.catch(() => undefined))?.get(port);
      if (hit) return hit;
    }
    return this.readSwitch(switchId, port);
  }

  /** Forgets what was read of the switch: this process is about to change one of its ports. */
  forget(switchId: string): void {
    this.switches.delete(switchId);
  }

  private fresh(at: number | undefined): boolean {
    return at !== undefined && performance.now() - at < this.freshMs;
  }

  private async readSwitch(switchId: string, port: string): Promise<EnginePort> {
    const read: SwitchRead = { startedAt: performance.now(), ports: this.getPorts(switchId, port, true) };
    this.switches.set(switchId, read);
    try {
      const ports = await read.ports;
      if (ports.size === 1) this.portByPort.set(switchId, read.startedAt);
      return found(ports, switchId, port);
    } catch (err) {
      if (this.switches.get(switchId) === read) this.switches.delete(switchId);
      throw err;
    }
  }

  private async readOne(switchId: string, port: string): Promise<EnginePort> {
    return found(await this.getPorts(switchId, port, false), switchId, port);
  }

  private async getPorts(switchId: string, port: string, wholeSwitch: boolean): Promise<Map<string, EnginePort>> {
    const ports = await this.client.getPorts({ switchId, ports: [port], wholeSwitch });
    return new Map(ports.map((p) => [p.port, p]));
  }
}

function found(ports: Map<string, EnginePort>, switchId: string, port: string): EnginePort {
  const got = ports.get(port);
  if (!got) throw new Error(`the engine's answer for switch ${switchId} lacks the port asked for, ${port}`);
  return got;
}
