// Runs the host tools the netns lab is built with (ip, bridge, openssl, ssh-keygen); failures name the command and its stderr.

import { execFile } from 'node:child_process';

/** Runs `file args...` (no shell); resolves with stdout. Throws an Error naming the command line and what it printed. */
export function run(file: string, args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(file, args, { timeout: 15_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (!err) return resolve(stdout);
      reject(new Error(`\`${[file, ...args].join(' ')}\` failed: ${stderr.trim() || err.message}`));
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** `ip args...`, in the namespace `ns` when given (`ip -n ns ...`). */
export const ip = (ns: string | null, ...args: string[]) => run('ip', ns ? ['-n', ns, ...args] : args);
