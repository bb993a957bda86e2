// Integration: the SSH OS driver against a real OpenSSH sshd on 127.0.0.1 (lab/src/sshd), logging in with a generated key as root.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { OsError, type OsDriver, type OutputStream } from '../../engine/src/drivers/os/os-driver';
import { createSshOsDriver, type SshOsDriverOptions } from '../../engine/src/drivers/os/ssh';
import { freePort, startSshd, type RunningSshd, type SshdOptions } from '../../lab/src/sshd/sshd';
import { generateSshKey, type SshKeyPair } from '../../lab/src/sshd/ssh-keygen';

const isRoot = process.getuid?.() === 0;
const describeAsRoot = isRoot ? describe : describe.skip;

let work: string;
let clientKey: SshKeyPair;
let sshd: RunningSshd;
const drivers: OsDriver[] = [];
const daemons: RunningSshd[] = [];

async function startDaemon(name: string, extra: Partial<SshdOptions> = {}): Promise<RunningSshd> {
  const daemon = await startSshd({ dir: join(work, name), authorizedKeys: [clientKey.publicKey], ...extra });
  daemons.push(daemon);
  return daemon;
}

/** A driver logging in to `daemon` as root with the client key, its files under a fresh per-server root. */
function driverFor(daemon: { port: number; hostKeyFingerprint?: string }, extra: Partial<SshOsDriverOptions> = {}): OsDriver {
  const driver = createSshOsDriver({
    device: 'srv-7',
    host: '127.0.0.1',
    port: daemon.port,
    username: 'root',
    privateKey: clientKey.privateKey,
    hostKeyFingerprint: daemon.hostKeyFingerprint,
    rootDir: mkdtempSync(join(work, 'root-')),
    connectTimeoutMs: 5_000,
    ...extra,
  });
  drivers.push(driver);
  return driver;
}

async function rejection(p: Promise<unknown>): Promise<OsError> {
  const error = await p.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(OsError);
  return error as OsError;
}

/** Uploaded bootstrap scripts still on disk (the sshd runs on this machine). */
function uploadedScripts(): string[] {
  return readdirSync('/tmp').filter((f) => f.startsWith('maestro-bootstrap.'));
}

function mode(path: string): string {
  return (statSync(path).mode & 0o777).toString(8);
}

// sshd needs root (privilege separation), so without root every test is skipped and nothing is started.
beforeAll(async () => {
  if (!isRoot) return;
  work = mkdtempSync(join(tmpdir(), 'os-ssh-'));
  clientKey = await generateSshKey(join(work, 'client_key'), 'engine@test');
  sshd = await startDaemon('sshd');
});

afterEach(async () => {
  await Promise.all(drivers.splice(0).map((d) => d.close()));
});

afterAll(async () => {
  await Promise.all(daemons.map((d) => d.stop()));
  if (work) rmSync(work, { recursive: true, force: true });
});

describeAsRoot('configuration commands', () => {
  test('setHostname writes <root>/etc/hostname and leaves the running hostname alone under a per-server root', async () => {
    const rootDir = mkdtempSync(join(work, 'srv-'));
    const driver = driverFor(sshd, { rootDir });
    const before = hostname();
    await driver.setHostname('web-01.dc1.example.com');
    expect(readFileSync(join(rootDir, 'etc/hostname'), 'utf8')).toBe('web-01.dc1.example.com\n');
    expect(mode(join(rootDir, 'etc/hostname'))).toBe('644');
    expect(readdirSync(join(rootDir, 'etc'))).toEqual(['hostname']);
    expect(hostname()).toBe(before);
    expect(driver.hostKeyFingerprint).toBe(sshd.hostKeyFingerprint);
  });

  test('setHostname also sets the running hostname when asked, here inside a UTS namespace of its own', async () => {
    const uts = join(work, 'uts');
    writeFileSync(uts, '');
    execFileSync('unshare', [`--uts=${uts}`, 'true']);
    try {
      const daemon = await startDaemon('sshd-uts', { sessionWrapper: ['nsenter', `--uts=${uts}`] });
      const driver = driverFor(daemon, { setKernelHostname: true });
      const before = hostname();
      await driver.setHostname('db-02');
      expect((await driver.runBootstrap('hostname')).output).toBe('db-02');
      expect(hostname()).toBe(before);
    } finally {
      execFileSync('umount', [uts]);
    }
  });

  test('setAuthorizedKeys writes ~root/.ssh/authorized_keys under the root with 0700/0600, normalised, and replaces it on the next call', async () => {
    const rootDir = mkdtempSync(join(work, 'srv-'));
    const driver = driverFor(sshd, { rootDir });
    const second = await generateSshKey(join(work, 'second_key'), 'ops@laptop');
    await driver.setAuthorizedKeys('root', [`  ${clientKey.publicKey}  `, second.publicKey.replace(' ', '   ')]);
    const sshDir = join(rootDir, 'root/.ssh');
    const file = join(sshDir, 'authorized_keys');
    expect(readFileSync(file, 'utf8')).toBe(`${clientKey.publicKey}\n${second.publicKey}\n`);
    expect([mode(sshDir), mode(file)]).toEqual(['700', '600']);
    expect([statSync(file).uid, statSync(file).gid]).toEqual([0, 0]);

    await driver.setAuthorizedKeys('root', [second.publicKey]);
    expect(readFileSync(file, 'utf8')).toBe(`${second.publicKey}\n`);
    expect(readdirSync(sshDir)).toEqual(['authorized_keys']);
  });

  test('setAuthorizedKeys for a user the server does not have fails without retry, saying so', async () => {
    const error = await rejection(driverFor(sshd).setAuthorizedKeys('nosuchuser', [clientKey.publicKey]));
    expect(error.code).toBe('command-failed');
    expect(error.retryable).toBe(false);
    expect(error.exitCode).toBe(3);
    expect(error.message).toContain('no user "nosuchuser" on this server');
  });
});

