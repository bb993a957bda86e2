// `maestro lab up|down|reach`: start and stop the lab in the background; check tenant isolation on a netns lab's wire.

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseFlags, type CliIo, type Command } from './command';
import type { LabManifest } from '../../../lab/src/lab';
import type { NetnsLabManifest } from '../../../lab/src/netns/netns-lab';
import { netnsLabPresent, teardownNetnsLab } from '../../../lab/src/netns/teardown';
import { processAlive as alive } from '../../../lab/src/lab-process';
import { reachability, reachLines, type ReachHost } from '../../../lab/src/netns/reachability';
import { CLIENT_HELP, dataDirFlag, withClient } from './engine-client';

/** The repository (or installed package) root: dist/engine/src/cli -> root. */
const ROOT = resolve(__dirname, '../../../..');
const DEFAULT_TOPOLOGY = join(ROOT, 'lab/topologies/demo.yaml');
const DEFAULT_NETNS_TOPOLOGY = join(ROOT, 'lab/topologies/netns.yaml');
const LAB_MAIN = resolve(__dirname, '../../../lab/src/main.js');
const NETNS_LAB_MAIN = resolve(__dirname, '../../../lab/src/netns/main.js');
const NEEDS_ROOT = 'the netns lab needs root: it creates network namespaces and links and runs sshd (without --netns the lab needs no privileges)';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function readManifest(dir: string): LabManifest | NetnsLabManifest | null {
  const file = join(dir, 'lab.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as LabManifest | NetnsLabManifest) : null;
}

const isRoot = () => process.getuid?.() === 0;

/** What a started lab offers, one line per device. */
function printDevices(manifest: LabManifest | NetnsLabManifest, io: CliIo): void {
  for (const s of manifest.switches) io.stdout.write(`switch ${s.id} (${s.dialect}) at ${s.endpoint}  host key ${s.host_key}\n`);
  if ('mode' in manifest) for (const s of manifest.servers) io.stdout.write(`server ${s.id} (namespace ${s.netns}) ssh ${s.ssh.endpoint}  BMC ${s.bmc.endpoint}\n`);
  else for (const s of manifest.servers) io.stdout.write(`server ${s.id} BMC ${s.bmc.endpoint}  NICs ${s.nics.map((n) => `${n.mac}->${n.switch}/${n.port}`).join(' ')}\n`);
  io.stdout.write(`inventory for the engine: ${manifest.inventory_file}\n`);
}

export const labUp: Command = {
  words: ['lab', 'up'],
  summary: 'start the lab in the background: switch simulators, or (--netns, root) namespaces with real sshd, VXLAN and BMC simulators',
  usage:
    'maestro lab up [--netns] [--topology FILE] [--dir DIR]\n\n' +
    '  --netns     build the real-network lab from network namespaces (root; see docs/lab.md)\n' +
    '  --topology  lab topology (default lab/topologies/demo.yaml, with --netns lab/topologies/netns.yaml)\n' +
    '  --dir       where the lab writes inventory.yaml, lab.json and logs (default .lab)',

  async run(args, io) {
    const { values } = parseFlags(args, { netns: { type: 'boolean' }, topology: { type: 'string' }, dir: { type: 'string' } });
    if (values.netns && !isRoot()) {
      io.stderr.write(`maestro lab up --netns: ${NEEDS_ROOT}\n`);
      return 1;
    }
    const dir = resolve(values.dir ?? '.lab');
    const running = readManifest(dir);
    if (running && alive(running.pid)) {
      io.stderr.write(`a lab is already running in ${dir} (pid ${running.pid}); run \`maestro lab down --dir ${dir}\` first\n`);
      return 1;
    }
    rmSync(join(dir, 'lab.json'), { force: true });
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const log = openSync(join(dir, 'lab.log'), 'a');
    const [main, topology] = values.netns ? [NETNS_LAB_MAIN, DEFAULT_NETNS_TOPOLOGY] : [LAB_MAIN, DEFAULT_TOPOLOGY];
    const child = spawn(process.execPath, [main, resolve(values.topology ?? topology), dir], { detached: true, stdio: ['ignore', log, log] });
    child.unref();
    for (let waited = 0; waited < 30_000; waited += 50) {
      const manifest = readManifest(dir);
      if (manifest) {
        printDevices(manifest, io);
        return 0;
      }
      if (child.exitCode !== null) break;
      await sleep(50);
    }
    io.stderr.write(`the lab did not start; its log (${join(dir, 'lab.log')}):\n${readFileSync(join(dir, 'lab.log'), 'utf8')}`);
    return 1;
  },
};

export const labDown: Command = {
  words: ['lab', 'down'],
  summary: 'stop the lab and remove everything it created (for a netns lab: namespaces, links, processes, files; also after a crash)',
  usage: 'maestro lab down [--dir DIR]',

  async run(args, io) {
    const { values } = parseFlags(args, { dir: { type: 'string' } });
    const dir = resolve(values.dir ?? '.lab');
    const manifest = readManifest(dir);
    const running = manifest !== null && alive(manifest.pid);
    if (running) {
      process.kill(manifest.pid, 'SIGTERM');
      for (let waited = 0; waited < 15_000 && alive(manifest.pid); waited += 50) await sleep(50);
      if (alive(manifest.pid)) process.kill(manifest.pid, 'SIGKILL');
    }
    rmSync(join(dir, 'lab.json'), { force: true });
    // A netns lab removes itself on SIGTERM; what is still there is a crashed (or killed) lab's.
    if (await netnsLabPresent(dir)) {
      if (!isRoot()) {
        io.stderr.write(`maestro lab down: a netns lab of ${dir} is left over and removing it needs root; ${NEEDS_ROOT}\n`);
        return 1;
      }
      const removed = await teardownNetnsLab(dir);
      io.stdout.write(`removed what the netns lab of ${dir} left behind:\n${removed.map((r) => `  ${r}\n`).join('')}`);
    }
    io.stdout.write(running ? `lab in ${dir} stopped\n` : `no lab running in ${dir}\n`);
    return 0;
  },
};

export const labReach: Command = {
  words: ['lab', 'reach'],
  summary: 'netns lab: ping between every pair of instances on their tenancy addresses (same tenancy answers, others must not)',
  usage: `maestro lab reach [--dir DIR] [--data-dir ENGINE_DIR]

Reads the instances from the engine, finds each one's server namespace in DIR/lab.json
(a netns lab, root), and pings every other instance's tenancy address from inside it.
Exit status 0 when every pair in one tenancy answered and no pair across tenancies did.
${CLIENT_HELP}`,

  async run(args, io) {
    const { values } = parseFlags(args, { dir: { type: 'string' }, ...dataDirFlag });
    const dir = resolve(values.dir ?? '.lab');
    const manifest = readManifest(dir);
    if (!manifest || !('mode' in manifest)) {
      io.stderr.write(`maestro lab reach: no netns lab in ${dir} (lab.json missing or a simulator lab)\n`);
      return 1;
    }
    const netnsOf = new Map(manifest.servers.map((s) => [s.id, s.netns]));
    const instances = await withClient(values['data-dir'], io, (c) => c.listInstances());
    const hosts: ReachHost[] = instances.flatMap((i) => {
      const netns = i.serverId ? netnsOf.get(i.serverId) : undefined;
      return netns && i.ipAddress && i.state === 'active' ? [{ instanceId: i.id, hostname: i.hostname || i.id, tenancyId: i.tenancyId, netns, address: i.ipAddress }] : [];
    });
    if (hosts.length < 2) {
      io.stderr.write(`maestro lab reach: ${hosts.length} active instance(s) on this lab's servers; nothing to compare\n`);
      return 1;
    }
    const results = await reachability(hosts);
    for (const line of reachLines(results)) io.stdout.write(`${line}\n`);
    return results.every((r) => r.reached === r.expected) ? 0 : 1;
  },
};
