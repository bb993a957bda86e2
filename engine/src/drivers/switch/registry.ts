// The explicit list of switch dialects the engine can drive.

import type { Dialect } from './driver';
import { eos } from './eos';
import { ios } from './ios';
import { linux } from './linux';
import { nxos } from './nxos';
import { sonic } from './sonic';

/** Every supported dialect, by registry name. Adding one: its file, one line here. */
const dialects: ReadonlyMap<string, Dialect> = new Map([eos, nxos, ios, sonic, linux].map((d) => [d.name, d]));

/** The dialect called `name`, or undefined when Maestro does not know it. */
export function getDialect(name: string): Dialect | undefined {
  return dialects.get(name);
}

/** Names of every supported dialect, for error messages and docs. */
export function dialectNames(): string[] {
  return [...dialects.keys()];
}
