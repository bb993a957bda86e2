// TLS trust for BMC endpoints: system CAs by default, a given CA, a pinned certificate fingerprint, or explicit insecure.

import { Agent, type AgentOptions } from 'node:https';
import type { Duplex } from 'node:stream';
import { connect, type ConnectionOptions, type PeerCertificate, type TLSSocket } from 'node:tls';
import type { BmcTlsOptions } from './bmc';

/** `AB:CD:...` uppercase, the form Node reports as `fingerprint256`; throws on anything but 32 hex bytes. */
export function normalizeFingerprint(fingerprint: string): string {
  const hex = fingerprint.replace(/^sha256[:=]/i, '').replace(/[:\s]/g, '').toUpperCase();
  if (!/^[0-9A-F]{64}$/.test(hex)) throw new Error(`tls.fingerprintSha256 "${fingerprint}" is not a SHA-256 fingerprint (64 hex digits, colons optional)`);
  return hex.match(/../g)!.join(':');
}

type ConnectCallback = (err: Error | null, socket?: Duplex) => void;

/**
 * Accepts exactly one certificate, by fingerprint. Node only calls
 * `checkServerIdentity` after the chain verified, which a self-signed BMC
 * certificate never does, so the check runs here instead: the socket is
 * handed to the HTTP client only after the fingerprint matched, so no request
 * bytes (credentials) ever reach an impostor.
 */
class PinnedAgent extends Agent {
  constructor(
    options: AgentOptions,
    private readonly fingerprint: string,
  ) {
    super(options);
  }

  override createConnection(options: ConnectionOptions, callback: ConnectCallback): undefined {
    const socket: TLSSocket = connect({ ...options, rejectUnauthorized: false });
    const fail = (err: Error) => callback(err);
    socket.once('error', fail);
    socket.once('secureConnect', () => {
      socket.removeListener('error', fail);
      const error = this.checkPeer(socket.getPeerCertificate());
      if (!error) return callback(null, socket);
      socket.destroy();
      callback(error);
    });
    return undefined;
  }

  private checkPeer(cert: PeerCertificate): Error | undefined {
    if (cert.fingerprint256 === this.fingerprint) return undefined;
    return Object.assign(new Error(`certificate fingerprint ${cert.fingerprint256 || '(none)'} does not match the pinned ${this.fingerprint}`), {
      code: 'ERR_TLS_CERT_FINGERPRINT_MISMATCH',
    });
  }
}

/**
 * The https.Agent for one BMC. Keep-alive, because BMCs are slow at TLS
 * handshakes and power/task polling makes many small requests.
 */
export function createBmcAgent(tls: BmcTlsOptions, warn: (message: string) => void, endpoint: string): Agent {
  const base: AgentOptions = { keepAlive: true, maxSockets: 4 };
  if (tls.insecure) {
    warn(`TLS verification is disabled for BMC ${endpoint} (tls.insecure); its identity is not checked`);
    return new Agent({ ...base, rejectUnauthorized: false });
  }
  if (tls.fingerprintSha256) return new PinnedAgent(base, normalizeFingerprint(tls.fingerprintSha256));
  return new Agent({ ...base, rejectUnauthorized: true, ...(tls.caCertPem ? { ca: tls.caCertPem } : {}) });
}
