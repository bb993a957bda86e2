// `lab down` for the netns lab: removes every process, namespace, root-namespace link and file the lab recorded, also after a crash; idempotent.

import { existsSync, rmSync } from 'node:fs';
import { labPrefix, netnsDir, readState, stateFile } from './lab-state';
import { cmdlineHas, netnsPids, terminate } from './processes';
import { ip, run } from './run';

async function listNamespaces(): Promise<string[]> {
  const out = await run('ip', ['netns', 'list']).catch(() => '');
  return out.split('\n').map((l) => l.split(' ')[0]).filter((n) => n !== '');
}

async function listRootLinks(): Promise<string[]> {
  const links = JSON.parse(await ip(null, '-j', 'link', 'show')) as Array<{ ifname: string }>;
  return links.map((l) => l.ifname);
}

/**
 * Deletes a root-namespace link. A veth whose peer was in a deleted namespace
 * disappears on its own, but the kernel does that later (its namespace
 * cleanup is deferred), so the link may be listed and then gone before the
 * delete: that counts as deleted.
 */
async function deleteRootLink(link: string): Promise<void> {
  try {
    await ip(null, 'link', 'del', 'dev', link);
  } catch (err) {
    if ((await listRootLinks()).includes(link)) throw err;
  }
}

/** True when a lab of `dir` left anything behind: its state file, or namespaces with its prefix. */
export async function netnsLabPresent(dir: string): Promise<boolean> {
  const prefix = labPrefix(dir);
  return readState(dir) !== null || (await listNamespaces()).some((n) => n.startsWith(`${prefix}-`));
}

/**
 * Removes what the lab in `dir` created, working from its state file and,
 * where that is missing or incomplete (a crash between recording and
 * creating is harmless; creating without recording never happens), from the
 * lab's name prefix: processes first (a namespace lives on while a process is
 * in it), then namespaces (taking their links along, veth peers in the root
 * namespace included), then root-namespace links, then files, then the state
 * file itself. Running it again finds nothing and succeeds. Resolves with one
 * line per object removed.
 */
export async function teardownNetnsLab(dir: string): Promise<string[]> {
  const state = readState(dir);
  const prefix = state?.prefix ?? labPrefix(dir);
  const mine = (name: string) => name.startsWith(`${prefix}-`);
  const existing = await listNamespaces();
  const namespaces = existing.filter((n) => mine(n) || state?.namespaces.includes(n));
  const recorded = (state?.processes ?? []).filter((p) => p.pid !== undefined && cmdlineHas(p.pid, p.cmdlineMark)).map((p) => p.pid!);
  const inside = (await Promise.all(namespaces.map(netnsPids))).flat();
  const pids = [...new Set([...recorded, ...inside])];
  await terminate(pids);
  const removed = pids.map((pid) => `process ${pid}`);
  for (const ns of namespaces) {
    await ip(null, 'netns', 'del', ns);
    removed.push(`namespace ${ns}`);
  }
  const links = (await listRootLinks()).filter((l) => mine(l) || state?.rootLinks.includes(l));
  for (const link of links) {
    await deleteRootLink(link);
    removed.push(`link ${link}`);
  }
  for (const path of new Set([...(state?.paths ?? []), netnsDir(dir)])) {
    if (!existsSync(path)) continue;
    rmSync(path, { recursive: true, force: true });
    removed.push(`path ${path}`);
  }
  rmSync(stateFile(dir), { force: true });
  return removed;
}
