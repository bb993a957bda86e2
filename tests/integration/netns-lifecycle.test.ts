// Integration (root): `maestro lab up --netns` then `maestro lab down` leaves no namespace, root link, process or file behind, also after the lab process is SIGKILLed.

import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { labPrefix } from '../../lab/src/netns/lab-state';
import { describeAsRoot, maestro, NEEDS_ROOT, readLab, tempDir } from './netns-harness';
import { main } from '../../engine/src/cli/main';

/** What the host has: namespaces, root-namespace links, and processes (`pid` -> `<netns inode> <cmdline>`). */
interface Snapshot {
  namespaces: Set<string>;
  links: Set<string>;
  processes: Map<number, string>;
}

function snapshot(): Snapshot {
  const namespaces = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }).split('\n').map((l) => l.split(' ')[0]).filter(Boolean);
  const links = execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' }).split('\n').map((l) => /^\d+: ([^:@]+)/.exec(l)?.[1]).filter((l): l is string => !!l);
  const processes = new Map<number, string>();
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p)).map(Number)) {
    try {
      processes.set(pid, `${readlinkSync(`/proc/${pid}/ns/net`)} ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ')}`);
    } catch {
      // Gone while listing.
    }
  }
  return { namespaces: new Set(namespaces), links: new Set(links), processes };
}

/**
 * What the lab created: everything present while it ran but not before,
 * limited to what is the lab's, so other work on the machine cannot disturb
 * the comparison: its namespaces and links carry its prefix; its processes
 * mention its directory or run in one of its namespaces. Call it while the
 * lab's namespaces exist.
 */
function created(before: Snapshot, during: Snapshot, prefix: string, dir: string) {
  const fresh = <T>(a: Iterable<T>, b: { has(x: T): boolean }) => [...a].filter((x) => !b.has(x));
  const namespaces = fresh(during.namespaces, before.namespaces).filter((n) => n.startsWith(`${prefix}-`));
  const nets = namespaces.map((n) => `net:[${statSync(`/run/netns/${n}`).ino}]`);
  const mine = (what: string) => what.includes(dir) || nets.some((net) => what.startsWith(`${net} `));
  return {
    namespaces,
    links: fresh(during.links, before.links).filter((l) => l.startsWith(`${prefix}-`)),
    processes: [...during.processes].filter(([pid, what]) => !before.processes.has(pid) && mine(what)),
  };
}

/** Of what the lab created, what `after` still has (same pid with the same netns and command line, for processes). */
function leftovers(made: ReturnType<typeof created>, after: Snapshot) {
  return {
    namespaces: made.namespaces.filter((n) => after.namespaces.has(n)),
    links: made.links.filter((l) => after.links.has(l)),
    processes: made.processes.filter(([pid, what]) => after.processes.get(pid) === what),
  };
}

const NOTHING = { namespaces: [], links: [], processes: [] };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describeAsRoot(`maestro lab up --netns / lab down${NEEDS_ROOT}`, () => {
  const dirs: string[] = [];
  const newDir = () => {
    const dir = tempDir('netns-lifecycle');
    dirs.push(dir);
    return dir;
  };

  afterAll(async () => {
    for (const dir of dirs) {
      await maestro(['lab', 'down', '--dir', dir]);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  async function up(dir: string): Promise<void> {
    const result = await maestro(['lab', 'up', '--netns', '--dir', dir]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^switch leaf1 \(linux\) at 198\.18\.0\.2:22/m);
  }

  /** The default topology's objects: 7 namespaces, 1 root link, and an sshd per leaf and server plus the lab process. */
  function expectLabObjects(made: ReturnType<typeof created>, prefix: string): void {
    expect(made.namespaces.sort()).toEqual(['db1', 'db2', 'fabric', 'leaf1', 'leaf2', 'web1', 'web2'].map((n) => `${prefix}-${n}`));
    expect(made.links).toEqual([`${prefix}-mgmt`]);
    const commands = made.processes.map(([, what]) => what);
    expect(commands.filter((c) => c.includes('sshd -D'))).toHaveLength(6);
    expect(commands.filter((c) => c.includes('lab/src/netns/main.js'))).toHaveLength(1);
  }

  test('up creates namespaces, one root link and processes; down removes every one of them and its files, and is idempotent', async () => {
    const dir = newDir();
    const prefix = labPrefix(dir);
    const before = snapshot();
    await up(dir);
    const made = created(before, snapshot(), prefix, dir);
    expectLabObjects(made, prefix);

    const down = await maestro(['lab', 'down', '--dir', dir]);
    // The lab's log is in the comparison, so a failure shows what its own teardown said.
    expect({ ...down, labLog: readFileSync(join(dir, 'lab.log'), 'utf8') }).toMatchObject({ code: 0, stdout: `lab in ${dir} stopped\n` });
    expect(leftovers(made, snapshot())).toEqual(NOTHING);
    expect(readdirSync(dir)).toEqual(['lab.log']);

    expect(await maestro(['lab', 'down', '--dir', dir])).toMatchObject({ code: 0, stdout: `no lab running in ${dir}\n` });
  });

  test('after the lab process is SIGKILLed, down still removes everything it left', async () => {
    const dir = newDir();
    const prefix = labPrefix(dir);
    const before = snapshot();
    await up(dir);
    const made = created(before, snapshot(), prefix, dir);
    const { pid } = readLab(dir);
    process.kill(pid, 'SIGKILL');
    while (snapshot().processes.has(pid)) await sleep(25);
    // The crash left the namespaces and the sshd daemons behind.
    const crashed = leftovers(made, snapshot());
    expect(crashed.namespaces).toHaveLength(7);
    expect(crashed.processes.filter(([, what]) => what.includes('sshd -D'))).toHaveLength(6);

    const down = await maestro(['lab', 'down', '--dir', dir]);
    expect(down.code).toBe(0);
    expect(down.stdout).toContain(`removed what the netns lab of ${dir} left behind:`);
    expect(down.stdout).toContain(`namespace ${prefix}-leaf1`);
    expect(leftovers(made, snapshot())).toEqual(NOTHING);
    expect(readdirSync(dir)).toEqual(['lab.log']);
  });

  test('a second up in the same directory is refused while the first lab runs', async () => {
    const dir = newDir();
    await up(dir);
    const again = await maestro(['lab', 'up', '--netns', '--dir', dir]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/a lab is already running in .* run `maestro lab down --dir/);
    expect((await maestro(['lab', 'down', '--dir', dir])).code).toBe(0);
  });

});

// Runs in-process as any user: the refusal comes before anything is spawned or created.
test('without root, lab up --netns refuses with an error saying why', async () => {
  const getuid = jest.spyOn(process, 'getuid').mockReturnValue(65534);
  const err: string[] = [];
  try {
    const code = await main(['lab', 'up', '--netns', '--dir', '/nonexistent/lab'], { stdout: { write: () => true }, stderr: { write: (s: string) => err.push(s) }, env: process.env });
    expect(code).toBe(1);
  } finally {
    getuid.mockRestore();
  }
  expect(err.join('')).toContain('maestro lab up --netns: the netns lab needs root');
});
