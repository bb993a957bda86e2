// `maestro engine serve`: runs the engine daemon until SIGTERM/SIGINT.

import { startDaemon } from '../api/daemon';
import { jsonLogger } from '../api/logger';
import { connectSwitch } from '../drivers/switch/cli-driver';
import { parseFlags, UsageError, type Command } from './command';

export const engineServe: Command = {
  words: ['engine', 'serve'],
  summary: 'run the engine daemon (gRPC API over TLS)',
  usage: `maestro engine serve --data-dir DIR [--listen 127.0.0.1:7443] [--inventory FILE]

  --data-dir DIR     state directory; created on first start with master.key, admin.token,
                     tls/ca.pem + tls/key.pem and maestro.db. While serving, DIR/engine.json
                     names the endpoint, CA certificate and token file.
  --listen ADDR      host:port to serve on (port 0 = any free port). Default 127.0.0.1:7443.
  --inventory FILE   import (upsert) this inventory file before serving.
Logs JSON lines to stderr. Stops cleanly on SIGTERM or SIGINT.`,

  async run(args, io) {
    const { values } = parseFlags(args, { 'data-dir': { type: 'string' }, listen: { type: 'string' }, inventory: { type: 'string' } });
    if (!values['data-dir']) throw new UsageError('--data-dir is required');
    const logger = jsonLogger(io.stderr);
    const daemon = await startDaemon({
      dataDir: values['data-dir'],
      listen: values.listen ?? '127.0.0.1:7443',
      inventoryFile: values.inventory,
      connect: (endpoint) => connectSwitch(endpoint),
      logger,
    });
    const signal = await new Promise<NodeJS.Signals>((resolve) => {
      process.once('SIGTERM', resolve);
      process.once('SIGINT', resolve);
    });
    logger.info('stopping', { signal });
    await daemon.stop();
    return 0;
  },
};
