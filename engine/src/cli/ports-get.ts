// `maestro ports get <switch> <port>`: one port as the device has it, with its owner.

import { parseFlags, type Command } from './command';
import { CLIENT_HELP, dataDirFlag, printJson, withClient } from './engine-client';

export const portsGet: Command = {
  words: ['ports', 'get'],
  summary: 'read a port from the device',
  usage: `maestro ports get <switch> <port> [--data-dir DIR]\n\nPrints the port (read from the device now) and its owner as JSON.\n${CLIENT_HELP}`,

  async run(args, io) {
    const { values, positionals } = parseFlags(args, dataDirFlag, ['switch', 'port']);
    const [switchId, port] = positionals;
    printJson(io, await withClient(values['data-dir'], io, (c) => c.getPort({ switchId, port })));
    return 0;
  },
};