describeAsRoot('configureAddress inside a throwaway network namespace', () => {
  const ns = `maestro-os-test-${process.pid}`;
  let driver: OsDriver;

  const addresses = () =>
    (JSON.parse(execFileSync('ip', ['-n', ns, '-j', 'addr', 'show', 'dev', 'srv0'], { encoding: 'utf8' }))[0].addr_info as Array<{ family: string; local: string; prefixlen: number }>)
      .filter((a) => a.family === 'inet')
      .map((a) => `${a.local}/${a.prefixlen}`);
  const routes = () => execFileSync('ip', ['-n', ns, '-4', 'route', 'show', 'default'], { encoding: 'utf8' }).trim();

  beforeAll(async () => {
    execFileSync('ip', ['netns', 'add', ns]);
    // Both ends live in the namespace: no host interface is created or touched.
    execFileSync('ip', ['-n', ns, 'link', 'add', 'srv0', 'type', 'veth', 'peer', 'name', 'leaf0']);
    const daemon = await startDaemon('sshd-netns', { sessionWrapper: ['ip', 'netns', 'exec', ns] });
    driver = createSshOsDriver({ device: 'srv-netns', host: '127.0.0.1', port: daemon.port, username: 'root', privateKey: clientKey.privateKey, hostKeyFingerprint: daemon.hostKeyFingerprint });
  });

  afterAll(async () => {
    await driver.close();
    execFileSync('ip', ['netns', 'delete', ns]);
  });

  test('sets the address, brings the link up and sets the default route; running it again changes nothing', async () => {
    const config = { interface: 'srv0', address: '10.1.2.3/24', gateway: '10.1.2.1' };
    await driver.configureAddress(config);
    await driver.configureAddress(config);
    expect(addresses()).toEqual(['10.1.2.3/24']);
    expect(routes()).toMatch(/^default via 10\.1\.2\.1 dev srv0\b/);
    const link = JSON.parse(execFileSync('ip', ['-n', ns, '-j', 'link', 'show', 'dev', 'srv0'], { encoding: 'utf8' }))[0];
    expect(link.flags).toContain('UP');
  });

  test('a new address replaces the old one instead of adding to it', async () => {
    await driver.configureAddress({ interface: 'srv0', address: '10.1.2.3/24', gateway: '10.1.2.1' });
    await driver.configureAddress({ interface: 'srv0', address: '10.9.0.7/16', gateway: '10.9.0.1' });
    expect(addresses()).toEqual(['10.9.0.7/16']);
    expect(routes()).toMatch(/^default via 10\.9\.0\.1 dev srv0\b/);
  });

  test('an interface the server does not have fails with the output of ip', async () => {
    const error = await rejection(driver.configureAddress({ interface: 'eth9', address: '10.1.2.3/24' }));
    expect(error.code).toBe('command-failed');
    expect(error.output).toMatch(/eth9/);
    expect(error.message).toMatch(/^srv-netns: configuring 10\.1\.2\.3\/24 on eth9 failed with exit code \d+; last output:/);
  });
});

