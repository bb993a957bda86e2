// Strict grammars for every value the OS driver places into a remote command: host names, user names, SSH keys, interfaces, addresses, paths.

import { isIPv6 } from 'node:net';
import type { FieldViolation } from '../../domain/port-config';

/** Linux keeps at most 64 bytes of hostname (HOST_NAME_MAX); longer FQDNs fail in `hostname`. */
export const HOSTNAME_MAX = 64;
/** Interface names are at most 15 characters (IFNAMSIZ minus the NUL). */
export const INTERFACE_NAME_MAX = 15;

/** RFC 1123 label: letters, digits, inner hyphens, 1..63 characters. */
const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
/** Portable user names (useradd's default rule, 32 characters at most). */
const USERNAME = /^[a-z_][a-z0-9_-]{0,31}$/;
/** Letters, digits, `_ . -`, starting with a letter or digit; never `/`, `:`, spaces or shell syntax. */
const INTERFACE = new RegExp(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,${INTERFACE_NAME_MAX - 1}}$`);
const IPV4_OCTET = '(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
const IPV4 = new RegExp(`^${IPV4_OCTET}(?:\\.${IPV4_OCTET}){3}$`);
/** IPv6 characters only: node's isIPv6 also accepts zone ids (`fe80::1%eth0`). */
const IPV6_CHARS = /^[0-9A-Fa-f:.]+$/;
/** A decimal prefix length without leading zeros. */
const PREFIX = /^(?:0|[1-9][0-9]{0,2})$/;
const ROOT_DIR = /^\/[A-Za-z0-9._\/-]*$/;
/** Key types OpenSSH accepts in authorized_keys today (ssh-dss is disabled since OpenSSH 9.8). */
export const SSH_KEY_TYPES: readonly string[] = [
  'ssh-ed25519',
  'ssh-rsa',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'sk-ssh-ed25519@openssh.com',
  'sk-ecdsa-sha2-nistp256@openssh.com',
];
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** Control characters, which would end or corrupt an authorized_keys line. */
const CONTROL = /[\x00-\x1f\x7f]/;

export type IpFamily = 4 | 6;

export function hostnameViolation(field: string, name: string): FieldViolation | null {
  const reason = (why: string): FieldViolation => ({ field, reason: `${JSON.stringify(name)} is not a valid host name: ${why}` });
  if (name.length === 0 || name.length > HOSTNAME_MAX) return reason(`it must be 1..${HOSTNAME_MAX} characters long`);
  const bad = name.split('.').find((label) => !LABEL.test(label));
  if (bad !== undefined) return reason(`label ${JSON.stringify(bad)} must be 1..63 letters, digits or inner hyphens (RFC 1123)`);
  return null;
}

export function usernameViolation(field: string, user: string): FieldViolation | null {
  if (USERNAME.test(user)) return null;
  return { field, reason: `${JSON.stringify(user)} is not a valid user name: lowercase letters, digits, "_" or "-", starting with a letter or "_", at most 32 characters` };
}

export function interfaceNameViolation(field: string, name: string): FieldViolation | null {
  if (INTERFACE.test(name)) return null;
  return { field, reason: `${JSON.stringify(name)} is not a valid interface name: 1..${INTERFACE_NAME_MAX} letters, digits, "_", "." or "-", starting with a letter or digit` };
}

/** The family of a plain IP address (no prefix, no zone id), or null when it is not one. */
export function ipFamily(address: string): IpFamily | null {
  if (IPV4.test(address)) return 4;
  if (IPV6_CHARS.test(address) && isIPv6(address)) return 6;
  return null;
}

/** Splits `address/prefix`; null when it is not a valid IPv4 or IPv6 CIDR. */
export function parseCidr(cidr: string): { address: string; prefix: number; family: IpFamily } | null {
  const [address, prefixText, extra] = cidr.split('/');
  if (extra !== undefined || prefixText === undefined || !PREFIX.test(prefixText)) return null;
  const family = ipFamily(address);
  const prefix = Number(prefixText);
  if (family === null || prefix < 1 || prefix > (family === 4 ? 32 : 128)) return null;
  return { address, prefix, family };
}

export function cidrViolation(field: string, cidr: string): FieldViolation | null {
  if (parseCidr(cidr)) return null;
  return { field, reason: `${JSON.stringify(cidr)} is not an address with prefix length such as 10.1.2.3/24 or 2001:db8::5/64` };
}

export function gatewayViolation(field: string, gateway: string, family: IpFamily): FieldViolation | null {
  const actual = ipFamily(gateway);
  if (actual === family) return null;
  const why = actual === null ? 'it is not a plain IP address' : `it is IPv${actual} but the address is IPv${family}`;
  return { field, reason: `${JSON.stringify(gateway)} is not a valid gateway: ${why}` };
}

/**
 * `type base64 [comment]`, separated by spaces: a known type, a base64 blob
 * whose first field names that same type (a pasted key of one type labelled as
 * another is refused), and a comment without control characters. Options
 * before the type (`command="..."`, `from=...`) are not accepted.
 */
export function sshPublicKeyViolation(field: string, key: string): FieldViolation | null {
  const reason = (why: string): FieldViolation => ({ field, reason: `not a valid SSH public key (${why}): ${JSON.stringify(key.slice(0, 60))}` });
  if (CONTROL.test(key)) return reason('it contains a line break or another control character');
  const [type, blob] = key.trim().split(/ +/);
  if (!SSH_KEY_TYPES.includes(type)) return reason(`it must start with one of ${SSH_KEY_TYPES.join(', ')}; authorized_keys options are not accepted`);
  if (blob === undefined || !BASE64.test(blob)) return reason('the second field must be the base64 key blob');
  if (blobKeyType(Buffer.from(blob, 'base64')) !== type) return reason(`the key blob is not a ${type} key`);
  return null;
}

/** A valid key as one authorized_keys line: fields joined by single spaces, no surrounding whitespace. */
export function normalizeSshPublicKey(key: string): string {
  return key.trim().split(/ +/).join(' ');
}

/** The key type an SSH wire-format public key blob starts with (uint32 length + name), or null. */
function blobKeyType(blob: Buffer): string | null {
  if (blob.length < 4) return null;
  const length = blob.readUInt32BE(0);
  if (length === 0 || length > 64 || blob.length < 4 + length) return null;
  return blob.subarray(4, 4 + length).toString('latin1');
}

/** `/` or an absolute path of plain characters without `..` segments. */
export function rootDirViolation(field: string, dir: string): FieldViolation | null {
  if (ROOT_DIR.test(dir) && !dir.split('/').includes('..')) return null;
  return { field, reason: `${JSON.stringify(dir)} must be an absolute path of letters, digits, ".", "_", "-" and "/", without ".."` };
}
