// Quoting one value as a single POSIX shell word, the last line of defence behind the input grammars.

/**
 * `value` as one shell word: single quotes, inside which no character is
 * special, with each `'` written as `'\''`. The result is also a valid single
 * word for bash, dash, zsh and busybox sh. Throws on NUL, which no shell
 * word can hold.
 */
export function shellQuote(value: string): string {
  if (value.includes('\0')) throw new Error('a shell word cannot contain a NUL character');
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
