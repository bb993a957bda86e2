// Test support: runs TypeScript entry points in a child node process (compiled on the fly with swc).

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO = resolve(__dirname, '../..');

/** A require hook compiling .ts with @swc/core, preloaded with `node -r`. */
const HOOK = `
const fs = require('fs');
const swc = require(${JSON.stringify(join(REPO, 'node_modules/@swc/core'))});
require.extensions['.ts'] = (m, f) => m._compile(swc.transformSync(fs.readFileSync(f, 'utf8'),
  { filename: f, module: { type: 'commonjs' }, jsc: { target: 'es2022', parser: { syntax: 'typescript' } } }).code, f);
`;

export interface ChildResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Starts `node <script>` where script is TypeScript source (a file, or code given with `-e`). */
export function spawnTs(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, ['-r', hookFile(), ...args], { env, stdio: ['ignore', 'pipe', 'pipe'], cwd: REPO });
}

let hookPath: string | undefined;
function hookFile(): string {
  if (hookPath) return hookPath;
  hookPath = join(mkdtempSync(join(tmpdir(), 'maestro-swc-hook-')), 'hook.js');
  writeFileSync(hookPath, HOOK);
  return hookPath;
}

/** Runs to completion and collects output. */
export function runTs(args: string[], env: NodeJS.ProcessEnv): Promise<ChildResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawnTs(args, env);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d) => (stdout += d));
    child.stderr?.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}

/** Environment without anything terraform would have set, plus `extra`. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of ['TF_PLUGIN_MAGIC_COOKIE', 'PLUGIN_PROTOCOL_VERSIONS', 'PLUGIN_CLIENT_CERT', 'TF_LOG', 'TF_LOG_PROVIDER', 'MAESTRO_PROVIDER_DEBUG']) delete env[key];
  return { ...env, ...extra };
}
