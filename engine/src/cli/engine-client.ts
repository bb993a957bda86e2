// How client subcommands find the engine: --data-dir, MAESTRO_DATA_DIR, or the MAESTRO_ENDPOINT/TOKEN/CA_CERT_FILE variables.

import { EngineClient } from '../api/client';
import type { CliIo } from './command';

export const dataDirFlag = { 'data-dir': { type: 'string' } } as const;

export const CLIENT_HELP = `Finds the engine through --data-dir DIR (or MAESTRO_DATA_DIR), else MAESTRO_ENDPOINT,
MAESTRO_TOKEN (or MAESTRO_TOKEN_FILE) and MAESTRO_CA_CERT_FILE.`;

/** Runs `fn` with a client for the engine the flags or environment name, closing it afterwards. */
export async function withClient<T>(dataDir: string | undefined, io: CliIo, fn: (c: EngineClient) => Promise<T>): Promise<T> {
  const dir = dataDir ?? io.env.MAESTRO_DATA_DIR;
  const client = dir ? EngineClient.fromDataDir(dir) : EngineClient.fromEnv(io.env);
  try {
    return await fn(client);
  } finally {
    client.close();
  }
}

/** Prints rows as aligned columns under a header. */
export function table(io: CliIo, header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  for (const r of [header, ...rows]) io.stdout.write(`${r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()}\n`);
}

export const printJson = (io: CliIo, value: unknown) => io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
