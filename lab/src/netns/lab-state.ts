// The netns lab's state file: every object the lab creates is recorded here BEFORE it is created, so `lab down` can remove it even after a crash.

import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What `<dir>/netns-state.json` holds. */
export interface NetnsState {
  /** Every namespace and root-namespace link of this lab starts with `<prefix>-` (see labPrefix). */
  prefix: string;
  /** Network namespaces, by name. Deleting one deletes every link inside it. */
  namespaces: string[];
  /** Links created in the root namespace, by name. */
  rootLinks: string[];
  /**
   * Processes started by the lab (sshd, one per leaf and server): `pid` is
   * filled in once known. Before that, `ip netns pids` of the lab's
   * namespaces still finds them.
   */
  processes: Array<{ name: string; pid?: number; cmdlineMark: string }>;
  /** Files and directories the lab wrote (removed recursively). */
  paths: string[];
}

export const stateFile = (dir: string) => join(dir, 'netns-state.json');

/** Where the lab keeps its generated files (keys, sshd configs, disks); removed by `lab down` even without a state file. */
export const netnsDir = (dir: string) => join(dir, 'netns');

/**
 * The lab's name prefix: `mlab` and 4 hex digits of a hash of the lab
 * directory, so one directory always maps to the same prefix (the fallback
 * when the state file is lost) and labs in different directories differ.
 */
export function labPrefix(dir: string): string {
  return `mlab${createHash('sha256').update(dir).digest('hex').slice(0, 4)}`;
}

export function readState(dir: string): NetnsState | null {
  const file = stateFile(dir);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as NetnsState) : null;
}

/** Appends to the state file synchronously (write + rename, so a crash never leaves half a file). */
export class StateRecorder {
  private readonly state: NetnsState;

  constructor(private readonly dir: string) {
    this.state = { prefix: labPrefix(dir), namespaces: [], rootLinks: [], processes: [], paths: [] };
    this.flush();
  }

  get prefix(): string {
    return this.state.prefix;
  }

  namespace(name: string): string {
    this.state.namespaces.push(name);
    this.flush();
    return name;
  }

  rootLink(name: string): string {
    this.state.rootLinks.push(name);
    this.flush();
    return name;
  }

  path(path: string): string {
    this.state.paths.push(path);
    this.flush();
    return path;
  }

  /** Records a process about to start; `cmdlineMark` is a string only its command line holds (checked before killing a recorded pid). */
  process(name: string, cmdlineMark: string): { started(pid: number): void } {
    const entry: NetnsState['processes'][number] = { name, cmdlineMark };
    this.state.processes.push(entry);
    this.flush();
    return {
      started: (pid) => {
        entry.pid = pid;
        this.flush();
      },
    };
  }

  private flush(): void {
    const file = stateFile(this.dir);
    writeFileSync(`${file}.tmp`, JSON.stringify(this.state, null, 2), { mode: 0o600 });
    renameSync(`${file}.tmp`, file);
  }
}
