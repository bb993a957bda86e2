// JSON-lines logging to stderr: one object per line with time, level and message.

export type LogFields = Record<string, unknown>;

export interface Logger {
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

/** A logger writing `{"time","level","msg",...fields}` lines to `out` (stderr by default). */
export function jsonLogger(out: { write(line: string): unknown } = process.stderr): Logger {
  const write = (level: string) => (msg: string, fields: LogFields = {}) =>
    out.write(`${JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields })}\n`);
  return { info: write('info'), warn: write('warn'), error: write('error') };
}
