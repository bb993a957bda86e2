// Self-signed X.509 certificates (ECDSA P-256) for go-plugin's AutoMTLS and the engine API's TLS.
//
// Node can sign but cannot build certificates, so the TBSCertificate is encoded
// by hand (der.ts). A library (@peculiar/x509, node-forge) would cost ~100 ms on
// every provider start, and terraform starts the provider 3-5 times per command.

import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { isIP } from 'node:net';
import * as der from './der';

export interface CertificateOptions {
  /** Subject and issuer common name. */
  commonName: string;
  /** subjectAltName DNS names; clients match the server name against these (go-plugin uses "localhost"). */
  dnsNames: string[];
  /** subjectAltName IP addresses (IPv4 or IPv6 literals). Throws on anything else. */
  ipAddresses?: string[];
  /**
   * Validity in days from now. Default 3650: trust in these certificates comes
   * from pinning the exact certificate, not from a CA, so expiry protects
   * nothing; a short default would only make a certificate that a long-running
   * engine persisted stop working one day. Per-process plugin certificates pass
   * a short value.
   */
  days?: number;
}

export interface SelfSignedCertificate {
  certPem: string;
  /** PKCS#8 PEM of the private key. */
  keyPem: string;
  certDer: Buffer;
}

const OID = {
  commonName: '2.5.4.3',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  subjectAltName: '2.5.29.17',
  subjectKeyIdentifier: '2.5.29.14',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
};

/** Backdating absorbs small clock differences between the two ends. */
const BACKDATE_MS = 30_000;
const DAY_MS = 86_400_000;

/** Creates a fresh key pair and a certificate for it, self-signed, CA:true, usable by servers and clients. */
export function createSelfSignedCertificate(opts: CertificateOptions): SelfSignedCertificate {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const now = Date.now();
  const name = der.sequence(der.set(der.sequence(der.oid(OID.commonName), der.utf8String(opts.commonName))));
  const algorithm = der.sequence(der.oid(OID.ecdsaWithSha256));
  const tbs = der.sequence(
    der.explicit(0, der.smallInteger(2)), // v3
    der.unsignedInteger(Buffer.concat([Buffer.from([0x01]), randomBytes(15)])), // positive, 16 bytes
    algorithm,
    name,
    der.sequence(der.time(new Date(now - BACKDATE_MS)), der.time(new Date(now + (opts.days ?? 3650) * DAY_MS))),
    name,
    spki,
    der.explicit(3, der.sequence(...extensions(opts, spki))),
  );
  const signature = sign('sha256', tbs, privateKey); // DER-encoded ECDSA signature
  const certDer = der.sequence(tbs, algorithm, der.bitString(signature));
  return {
    certDer,
    certPem: toPem('CERTIFICATE', certDer),
    keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

function extensions(opts: CertificateOptions, spki: Buffer): Buffer[] {
  // digitalSignature(0) + keyEncipherment(2) + keyCertSign(5) = 1010 0100, 2 unused bits.
  const keyUsage = der.bitString(Buffer.from([0xa4]), 2);
  const sans = [...opts.dnsNames.map((n) => der.implicitPrimitive(2, Buffer.from(n, 'ascii'))), ...(opts.ipAddresses ?? []).map((ip) => der.implicitPrimitive(7, ipBytes(ip)))];
  return [
    extension(OID.basicConstraints, true, der.sequence(der.boolean(true))),
    extension(OID.keyUsage, true, keyUsage),
    extension(OID.extKeyUsage, false, der.sequence(der.oid(OID.serverAuth), der.oid(OID.clientAuth))),
    extension(OID.subjectAltName, false, der.sequence(...sans)),
    extension(OID.subjectKeyIdentifier, false, der.octetString(createHash('sha1').update(spki).digest())),
  ];
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return der.sequence(der.oid(id), ...(critical ? [der.boolean(true)] : []), der.octetString(value));
}

function ipBytes(ip: string): Buffer {
  const family = isIP(ip);
  if (family === 4) return Buffer.from(ip.split('.').map(Number));
  if (family === 6) return ipv6Bytes(ip);
  throw new Error(`certificate IP address "${ip}" is not an IPv4 or IPv6 literal`);
}

function ipv6Bytes(ip: string): Buffer {
  const [head, tail] = ip.includes('::') ? ip.split('::') : [ip, undefined];
  const groups = (s: string | undefined): string[] => (s ? s.split(':') : []);
  const expand = (parts: string[]): number[] => parts.flatMap((p) => (p.includes('.') ? ipv4Groups(p) : [parseInt(p, 16)]));
  const left = expand(groups(head));
  const right = expand(groups(tail));
  const all = tail === undefined ? left : [...left, ...new Array(8 - left.length - right.length).fill(0), ...right];
  const out = Buffer.alloc(16);
  all.forEach((g, i) => out.writeUInt16BE(g, i * 2));
  return out;
}

/** An embedded IPv4 tail ("::ffff:1.2.3.4") as two 16-bit groups. */
function ipv4Groups(dotted: string): number[] {
  const b = dotted.split('.').map(Number);
  return [(b[0] << 8) | b[1], (b[2] << 8) | b[3]];
}

function toPem(label: string, bytes: Buffer): string {
  const lines = bytes.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
