// What the provider benchmarks run against: the installed provider, simulated switches
// (`maestro lab up`), an engine daemon, and terraform working directories using them.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { HOST_SWITCH, installProvider, type InstalledProvider } from '../provider-shim/src/install';
import { hostsUnder, stopHostsUnder } from '../provider-shim/src/plugin/host';
import { since } from './provider-stats';

export const TERRAFORM = process.env.TERRAFORM_BINARY ?? '/usr/local/bin/terraform';

/** The repository root (holding bin/maestro), from sources or from dist/. */
export const REPO = ((): string => {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) if (existsSync(join(dir, 'bin', 'maestro'))) return dir;
  throw new Error(`bin/maestro not found above ${__dirname}`);
})();

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs a command to completion, timing it from spawn to exit; `onSpawn` sees the child (for sampling). */
export function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; onSpawn?: (child: ChildProcess) => void } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    opts.onSpawn?.(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr, ms: since(started) }));
  });
}

export function benchDir(name: string): string {
  return mkdtempSync(join(tmpdir(), `maestro-bench-${name}-`));
}

/**
 * Installs the compiled provider (npm run build first) into `<dir>/<name>` and writes a CLI config using only it
 * (`<dir>/<name>.terraformrc`); `providerModule` substitutes the provider module (see InstallOptions).
 */
export function installForTerraform(dir: string, name = 'mirror', providerModule?: string): InstalledProvider & { cliConfig: string } {
  const mirror = join(dir, name);
  const installed = installProvider({ pluginDir: mirror, providerModule });
  const cliConfig = join(dir, `${name}.terraformrc`);
  writeFileSync(
    cliConfig,
    `provider_installation {\n  filesystem_mirror {\n    path    = "${mirror}"\n    include = ["registry.terraform.io/maestro/maestro"]\n  }\n  direct {\n    exclude = ["registry.terraform.io/maestro/maestro"]\n  }\n}\n`,
  );
  return { ...installed, cliConfig };
}

/** A terraform working directory. */
export class Workspace {
  constructor(
    readonly dir: string,
    readonly env: NodeJS.ProcessEnv,
  ) {
    mkdirSync(dir, { recursive: true });
  }

  write(hcl: string): void {
    writeFileSync(join(this.dir, 'main.tf'), hcl);
  }

  /** Runs terraform; throws with its output unless it exits `expected`. */
  async tf(args: string[], expected = 0, onSpawn?: (child: ChildProcess) => void): Promise<RunResult> {
    const res = await run(TERRAFORM, [...args, '-no-color'], { cwd: this.dir, env: this.env, onSpawn });
    if (res.code !== expected) throw new Error(`terraform ${args.join(' ')} in ${this.dir} exited ${res.code} (expected ${expected}):\n${res.stdout}\n${res.stderr}`);
    return res;
  }
}

