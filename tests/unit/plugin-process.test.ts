// The provider process when started wrongly, and its handshake line when started by terraform's rules.

import { once } from 'node:events';
import { MAGIC_COOKIE_VALUE } from '../../provider-shim/src/plugin/handshake';
import { createSelfSignedCertificate } from '../../provider-shim/src/plugin/certificate';
import { cleanEnv, runTs, spawnTs } from './plugin-child-process';

const MAIN = 'provider-shim/src/main.ts';

describe('provider process start-up', () => {
  test('without the magic cookie: explains on stderr, prints nothing on stdout, exits 1', async () => {
    const res = await runTs([MAIN], cleanEnv({ PLUGIN_PROTOCOL_VERSIONS: '6' }));
    expect(res.code).toBe(1);
    expect(res.stdout).toBe('');
    expect(res.stderr).toContain('This binary is a plugin: the Terraform provider for Maestro');
  });

  test('without protocol 6 on offer: says so on stderr and exits 1', async () => {
    const res = await runTs([MAIN], cleanEnv({ TF_PLUGIN_MAGIC_COOKIE: MAGIC_COOKIE_VALUE, PLUGIN_PROTOCOL_VERSIONS: '5' }));
    expect(res.code).toBe(1);
    expect(res.stdout).toBe('');
    expect(res.stderr).toContain('speaks Terraform plugin protocol 6 only, but the caller offered: 5');
  });

  test.each([
    ['with PLUGIN_CLIENT_CERT: TLS, the certificate in a sixth field', true, /^1\|6\|unix\|\/[^|]+\/plugin\.sock\|grpc\|[A-Za-z0-9+/]+$/],
    ['without PLUGIN_CLIENT_CERT: plaintext, five fields', false, /^1\|6\|unix\|\/[^|]+\/plugin\.sock\|grpc$/],
  ])('%s; the line is all of stdout, even at TF_LOG=trace', async (_name, tls, pattern) => {
    const env = cleanEnv({ TF_PLUGIN_MAGIC_COOKIE: MAGIC_COOKIE_VALUE, PLUGIN_PROTOCOL_VERSIONS: '5,6', TF_LOG: 'trace' });
    if (tls) env.PLUGIN_CLIENT_CERT = createSelfSignedCertificate({ commonName: 'terraform', dnsNames: ['localhost'] }).certPem;
    const child = spawnTs([MAIN], env);
    let stdout = '';
    child.stdout?.on('data', (d) => (stdout += d));
    while (!stdout.includes('\n')) await once(child.stdout!, 'data');
    await new Promise((r) => setTimeout(r, 100)); // anything printed after the line would show up here
    child.kill('SIGTERM');
    await once(child, 'exit');
    expect(stdout.split('\n')).toEqual([expect.stringMatching(pattern), '']);
  });
});
