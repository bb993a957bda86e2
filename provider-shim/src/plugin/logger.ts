// Provider logs on stderr as hclog JSON lines, which go-plugin parses and terraform shows under TF_LOG.
//
// go-plugin reads "@level", "@message" and "@timestamp" (layout
// 2006-01-02T15:04:05.000000Z07:00: exactly six fraction digits, else the line
// is shown as raw text) and passes every other key on as a field.

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

const RANK: Record<LogLevel | 'off', number> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4, off: 5 };

/**
 * The level terraform would use for provider logs: TF_LOG_PROVIDER, else TF_LOG
 * (JSON means trace; an unrecognised value means trace, as terraform does).
 * Unset: terraform discards provider output, so only warnings and errors are
 * written (they still reach a human running the provider by hand).
 */
export function levelFromEnv(env: NodeJS.ProcessEnv, fallback: LogLevel = 'warn'): LogLevel | 'off' {
  const value = (env.TF_LOG_PROVIDER || env.TF_LOG || '').toLowerCase();
  if (value === '') return fallback;
  if (value === 'off') return 'off';
  return value in RANK ? (value as LogLevel) : 'trace';
}

export class Logger {
  private threshold: number;

  constructor(
    level: LogLevel | 'off',
    private readonly module = 'maestro',
    private write: (line: string) => void = (line) => process.stderr.write(line),
  ) {
    this.threshold = RANK[level];
  }

  setLevel(level: LogLevel | 'off'): void {
    this.threshold = RANK[level];
  }

  /** Sends lines to `write` from now on, at `level` (the provider host points its logger at each session's terraform). */
  redirect(write: (line: string) => void, level: LogLevel | 'off'): void {
    this.write = write;
    this.threshold = RANK[level];
  }

  /** True when a line at `level` would be written; use it to skip building costly fields. */
  enabled(level: LogLevel): boolean {
    return RANK[level] >= this.threshold;
  }

  trace(message: string, fields?: LogFields): void {
    this.log('trace', message, fields);
  }
  debug(message: string, fields?: LogFields): void {
    this.log('debug', message, fields);
  }
  info(message: string, fields?: LogFields): void {
    this.log('info', message, fields);
  }
  warn(message: string, fields?: LogFields): void {
    this.log('warn', message, fields);
  }
  error(message: string, fields?: LogFields): void {
    this.log('error', message, fields);
  }

  private log(level: LogLevel, message: string, fields: LogFields | undefined): void {
    if (RANK[level] < this.threshold) return;
    const timestamp = new Date().toISOString().replace('Z', '000Z');
    const entry = { '@level': level, '@message': message, '@module': this.module, '@timestamp': timestamp, ...fields };
    this.write(JSON.stringify(entry) + '\n');
  }
}

/** The process-wide provider logger, levelled from the environment at start-up. */
export const logger = new Logger(levelFromEnv(process.env));
