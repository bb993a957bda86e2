// Unit: shellQuote yields one word that a real /bin/sh reads back unchanged, whatever the value holds.

import { execFileSync } from 'node:child_process';
import { shellQuote } from '../../engine/src/drivers/os/shell-quote';

/** What /bin/sh receives as the single argument of printf when given the quoted word. */
function throughShell(value: string): string {
  return execFileSync('/bin/sh', ['-c', `printf '%s|' ${shellQuote(value)}`], { encoding: 'utf8' });
}

describe('shellQuote', () => {
  test.each([
    ['plain', 'web-01'],
    ['empty', ''],
    ['single quotes', "it's 'quoted'"],
    ['a quote at each end', "'x'"],
    ['command substitution', '$(touch /tmp/pwned)'],
    ['backticks', '`reboot`'],
    ['variables', '$HOME ${PATH}'],
    ['separators and redirections', 'a; b && c || d | e > f < g &'],
    ['a newline', 'line1\nline2'],
    ['backslashes', 'a\\b\\\\c\\'],
    ['globs', '* ? [a-z]'],
    ['double quotes', '"x"'],
    ['non-ASCII', 'héllo — 世界'],
  ])('round-trips %s as exactly one word', (_why, value) => {
    expect(throughShell(value)).toBe(`${value}|`);
  });

  test('refuses NUL, which no shell word can hold', () => {
    expect(() => shellQuote('a\0b')).toThrow('NUL');
  });
});
