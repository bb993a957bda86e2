// `maestro servers list`: servers in inventory with their lifecycle state, owner and cabling.

import { SERVER_STATES, type ServerState } from '../domain/server-lifecycle';
import { parseFlags, UsageError, type Command } from './command';
import { CLIENT_HELP, dataDirFlag, printJson, table, withClient } from './engine-client';

function stateFlag(s: string | undefined): ServerState | undefined {
  if (s === undefined || (SERVER_STATES as string[]).includes(s)) return s as ServerState | undefined;
  throw new UsageError(`--state must be one of ${SERVER_STATES.join(', ')}`);
}

export const serversList: Command = {
  words: ['servers', 'list'],
  summary: 'list servers with their state and owner',
  usage: `maestro servers list [--state STATE] [--profile PROFILE] [--data-dir DIR] [--json]

A server marked "dirty" was allocated since its last successful clean.
${CLIENT_HELP}`,

  async run(args, io) {
    const { values } = parseFlags(args, { ...dataDirFlag, json: { type: 'boolean' }, state: { type: 'string' }, profile: { type: 'string' } });
    const filter = { state: stateFlag(values.state), profile: values.profile };
    const servers = await withClient(values['data-dir'], io, (c) => c.listServers(filter));
    if (values.json) printJson(io, servers);
    else {
      table(io, ['ID', 'PROFILE', 'RACK', 'STATE', 'OWNER', 'TENANCY', 'CLEAN', 'NICS'], servers.map((s) => [
        s.id, s.profile, s.rack, s.state, s.owner ?? '-', s.tenancyId ?? '-', s.needsCleaning ? 'dirty' : 'yes',
        s.nics.map((n) => (n.cabledTo ? `${n.name}@${n.cabledTo.switchId}/${n.cabledTo.port}` : n.name)).join(','),
      ]));
    }
    return 0;
  },
};
