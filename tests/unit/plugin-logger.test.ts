// Provider logger: hclog JSON line shape that go-plugin parses, and level selection.

import { levelFromEnv, Logger, type LogLevel } from '../../provider-shim/src/plugin/logger';

function capture(level: LogLevel | 'off'): { logger: Logger; lines: () => Record<string, unknown>[] } {
  const out: string[] = [];
  const logger = new Logger(level, 'maestro', (line) => out.push(line));
  return { logger, lines: () => out.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('Logger', () => {
  test('writes one hclog JSON line with level, message, module, microsecond timestamp and fields', () => {
    const out: string[] = [];
    new Logger('trace', 'maestro', (line) => out.push(line)).info('Received request', { tf_rpc: 'ReadResource' });
    expect(out).toHaveLength(1);
    expect(out[0].endsWith('\n')).toBe(true);
    expect(out[0].trimEnd()).not.toContain('\n');
    const entry = JSON.parse(out[0]);
    expect(entry).toEqual({ '@level': 'info', '@message': 'Received request', '@module': 'maestro', '@timestamp': expect.any(String), tf_rpc: 'ReadResource' });
    // go-plugin parses 2006-01-02T15:04:05.000000Z07:00: exactly six fraction digits.
    expect(entry['@timestamp']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  });

  test.each<[LogLevel | 'off', LogLevel[]]>([
    ['trace', ['trace', 'debug', 'info', 'warn', 'error']],
    ['debug', ['debug', 'info', 'warn', 'error']],
    ['info', ['info', 'warn', 'error']],
    ['warn', ['warn', 'error']],
    ['error', ['error']],
    ['off', []],
  ])('at level %s writes %p', (level, expected) => {
    const { logger, lines } = capture(level);
    logger.trace('t');
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');
    expect(lines().map((l) => l['@level'])).toEqual(expected);
    for (const l of expected) expect(logger.enabled(l)).toBe(true);
  });
});

describe('levelFromEnv', () => {
  test.each<[NodeJS.ProcessEnv, string]>([
    [{}, 'warn'],
    [{ TF_LOG: 'DEBUG' }, 'debug'],
    [{ TF_LOG: 'info', TF_LOG_PROVIDER: 'TRACE' }, 'trace'],
    [{ TF_LOG: 'JSON' }, 'trace'],
    [{ TF_LOG: 'nonsense' }, 'trace'],
    [{ TF_LOG: 'off' }, 'off'],
    [{ TF_LOG_PROVIDER: 'error' }, 'error'],
  ])('%p gives %s', (env, level) => {
    expect(levelFromEnv(env)).toBe(level);
  });

  test('uses the fallback when nothing is set', () => {
    expect(levelFromEnv({}, 'info')).toBe('info');
  });
});
