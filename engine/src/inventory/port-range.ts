// Port name grammar and range expansion for inventory files (`Ethernet1-48`).

/**
 * A port name as it may reach a switch CLI: starts with a letter, then letters,
 * digits and `/ . _ : -` only. Nothing else (spaces, control characters,
 * command separators) can get into a device command through a port name.
 */
export const PORT_NAME = /^[A-Za-z][A-Za-z0-9/._:-]*$/;

/** Ranges longer than this are almost certainly typos (`Ethernet1-4800`). */
export const MAX_RANGE = 1024;

const RANGE = /^(.*?)(\d+)-(\d+)$/;

/**
 * Expands one inventory port entry: `Ethernet1-3` -> Ethernet1, Ethernet2,
 * Ethernet3; `Ethernet49/1-2` -> Ethernet49/1, Ethernet49/2; anything else is
 * one port. Throws an Error whose message says what is wrong with the entry.
 */
export function expandPortRange(entry: string): string[] {
  const m = RANGE.exec(entry);
  if (!m || m[1] === '' || !PORT_NAME.test(m[1])) return [checkedName(entry)];
  const [, prefix, first, last] = m;
  const start = Number(first);
  const end = Number(last);
  if (start > end) throw new Error(`range "${entry}" runs backwards (${start} > ${end})`);
  if (end - start + 1 > MAX_RANGE) throw new Error(`range "${entry}" has ${end - start + 1} ports; at most ${MAX_RANGE} per entry`);
  return Array.from({ length: end - start + 1 }, (_, i) => checkedName(`${prefix}${start + i}`));
}

function checkedName(name: string): string {
  if (!PORT_NAME.test(name)) throw new Error(`port name ${JSON.stringify(name)} must start with a letter and contain only letters, digits and / . _ : -`);
  return name;
}
