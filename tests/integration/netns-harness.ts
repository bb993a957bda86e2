// Shared by the netns lab tests: root gating, topologies with their own address ranges, the maestro CLI, and looking into namespaces.

import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import type { BmcDriver } from '../../engine/src/drivers/bmc/bmc';
import { createRedfishDriver } from '../../engine/src/drivers/bmc/redfish';
import type { SwitchEndpoint } from '../../engine/src/drivers/switch/driver';
import type { NetnsLabManifest } from '../../lab/src/netns/netns-lab';

export const REPO = join(__dirname, '../..');
export const IS_ROOT = process.getuid?.() === 0;
/** `describe` as root; otherwise the block is skipped, its title saying why. */
export const describeAsRoot = IS_ROOT ? describe : describe.skip;
export const NEEDS_ROOT = IS_ROOT ? '' : ' [SKIPPED: needs root to create network namespaces]';

export const tempDir = (name: string) => mkdtempSync(join(tmpdir(), `${name}-`));

/**
 * Writes lab/topologies/netns.yaml into `dir` with its own address ranges
 * (`198.18.<n>.0/24` management, `198.18.<n+1>.0/24` underlay), so labs of
 * test files that run at the same time never share a range.
 */
export function netnsTopology(dir: string, n: number, edit: (t: Record<string, unknown>) => void = () => undefined): string {
  const t = parse(readFileSync(join(REPO, 'lab/topologies/netns.yaml'), 'utf8')) as Record<string, unknown>;
  t.addressing = { management: `198.18.${n}.0/24`, underlay: `198.18.${n + 1}.0/24`, tenant: '198.19.0.0/16' };
  edit(t);
  const file = join(dir, 'topology.yaml');
  writeFileSync(file, stringify(t));
  return file;
}

/** Runs the compiled `maestro` (what `npm test` builds first) with a 60 s limit. */
export function maestro(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const main = join(REPO, 'dist/engine/src/cli/main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` first`);
  return new Promise((resolve) => {
    execFile(process.execPath, [main, ...args], { timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

export function readLab(dir: string): NetnsLabManifest {
  return JSON.parse(readFileSync(join(dir, 'lab.json'), 'utf8')) as NetnsLabManifest;
}

/** `maestro lab up --netns` in a fresh directory with the address ranges of `n` (see netnsTopology); the directory and lab.json. */
export async function netnsLabUp(name: string, n: number): Promise<{ dir: string; lab: NetnsLabManifest }> {
  const dir = tempDir(name);
  const up = await maestro(['lab', 'up', '--netns', '--topology', netnsTopology(dir, n), '--dir', dir]);
  expect(up.stderr).toBe('');
  expect(up.code).toBe(0);
  return { dir, lab: readLab(dir) };
}

/** `maestro lab down`, then the directory is removed. */
export async function netnsLabDown(dir: string): Promise<void> {
  const down = await maestro(['lab', 'down', '--dir', dir]);
  expect(down.code).toBe(0);
  rmSync(dir, { recursive: true, force: true });
}

/** A Redfish driver for server `id`'s BMC from lab.json, with short polls and timeouts; the caller closes it. */
export function labBmc(lab: NetnsLabManifest, id: string): BmcDriver {
  const { endpoint, username, password, fingerprint_sha256 } = lab.servers.find((s) => s.id === id)!.bmc;
  return createRedfishDriver({ endpoint, username, password, tls: { fingerprintSha256: fingerprint_sha256 }, pollIntervalMs: 50, powerTimeoutMs: 10_000, taskTimeoutMs: 10_000 });
}

/** How the engine reaches leaf `id`: from lab.json and the inventory's credentials. */
export function leafEndpoint(lab: NetnsLabManifest, id: string): SwitchEndpoint {
  const sw = lab.switches.find((s) => s.id === id)!;
  const inventory = parse(readFileSync(lab.inventory_file, 'utf8')) as { credentials: Record<string, { username: string; password: string }> };
  const [host, port] = sw.endpoint.split(':');
  return { id, dialect: sw.dialect, host, port: Number(port), ...inventory.credentials['lab-switch'], hostKeyFingerprint: sw.host_key };
}

/** Runs a command inside namespace `ns`; returns its exit status and output. */
export function inNetns(ns: string, ...command: string[]): { status: number | null; stdout: string } {
  const r = spawnSync('ip', ['netns', 'exec', ns, ...command], { encoding: 'utf8', timeout: 10_000 });
  return { status: r.status, stdout: r.stdout };
}

/** One ping, one second at most: true when `to` answered `from`. */
export const pings = (from: string, to: string) => inNetns(from, 'ping', '-c', '1', '-W', '1', to).status === 0;

/** `ip -j -d link show dev <dev>` inside `ns`, parsed. */
export function link(ns: string, dev: string): Record<string, any> {
  return JSON.parse(inNetns(ns, 'ip', '-j', '-d', 'link', 'show', 'dev', dev).stdout)[0];
}
