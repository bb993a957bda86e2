// `maestro ports get <switch> <port>...`: ports as the device has them, with their owners.

import type { PortConfig } from '../domain/port-config';
import { parseFlags, type Command } from './command';
import { CLIENT_HELP, dataDirFlag, printJson, table, withClient } from './engine-client';

/** One readable cell for a port's VLANs: `access 110` or `trunk 110,120 native 110`. */
function vlansOf(c: PortConfig): string {
  if (c.mode === 'access') return `access ${c.accessVlan}`;
  return `trunk ${(c.allowedVlans ?? []).join(',')}${c.nativeVlan !== null ? ` native ${c.nativeVlan}` : ''}`;
}

export const portsGet: Command = {
  words: ['ports', 'get'],
  summary: 'read ports from the device',
  usage: `maestro ports get <switch> <port> [--data-dir DIR] [--json]\n\nReads the port from the device now and prints it with its owner.\n${CLIENT_HELP}`,

  async run(args, io) {
    const { values, positionals } = parseFlags(args, { ...dataDirFlag, json: { type: 'boolean' } }, ['switch', 'port']);
    const [switchId, port] = positionals;
    const p = await withClient(values['data-dir'], io, (c) => c.getPort({ switchId, port }));
    if (values.json) printJson(io, p);
    else {
      const c = p.config;
      table(io, ['SWITCH', 'PORT', 'VLANS', 'MTU', 'ADMIN', 'DESCRIPTION', 'OWNER'], [[p.switchId, p.port, vlansOf(c), String(c.mtu), c.adminState, c.description, p.owner || '-']]);
    }
    return 0;
  },
};
