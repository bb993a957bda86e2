// Redfish failures as BmcErrors: HTTP error bodies (@Message.ExtendedInfo), network and TLS failures, with no secrets.

import { isAxiosError } from 'axios';
import { BmcError } from './bmc';

/** A Redfish Message object (Message schema); only what errors need. */
export interface RedfishMessage {
  MessageId?: string;
  Message?: string;
}

/** Error codes that mean the certificate was refused: retrying cannot help, configuration must change. */
const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_TLS_CERT_FINGERPRINT_MISMATCH',
]);

/** The Message strings of a list of Message objects (MessageId when a message has no text). */
export function messageTexts(messages: unknown): string[] {
  if (!Array.isArray(messages)) return [];
  return messages
    .map((m: RedfishMessage) => m?.Message ?? m?.MessageId)
    .filter((text): text is string => typeof text === 'string' && text !== '');
}

/** What the BMC said in an error body: `error.@Message.ExtendedInfo` messages, else `error.message`. */
export function errorBodyMessages(body: unknown): string[] {
  const error = (body as { error?: { message?: unknown; '@Message.ExtendedInfo'?: unknown } } | undefined)?.error;
  if (!error) return [];
  const extended = messageTexts(error['@Message.ExtendedInfo']);
  if (extended.length > 0) return extended;
  return typeof error.message === 'string' ? [error.message] : [];
}

/** A non-2xx response. 5xx may be retried; 4xx means the request itself was refused. */
export function httpError(endpoint: string, request: string, status: number, body: unknown): BmcError {
  const messages = errorBodyMessages(body);
  const detail = messages.length > 0 ? `: ${messages.join('; ')}` : '';
  return new BmcError(`BMC ${endpoint}: ${request} failed with HTTP ${status}${detail}`, endpoint, status >= 500, status, messages);
}

/** A request that got no response: TLS refusal (not retryable), timeout or connection failure (retryable). */
export function transportError(endpoint: string, request: string, err: unknown, timeoutMs: number): BmcError {
  const code = (isAxiosError(err) ? err.code : (err as NodeJS.ErrnoException)?.code) ?? 'ERROR';
  const text = err instanceof Error ? err.message : String(err);
  if (TLS_CODES.has(code)) {
    const hint = 'trust it with tls.caCertPem or pin it with tls.fingerprintSha256';
    return new BmcError(`BMC ${endpoint}: TLS certificate refused for ${request} (${code}: ${text}); ${hint}`, endpoint, false);
  }
  if (code === 'ETIMEDOUT' || code === 'ECONNABORTED') {
    return new BmcError(`BMC ${endpoint}: ${request} got no answer within ${timeoutMs} ms (requestTimeoutMs)`, endpoint, true);
  }
  return new BmcError(`BMC ${endpoint}: ${request} failed: ${code}: ${text}`, endpoint, true);
}
