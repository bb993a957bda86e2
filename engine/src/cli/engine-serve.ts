// `maestro engine serve`: runs the engine daemon until SIGTERM/SIGINT.

import { startDaemon } from '../api/daemon';
import { jsonLogger } from '../api/logger';
import { connectSwitch } from '../drivers/switch/cli-driver';
import { DEFAULT_LIMITS } from '../workflow/runtime';
import { parseFlags, UsageError, type Command } from './command';

/**
 * How long the daemon keeps a switch's session open after its last batch:
 * terraform refreshes in waves (parallelism 10), each wave a few ms after the
 * previous one answered, so one session serves a whole plan.
 */
const SERVE_SWITCH_IDLE_MS = 2000;

export const engineServe: Command = {
  words: ['engine', 'serve'],
  summary: 'run the engine daemon (gRPC API over TLS)',
  usage: `maestro engine serve --data-dir DIR [--listen 127.0.0.1:7443] [--inventory FILE]

  --data-dir DIR     state directory; created on first start with master.key, admin.token,
                     tls/ca.pem + tls/key.pem and maestro.db. While serving, DIR/engine.json
                     names the endpoint, CA certificate and token file.
  --listen ADDR      host:port to serve on (port 0 = any free port). Default 127.0.0.1:7443.
  --inventory FILE   import (upsert) this inventory file before serving.
  --batch-window-ms N     port reads/writes to one switch arriving within N ms share one
                          session (default 30)
  --switch-sessions N     switch sessions open at once across all switches (default 8)
  --switch-idle-ms N      a switch's session stays open N ms after its last batch, so the next
                          batch reuses it (default ${SERVE_SWITCH_IDLE_MS}; 0 closes it after each batch)
  --bmc-parallelism N     BMC steps running at once (default 16)
  --bmc-poll-ms N         interval of BMC state polls while waiting (default 1000)
  --os-reachable-timeout-ms N   how long a booted server's SSH may stay unreachable before the
                          OS step fails (default 600000)
  --os-reachable-interval-ms N  interval between SSH connection attempts while waiting (default 5000)
Unfinished jobs (after a crash or kill) resume or compensate when the engine starts.
Logs JSON lines to stderr. Stops cleanly on SIGTERM or SIGINT.`,

  async run(args, io) {
    const { values } = parseFlags(args, {
      'data-dir': { type: 'string' }, listen: { type: 'string' }, inventory: { type: 'string' },
      'batch-window-ms': { type: 'string' }, 'switch-sessions': { type: 'string' }, 'switch-idle-ms': { type: 'string' }, 'bmc-parallelism': { type: 'string' }, 'bmc-poll-ms': { type: 'string' },
      'os-reachable-timeout-ms': { type: 'string' }, 'os-reachable-interval-ms': { type: 'string' },
    });
    if (!values['data-dir']) throw new UsageError('--data-dir is required');
    const count = (flag: keyof typeof values, min: number) => {
      if (values[flag] === undefined) return undefined;
      const n = Number(values[flag]);
      if (!Number.isInteger(n) || n < min) throw new UsageError(`--${flag} must be an integer >= ${min}, not ${values[flag]}`);
      return n;
    };
    const workflow = {
      gateway: { windowMs: count('batch-window-ms', 0), maxSessions: count('switch-sessions', 1), idleMs: count('switch-idle-ms', 0) ?? SERVE_SWITCH_IDLE_MS },
      limits: { bmc: count('bmc-parallelism', 1) ?? DEFAULT_LIMITS.bmc },
      bmcTiming: { pollIntervalMs: count('bmc-poll-ms', 1) },
      osTiming: { reachableTimeoutMs: count('os-reachable-timeout-ms', 1), reachableIntervalMs: count('os-reachable-interval-ms', 1) },
    };
    const logger = jsonLogger(io.stderr);
    const daemon = await startDaemon({
      dataDir: values['data-dir'],
      listen: values.listen ?? '127.0.0.1:7443',
      inventoryFile: values.inventory,
      connect: (endpoint) => connectSwitch(endpoint),
      logger,
      workflow,
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
