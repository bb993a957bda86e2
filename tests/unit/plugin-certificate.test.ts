// Self-signed certificates built by hand: parsed and verified by Node (and openssl when present).

import { execFileSync } from 'node:child_process';
import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { createSelfSignedCertificate } from '../../provider-shim/src/plugin/certificate';
import * as der from '../../provider-shim/src/plugin/der';

describe('createSelfSignedCertificate', () => {
  const started = Date.now();
  const cert = createSelfSignedCertificate({ commonName: 'maestro test', dnsNames: ['localhost', 'engine.example'], ipAddresses: ['127.0.0.1', '::1', '2001:db8::7'], days: 10 });
  const x509 = new X509Certificate(cert.certPem);

  test('parses, is self-signed by its own key, and is a CA', () => {
    expect(x509.subject).toBe('CN=maestro test');
    expect(x509.issuer).toBe('CN=maestro test');
    expect(x509.verify(x509.publicKey)).toBe(true);
    expect(x509.checkIssued(x509)).toBe(true);
    expect(x509.ca).toBe(true);
    expect(x509.raw).toEqual(cert.certDer);
  });

  test('the private key matches the certificate', () => {
    const fromKey = createPublicKey(createPrivateKey(cert.keyPem)).export({ type: 'spki', format: 'der' });
    expect(fromKey).toEqual(x509.publicKey.export({ type: 'spki', format: 'der' }));
    expect(x509.checkPrivateKey(createPrivateKey(cert.keyPem))).toBe(true);
  });

  test('names every DNS name and IP address, and allows server and client authentication', () => {
    expect(x509.subjectAltName).toBe('DNS:localhost, DNS:engine.example, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, IP Address:2001:DB8:0:0:0:0:0:7');
    expect(x509.checkHost('localhost')).toBe('localhost');
    expect(x509.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(x509.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
  });

  test('is valid from just before now for the requested number of days', () => {
    const from = Date.parse(x509.validFrom);
    const to = Date.parse(x509.validTo);
    expect(from).toBeLessThanOrEqual(started);
    expect(started - from).toBeLessThan(60_000);
    expect(to - from).toBeGreaterThanOrEqual(10 * 86_400_000);
    expect(to - from).toBeLessThanOrEqual(10 * 86_400_000 + 60_000);
  });

  test('two certificates differ in key and serial', () => {
    const other = new X509Certificate(createSelfSignedCertificate({ commonName: 'maestro test', dnsNames: ['localhost'] }).certPem);
    expect(other.serialNumber).not.toBe(x509.serialNumber);
    expect(other.publicKey.export({ format: 'pem', type: 'spki' })).not.toBe(x509.publicKey.export({ format: 'pem', type: 'spki' }));
  });

  test('rejects an IP address that is not a literal', () => {
    expect(() => createSelfSignedCertificate({ commonName: 'x', dnsNames: [], ipAddresses: ['localhost'] })).toThrow(/"localhost" is not an IPv4 or IPv6 literal/);
  });

  const openssl = (() => {
    try {
      execFileSync('openssl', ['version']);
      return true;
    } catch {
      return false;
    }
  })();
  (openssl ? test : test.skip)('openssl shows the extensions', () => {
    const text = execFileSync('openssl', ['x509', '-noout', '-text'], { input: cert.certPem }).toString();
    expect(text).toMatch(/Basic Constraints: critical\s+CA:TRUE/);
    expect(text).toMatch(/Key Usage: critical\s+Digital Signature, Key Encipherment, Certificate Sign/);
    expect(text).toMatch(/Extended Key Usage:\s+TLS Web Server Authentication, TLS Web Client Authentication/);
    expect(text).toMatch(/Subject Alternative Name:\s+DNS:localhost, DNS:engine.example, IP Address:127.0.0.1/);
    expect(text).toContain('ecdsa-with-SHA256');
  });
});

describe('der', () => {
  test.each([
    ['short length', der.octetString(Buffer.alloc(3, 7)), '0403070707'],
    ['long length (1 byte)', der.octetString(Buffer.alloc(200)).subarray(0, 3), '0481c8'],
    ['long length (2 bytes)', der.octetString(Buffer.alloc(300)).subarray(0, 4), '0482012c'],
    ['integer with high bit gets a zero byte', der.unsignedInteger(Buffer.from([0x80])), '02020080'],
    ['integer drops leading zeros', der.unsignedInteger(Buffer.from([0, 0, 5])), '020105'],
    ['zero', der.smallInteger(0), '020100'],
    ['oid with multi-byte arc', der.oid('1.2.840.10045.4.3.2'), '06082a8648ce3d040302'],
    ['oid commonName', der.oid('2.5.4.3'), '0603550403'],
    ['UTCTime before 2050', der.time(new Date(Date.UTC(2026, 0, 2, 3, 4, 5))), '170d3236303130323033303430355a'],
    ['GeneralizedTime from 2050', der.time(new Date(Date.UTC(2050, 0, 2, 3, 4, 5))), '180f32303530303130323033303430355a'],
    ['bit string with unused bits', der.bitString(Buffer.from([0xa4]), 2), '030202a4'],
  ])('%s', (_name, encoded, hex) => {
    expect(encoded.toString('hex')).toBe(hex);
  });
});
