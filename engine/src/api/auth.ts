// Bearer-token authentication of API calls against the sha256 hashes in the store.

import { createHash, randomBytes } from 'node:crypto';
import type * as grpc from '@grpc/grpc-js';
import type { ApiTokenRecord, Store } from '../store/store';
import { EngineApiError } from './api-error';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

export const sha256Hex = (token: string) => createHash('sha256').update(token).digest('hex');

/** A new random API token (URL-safe, 256 bits). */
export const newToken = () => randomBytes(32).toString('base64url');

/**
 * The token record for the call's `authorization: Bearer <token>` metadata.
 * Throws EngineApiError `unauthenticated` when the header is missing, malformed or unknown.
 */
export async function authenticate(store: Store, metadata: grpc.Metadata): Promise<ApiTokenRecord> {
  const header = metadata.get('authorization')[0];
  if (typeof header !== 'string' || header === '') {
    throw new EngineApiError('unauthenticated', 'missing "authorization: Bearer <token>" metadata; the admin token is in the engine data dir (admin.token)');
  }
  const m = BEARER.exec(header);
  if (!m) throw new EngineApiError('unauthenticated', 'the authorization metadata must be "Bearer <token>"');
  const token = await store.findApiToken(sha256Hex(m[1]));
  if (!token) throw new EngineApiError('unauthenticated', 'the bearer token is not valid for this engine (check MAESTRO_TOKEN / the data dir)');
  return token;
}
