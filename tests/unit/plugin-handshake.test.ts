// go-plugin handshake rules: cookie, protocol negotiation and the stdout line format.

import { checkMagicCookie, handshakeLine, HandshakeError, MAGIC_COOKIE_VALUE, negotiateProtocolVersion } from '../../provider-shim/src/plugin/handshake';

describe('handshakeLine', () => {
  test.each([1, 2, 3, 4, 5, 6])('encodes a %i-byte certificate as unpadded base64 that decodes back', (n) => {
    const der = Buffer.from(Array.from({ length: n }, (_, i) => 250 - i));
    const line = handshakeLine({ network: 'unix', address: '/tmp/x/plugin.sock' }, der);
    const fields = line.trimEnd().split('|');
    expect(fields.slice(0, 5)).toEqual(['1', '6', 'unix', '/tmp/x/plugin.sock', 'grpc']);
    expect(fields[5]).not.toContain('=');
    expect(Buffer.from(fields[5], 'base64')).toEqual(der);
    expect(line.endsWith('\n')).toBe(true);
  });

  test('has no sixth field in plaintext mode', () => {
    expect(handshakeLine({ network: 'tcp', address: '127.0.0.1:1234' })).toBe('1|6|tcp|127.0.0.1:1234|grpc\n');
  });
});

describe('negotiateProtocolVersion', () => {
  test.each(['5,6', '6,5', '6', ' 5 , 6 '])('picks 6 from %p', (offered) => {
    expect(negotiateProtocolVersion({ PLUGIN_PROTOCOL_VERSIONS: offered })).toBe(6);
  });

  test.each([
    ['5', /offered: 5 /],
    ['4,5', /offered: 4, 5 /],
    ['', /offered: none/],
    [undefined, /offered: none/],
  ])('rejects %p, naming what was offered', (offered, message) => {
    const negotiate = () => negotiateProtocolVersion({ PLUGIN_PROTOCOL_VERSIONS: offered });
    expect(negotiate).toThrow(HandshakeError);
    expect(negotiate).toThrow(message);
  });
});

describe('checkMagicCookie', () => {
  test('accepts terraform cookie', () => {
    expect(() => checkMagicCookie({ TF_PLUGIN_MAGIC_COOKIE: MAGIC_COOKIE_VALUE })).not.toThrow();
  });

  test.each([
    ['missing', undefined],
    ['wrong', 'not-the-cookie'],
  ])('rejects a %s cookie with an explanation for humans', (_case, value) => {
    const check = () => checkMagicCookie({ TF_PLUGIN_MAGIC_COOKIE: value });
    expect(check).toThrow(HandshakeError);
    expect(check).toThrow(/is a plugin: the Terraform provider for Maestro/);
  });
});
