// `maestro lab up|down`: start and stop the simulated lab in the background.

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseFlags, type Command } from './command';
import type { LabManifest } from '../../../lab/src/lab';

/** The repository (or installed package) root: dist/engine/src/cli -> root. */
const ROOT = resolve(__dirname, '../../../..');
const DEFAULT_TOPOLOGY = join(ROOT, 'lab/topologies/demo.yaml');
const LAB_MAIN = resolve(__dirname, '../../../lab/src/main.js');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function readManifest(dir: string): LabManifest | null {
  const file = join(dir, 'lab.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as LabManifest) : null;
}

export const labUp: Command = {
  words: ['lab', 'up'],
  summary: 'start the simulated lab (switch simulators) in the background',
  usage: 'maestro lab up [--topology FILE] [--dir DIR]\n\n  --topology  lab topology (default lab/topologies/demo.yaml)\n  --dir       where the lab writes inventory.yaml, lab.json and logs (default .lab)',

  async run(args, io) {
    const { values } = parseFlags(args, { topology: { type: 'string' }, dir: { type: 'string' } });
    const dir = resolve(values.dir ?? '.lab');
    const running = readManifest(dir);
    if (running && alive(running.pid)) {
      io.stderr.write(`a lab is already running in ${dir} (pid ${running.pid}); run \`maestro lab down --dir ${dir}\` first\n`);
      return 1;
    }
    rmSync(join(dir, 'lab.json'), { force: true });
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const log = openSync(join(dir, 'lab.log'), 'a');
    const child = spawn(process.execPath, [LAB_MAIN, resolve(values.topology ?? DEFAULT_TOPOLOGY), dir], { detached: true, stdio: ['ignore', log, log] });
    child.unref();
    for (let waited = 0; waited < 30_000; waited += 50) {
      const manifest = readManifest(dir);
      if (manifest) {
        for (const s of manifest.switches) io.stdout.write(`switch ${s.id} (${s.dialect}) at ${s.endpoint}  host key ${s.host_key}\n`);
        io.stdout.write(`inventory for the engine: ${manifest.inventory_file}\n`);
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
  summary: 'stop the simulated lab',
  usage: 'maestro lab down [--dir DIR]',

  async run(args, io) {
    const { values } = parseFlags(args, { dir: { type: 'string' } });
    const dir = resolve(values.dir ?? '.lab');
    const manifest = readManifest(dir);
    if (!manifest || !alive(manifest.pid)) {
      rmSync(join(dir, 'lab.json'), { force: true });
      io.stdout.write(`no lab running in ${dir}\n`);
      return 0;
    }
    process.kill(manifest.pid, 'SIGTERM');
    for (let waited = 0; waited < 10_000 && alive(manifest.pid); waited += 50) await sleep(50);
    if (alive(manifest.pid)) process.kill(manifest.pid, 'SIGKILL');
    rmSync(join(dir, 'lab.json'), { force: true });
    io.stdout.write(`lab in ${dir} stopped\n`);
    return 0;
  },
};
