// Power through ComputerSystem.Reset, waiting for PowerState because BMCs apply power changes asynchronously.

import type { PowerAction, PowerInterface, PowerState } from './bmc';
import type { RedfishResource } from './redfish-client';
import type { RedfishService } from './redfish-service';
import { pollUntil } from './poll';

/** The PowerState each action ends in. */
const TARGET_STATE: Record<PowerAction, PowerState> = { On: 'On', ForceOff: 'Off', GracefulShutdown: 'Off', ForceRestart: 'On' };

const KNOWN_STATES = new Set<string>(['On', 'Off', 'PoweringOn', 'PoweringOff', 'Paused']);

/** The system's PowerState; values outside the schema's enum read as Unknown. */
export function powerStateOf(system: RedfishResource): PowerState {
  return KNOWN_STATES.has(system.PowerState) ? system.PowerState : 'Unknown';
}

export class RedfishPower implements PowerInterface {
  constructor(private readonly service: RedfishService) {}

  async getPowerState(): Promise<PowerState> {
    return powerStateOf((await this.service.system()).body);
  }

  async setPower(action: PowerAction, opts: { wait?: boolean } = {}): Promise<void> {
    const system = (await this.service.system()).body;
    const current = powerStateOf(system);
    if (action !== 'ForceRestart' && current === TARGET_STATE[action]) return;
    // Restarting a host that is off means powering it on; many BMCs refuse ForceRestart then.
    const resetType = action === 'ForceRestart' && current === 'Off' ? 'On' : action;
    const reset = this.service.action(system, 'ComputerSystem.Reset');
    this.service.requireAllowed(reset, 'ResetType', resetType);
    await this.service.client.post(reset.target, { ResetType: resetType });
    if (action !== 'GracefulShutdown' && opts.wait === false) return;
    if (action !== 'GracefulShutdown') return this.waitFor(TARGET_STATE[action], resetType, this.service.settings.powerTimeoutMs);
    if (await this.reached('Off', this.service.settings.gracefulShutdownTimeoutMs)) return;
    this.service.settings.warn(`BMC ${this.service.settings.endpoint}: GracefulShutdown did not power the host off in time; forcing it off`);
    this.service.requireAllowed(reset, 'ResetType', 'ForceOff');
    await this.service.client.post(reset.target, { ResetType: 'ForceOff' });
    await this.waitFor('Off', 'ForceOff', this.service.settings.powerTimeoutMs);
  }

  private async reached(state: PowerState, timeoutMs: number): Promise<boolean> {
    const read = () => this.getPowerState();
    return (await pollUntil(read, (s) => s === state, this.service.settings.pollIntervalMs, timeoutMs)).reached;
  }

  private async waitFor(state: PowerState, resetType: string, timeoutMs: number): Promise<void> {
    if (await this.reached(state, timeoutMs)) return;
    throw this.service.error(`PowerState did not become ${state} within ${timeoutMs} ms after ResetType ${resetType}`, true);
  }
}
