// MAC addresses: one canonical form (lowercase, colon separated) so duplicates are found whatever the input case.

const MAC = /^[0-9a-f]{2}([:-])[0-9a-f]{2}(\1[0-9a-f]{2}){4}$/i;

/** `52-54-00-AB-CD-01` -> `52:54:00:ab:cd:01`; undefined when `s` is not a 48-bit MAC in colon or dash form. */
export function normalizeMac(s: string): string | undefined {
  return MAC.test(s) ? s.toLowerCase().replace(/-/g, ':') : undefined;
}