describeAsRoot('runBootstrap', () => {
  let scriptsBefore: string[];
  beforeEach(() => (scriptsBefore = uploadedScripts()));
  afterEach(() => expect(uploadedScripts()).toEqual(scriptsBefore));

  test('streams stdout and stderr line by line and returns exit code 0 and the output', async () => {
    const seen: Array<[string, OutputStream]> = [];
    const script = ['echo one', 'echo two >&2', 'echo "three: $(echo nested)"', 'printf "no newline at end"'].join('\n');
    const result = await driverFor(sshd).runBootstrap(script, { onOutput: (line, stream) => seen.push([line, stream]) });
    expect(seen).toEqual([['one', 'stdout'], ['two', 'stderr'], ['three: nested', 'stdout'], ['no newline at end', 'stdout']]);
    expect(result).toEqual({ exitCode: 0, output: 'one\ntwo\nthree: nested\nno newline at end' });
  });

  test('the script reads nothing from the upload channel', async () => {
    const result = await driverFor(sshd).runBootstrap('cat; echo "stdin was empty"');
    expect(result.output).toBe('stdin was empty');
  });

  test('a script that exits non-zero is reported with its exit code and last output lines', async () => {
    const script = Array.from({ length: 30 }, (_, i) => `echo line${i + 1}`).concat(['echo "apt: package not found" >&2', 'exit 7']).join('\n');
    const error = await rejection(driverFor(sshd).runBootstrap(script));
    expect(error).toMatchObject({ code: 'command-failed', retryable: false, exitCode: 7 });
    expect(error.message).toContain('srv-7: the bootstrap script failed with exit code 7; last output:');
    expect(error.message).toContain('apt: package not found');
    expect(error.output!.split('\n')).toHaveLength(20);
    expect(error.output!.split('\n').slice(-2)).toEqual(['line30', 'apt: package not found']);
  });

  test('a script that runs too long is killed on the server and reported as a timeout', async () => {
    const marker = `${process.pid}.${Date.now() % 1000}`;
    const started = Date.now();
    const error = await rejection(driverFor(sshd).runBootstrap(`echo started\nsleep ${marker}`, { timeoutMs: 1_000 }));
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(error).toMatchObject({ code: 'command-timeout', retryable: false });
    expect(error.message).toMatch(/the bootstrap script did not finish within 1000 ms; its processes \(process group \d+\) were killed/);
    expect(error.output).toBe('started');
    const survivors = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\n').filter((l) => l.includes(`sleep ${marker}`));
    expect(survivors).toEqual([]);
  });
});

describeAsRoot('connecting', () => {
  test('waitUntilReachable succeeds once an sshd starts listening late, and reports its host key', async () => {
    const port = await freePort();
    const driver = driverFor({ port });
    const late = new Promise<RunningSshd>((resolve) => setTimeout(() => resolve(startDaemon('sshd-late', { port })), 1_000));
    await driver.waitUntilReachable({ timeoutMs: 15_000, intervalMs: 200 });
    expect(driver.hostKeyFingerprint).toBe((await late).hostKeyFingerprint);
    await driver.setHostname('late-01');
  });

  test('waitUntilReachable gives up at the deadline naming the host, the last failure and the time waited', async () => {
    const port = await freePort();
    const started = Date.now();
    const error = await rejection(driverFor({ port }).waitUntilReachable({ timeoutMs: 1_000, intervalMs: 200 }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(error).toMatchObject({ code: 'connection', retryable: true });
    expect(error.message).toMatch(new RegExp(`^srv-7: 127\\.0\\.0\\.1:${port} was not reachable over SSH after waiting \\d+ ms \\([2-9]\\d* attempts\\); last failure: cannot connect to 127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`));
  });

  test('a changed host key is refused at once, naming both fingerprints, and waitUntilReachable does not retry it', async () => {
    const started = Date.now();
    const error = await rejection(driverFor({ port: sshd.port, hostKeyFingerprint: clientKey.fingerprint }).waitUntilReachable({ timeoutMs: 10_000, intervalMs: 200 }));
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(error).toMatchObject({ code: 'host-key-mismatch', retryable: false });
    expect(error.message).toContain(`expected ${clientKey.fingerprint}, the server presented ${sshd.hostKeyFingerprint}`);
  });

  test('a key the server does not accept is an authentication failure', async () => {
    const stranger = await generateSshKey(join(work, 'stranger_key'));
    const error = await rejection(driverFor(sshd, { privateKey: stranger.privateKey }).setHostname('x'));
    expect(error).toMatchObject({ code: 'auth-failed', retryable: false });
    expect(error.message).toContain(`authentication failed for user "root" at 127.0.0.1:${sshd.port}`);
  });

  test('reconnects after the server restarts with the same host key', async () => {
    const daemon = await startDaemon('sshd-restart');
    const driver = driverFor(daemon);
    await driver.setHostname('before-restart');
    await daemon.stop();
    const again = await startDaemon('sshd-restart', { port: daemon.port });
    expect(again.hostKeyFingerprint).toBe(daemon.hostKeyFingerprint);
    await driver.setHostname('after-restart');
  });

  test('a connection that drops while a command runs is a retryable failure', async () => {
    const daemon = await startDaemon('sshd-drop');
    const driver = driverFor(daemon);
    const running = rejection(driver.runBootstrap('echo working\nsleep 5', { onOutput: () => void daemon.stop() }));
    const error = await running;
    expect(error).toMatchObject({ code: 'connection', retryable: true });
    expect(error.message).toBe('srv-7: the connection dropped while running the bootstrap script; it may or may not have finished; last output:\n  working');
  });

  test('invalid input is refused before any connection is attempted', async () => {
    const driver = driverFor({ port: await freePort() });
    const error = await rejection(driver.setHostname('web01;reboot'));
    expect(error).toMatchObject({ code: 'invalid-input', retryable: false });
    expect(error.message).toContain('hostname: "web01;reboot" is not a valid host name');
    expect(driver.hostKeyFingerprint).toBeUndefined();
  });
});