export interface Lab {
  /** Environment for terraform (and so the provider) to reach the engine through the installed provider, served by the provider host as users get it. */
  terraformEnv: NodeJS.ProcessEnv;
  /** The same with the provider host off: every provider start is a node process of its own. */
  directEnv: NodeJS.ProcessEnv;
  /** Through the floor provider (provider-floor.ts): the real one answering a plan's per-resource calls without work; host off. */
  floorEnv: NodeJS.ProcessEnv;
  switchIds: string[];
  /** The live provider hosts the lab's terraform runs started (their own XDG_RUNTIME_DIR). */
  hostPids(): number[];
  /** Ends those hosts (the next terraform run starts a cold one). */
  stopHosts(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts `switches` simulated EOS switches of `portsPerSwitch` ports each
 * (`maestro lab up`), an engine daemon on their inventory, and installs the
 * provider. Everything lives in a fresh temporary directory; stop() ends the
 * lab and the engine and removes it.
 */
export async function startLab(switches: number, portsPerSwitch: number): Promise<Lab> {
  const dir = benchDir('lab');
  const switchIds = Array.from({ length: switches }, (_, i) => `leaf${i + 1}`);
  const topology = join(dir, 'topology.yaml');
  writeFileSync(
    topology,
    ['segments:', '  quarantine: { vlan: 999 }', '  provisioning: { vlan: 998 }', 'switches:', ...switchIds.map((id) => `  - { id: ${id}, dialect: eos, ports: [Ethernet1-${portsPerSwitch}] }`), ''].join('\n'),
  );
  const maestro = join(REPO, 'bin', 'maestro');
  const labDir = join(dir, 'lab');
  const up = await run(maestro, ['lab', 'up', '--topology', topology, '--dir', labDir]);
  if (up.code !== 0) throw new Error(`maestro lab up failed:\n${up.stdout}${up.stderr}`);
  const labDown = async () => {
    await run(maestro, ['lab', 'down', '--dir', labDir]);
    rmSync(dir, { recursive: true, force: true });
  };
  // The lab runs detached: if this process dies first (Ctrl-C, a closed stdout), take it and the engine along.
  const labPid = (JSON.parse(readFileSync(join(labDir, 'lab.json'), 'utf8')) as { pid: number }).pid;
  let enginePid: number | undefined;
  const runtimeDir = join(dir, 'run');
  const killOnExit = () => {
    for (const pid of [enginePid, labPid, ...hostsUnder(runtimeDir)]) if (pid) process.kill(pid, 'SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', killOnExit);
  try {
    const engine = await startEngine(maestro, join(dir, 'engine'), join(labDir, 'inventory.yaml'));
    enginePid = engine.pid;
    const { cliConfig } = installForTerraform(dir);
    const floor = installForTerraform(dir, 'floor-mirror', join(__dirname, 'provider-floor.js'));
    // The lab's own runtime directory: its provider hosts are its own, and stop with it.
    const env: NodeJS.ProcessEnv = { ...process.env, ...engine.env, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', XDG_RUNTIME_DIR: runtimeDir };
    delete env[HOST_SWITCH];
    return {
      terraformEnv: { ...env, TF_CLI_CONFIG_FILE: cliConfig },
      directEnv: { ...env, TF_CLI_CONFIG_FILE: cliConfig, [HOST_SWITCH]: 'off' },
      floorEnv: { ...env, TF_CLI_CONFIG_FILE: floor.cliConfig, [HOST_SWITCH]: 'off' },
      switchIds,
      hostPids: () => hostsUnder(runtimeDir),
      stopHosts: () => stopHostsUnder(runtimeDir),
      stop: async () => {
        process.off('exit', killOnExit);
        await stopHostsUnder(runtimeDir);
        await engine.stop();
        await labDown();
      },
    };
  } catch (err) {
    process.off('exit', killOnExit);
    await labDown();
    throw err;
  }
}

/** `maestro engine serve` in `dataDir`; resolves once it wrote engine.json. */
async function startEngine(maestro: string, dataDir: string, inventory: string): Promise<{ pid: number; env: Record<string, string>; stop(): Promise<void> }> {
  const child = spawn(maestro, ['engine', 'serve', '--data-dir', dataDir, '--listen', '127.0.0.1:0', '--inventory', inventory], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.on('data', (d) => (log = (log + d).slice(-20_000)));
  const infoFile = join(dataDir, 'engine.json');
  for (const deadline = Date.now() + 30_000; !existsSync(infoFile); await new Promise((r) => setTimeout(r, 50))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(`the engine did not start:\n${log}`);
    }
  }
  const info = JSON.parse(readFileSync(infoFile, 'utf8')) as { endpoint: string; token_file: string; ca_cert_file: string };
  return {
    pid: child.pid!,
    env: { MAESTRO_ENDPOINT: info.endpoint, MAESTRO_TOKEN_FILE: info.token_file, MAESTRO_CA_CERT_FILE: info.ca_cert_file },
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
