// E2E harness: a real engine daemon, the installed provider and the real terraform binary.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO = resolve(__dirname, '../..');
export const TERRAFORM = process.env.TERRAFORM_BINARY ?? '/usr/local/bin/terraform';

/** The terraform and provider blocks every e2e configuration starts with. */
export const PROVIDER = `
terraform {
  required_providers {
    maestro = { source = "maestro/maestro", version = "0.1.0" }
  }
}
provider "maestro" {}
`;

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command without blocking the event loop (simulators in this process keep serving). */
export function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 180_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code: code ?? -1, stdout, stderr });
    });
  });
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `maestro-${prefix}-`));
}

export interface EngineInfo {
  endpoint: string;
  pid: number;
  ca_cert_file: string;
  token_file: string;
}

/** A running `maestro engine serve` in its own data directory. */
export class EngineProcess {
  private constructor(
    readonly dataDir: string,
    readonly info: EngineInfo,
    private readonly child: ChildProcess,
    readonly log: () => string,
  ) {}

  /** `extraArgs` are more `engine serve` flags, e.g. `['--bmc-poll-ms', '100']`. */
  static async start(dataDir: string, inventoryFile: string, extraArgs: string[] = []): Promise<EngineProcess> {
    const child = spawn(join(REPO, 'bin/maestro'), ['engine', 'serve', '--data-dir', dataDir, '--listen', '127.0.0.1:0', '--inventory', inventoryFile, ...extraArgs], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    child.stdout?.on('data', (d) => (log += d));
    child.stderr?.on('data', (d) => (log += d));
    const infoFile = join(dataDir, 'engine.json');
    const deadline = Date.now() + 30_000;
    while (!existsSync(infoFile)) {
      if (child.exitCode !== null || Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`engine did not start:\n${log}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    const info = JSON.parse(readFileSync(infoFile, 'utf8')) as EngineInfo;
    return new EngineProcess(dataDir, info, child, () => log);
  }

  /** Environment for the provider and the CLI to reach this engine. */
  env(): Record<string, string> {
    return { MAESTRO_ENDPOINT: this.info.endpoint, MAESTRO_TOKEN_FILE: this.info.token_file, MAESTRO_CA_CERT_FILE: this.info.ca_cert_file };
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.kill('SIGTERM');
    await exited;
  }
}

/** A terraform working directory using the provider installed into a private filesystem mirror. */
export class TerraformWorkspace {
  readonly env: NodeJS.ProcessEnv;

  private constructor(
    readonly dir: string,
    extraEnv: Record<string, string>,
  ) {
    const cliConfig = join(dir, '..', 'terraformrc');
    this.env = { ...process.env, ...extraEnv, TF_CLI_CONFIG_FILE: cliConfig, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' };
  }

  /** Installs the provider from dist/ into a fresh mirror and returns a workspace using it. */
  static async create(extraEnv: Record<string, string>): Promise<TerraformWorkspace> {
    const root = tempDir('tf');
    const mirror = join(root, 'mirror');
    const res = await run('node', [join(REPO, 'dist/provider-shim/src/install.js'), '--plugin-dir', mirror]);
    if (res.code !== 0) throw new Error(`provider install failed:\n${res.stdout}${res.stderr}`);
    writeFileSync(
      join(root, 'terraformrc'),
      `provider_installation {\n  filesystem_mirror {\n    path    = "${mirror}"\n    include = ["registry.terraform.io/maestro/maestro"]\n  }\n  direct {\n    exclude = ["registry.terraform.io/maestro/maestro"]\n  }\n}\n`,
    );
    const dir = join(root, 'work');
    require('node:fs').mkdirSync(dir);
    return new TerraformWorkspace(dir, extraEnv);
  }

  write(hcl: string): void {
    writeFileSync(join(this.dir, 'main.tf'), hcl);
  }

  tf(...args: string[]): Promise<RunResult> {
    return run(TERRAFORM, args, { cwd: this.dir, env: this.env });
  }

  /** Runs terraform and fails with its output unless it exits with `expected`. */
  async ok(args: string[], expected = 0): Promise<RunResult> {
    const res = await this.tf(...args);
    if (res.code !== expected) throw new Error(`terraform ${args.join(' ')} exited ${res.code} (expected ${expected}):\n${res.stdout}\n${res.stderr}`);
    return res;
  }
}
