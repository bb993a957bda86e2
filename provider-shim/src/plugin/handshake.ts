// go-plugin's handshake rules: the magic cookie, protocol version negotiation and the stdout line.

/** Terraform sets this variable to prove the provider was started by terraform. */
export const MAGIC_COOKIE_KEY = 'TF_PLUGIN_MAGIC_COOKIE';
export const MAGIC_COOKIE_VALUE = 'd602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2';

/** go-plugin's own protocol version, always 1. */
export const CORE_PROTOCOL_VERSION = 1;
/** The only terraform plugin protocol we speak: tfplugin6. */
export const APP_PROTOCOL_VERSION = 6;

/** The provider was started in a way it cannot serve; `message` is for the human who did it. */
export class HandshakeError extends Error {}

/** Throws HandshakeError unless the environment carries terraform's magic cookie. */
export function checkMagicCookie(env: NodeJS.ProcessEnv): void {
  if (env[MAGIC_COOKIE_KEY] === MAGIC_COOKIE_VALUE) return;
  throw new HandshakeError(
    'This binary is a plugin: the Terraform provider for Maestro. It is not meant to be run directly;\n' +
      'terraform starts it during "terraform init", "plan" and "apply" once the provider is installed\n' +
      '(node dist/provider-shim/src/install.js) and required in your configuration:\n' +
      '  required_providers { maestro = { source = "maestro/maestro" } }\n' +
      'To debug the provider, run it with --debug and follow the instructions it prints.',
  );
}

/**
 * Picks the protocol version from PLUGIN_PROTOCOL_VERSIONS ("5,6", any order).
 * Throws HandshakeError when terraform does not offer version 6.
 */
export function negotiateProtocolVersion(env: NodeJS.ProcessEnv): number {
  const offered = (env.PLUGIN_PROTOCOL_VERSIONS ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
  if (offered.includes(String(APP_PROTOCOL_VERSION))) return APP_PROTOCOL_VERSION;
  const list = offered.length > 0 ? offered.join(', ') : 'none';
  throw new HandshakeError(
    `This provider speaks Terraform plugin protocol ${APP_PROTOCOL_VERSION} only, but the caller offered: ${list} ` +
      '(PLUGIN_PROTOCOL_VERSIONS). Protocol 6 needs Terraform 1.0 or newer.',
  );
}

export interface ListenAddress {
  network: 'unix' | 'tcp';
  /** Socket path, or host:port for tcp. */
  address: string;
}

/**
 * The line go-plugin reads from stdout:
 * `CORE|APP|NETWORK|ADDRESS|grpc[|CERT]`, where CERT is the server certificate's
 * DER in base64 without "=" padding (Go's RawStdEncoding) and is absent for plaintext.
 */
export function handshakeLine(listen: ListenAddress, certDer?: Buffer): string {
  const fields = [CORE_PROTOCOL_VERSION, APP_PROTOCOL_VERSION, listen.network, listen.address, 'grpc'];
  if (certDer) fields.push(certDer.toString('base64').replace(/=+$/, ''));
  return fields.join('|') + '\n';
}
