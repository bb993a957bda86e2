// `maestro switches list`: the inventory's switches and how many ports are owned.

import { parseFlags, type Command } from './command';
import { CLIENT_HELP, dataDirFlag, printJson, table, withClient } from './engine-client';

export const switchesList: Command = {
  words: ['switches', 'list'],
  summary: 'list switches in inventory',
  usage: `maestro switches list [--data-dir DIR] [--json]\n\n${CLIENT_HELP}`,

  async run(args, io) {
    const { values } = parseFlags(args, { ...dataDirFlag, json: { type: 'boolean' } });
    const switches = await withClient(values['data-dir'], io, (c) => c.listSwitches());
    if (values.json) printJson(io, switches);
    else {
      table(io, ['ID', 'DIALECT', 'ENDPOINT', 'PORTS', 'OWNED'], switches.map((s) => [
        s.id, s.dialect, `${s.host}:${s.sshPort}`, String(s.ports.length), String(s.ports.filter((p) => p.owner !== '').length),
      ]));
    }
    return 0;
  },
};
