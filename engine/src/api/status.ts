// Error codes of the engine API: stable lowercase names both ways to gRPC status, and the violations trailer.

import * as grpc from '@grpc/grpc-js';
import type { FieldViolation } from '../domain/port-config';
import { engineProto } from './proto';

/** Trailing metadata key holding an encoded FieldViolations message. */
export const VIOLATIONS_KEY = 'field-violations-bin';

/**
 * Trailing metadata key the engine sets on every error it returns (value: the
 * API code), so a client can tell the engine's UNAVAILABLE (a device is
 * unreachable) from the transport's (the engine is unreachable).
 */
export const ENGINE_ERROR_KEY = 'maestro-error';

const CODES = {
  invalid_argument: grpc.status.INVALID_ARGUMENT,
  not_found: grpc.status.NOT_FOUND,
  failed_precondition: grpc.status.FAILED_PRECONDITION,
  unauthenticated: grpc.status.UNAUTHENTICATED,
  permission_denied: grpc.status.PERMISSION_DENIED,
  unavailable: grpc.status.UNAVAILABLE,
  aborted: grpc.status.ABORTED,
  deadline_exceeded: grpc.status.DEADLINE_EXCEEDED,
  internal: grpc.status.INTERNAL,
} as const;

export type ApiErrorCode = keyof typeof CODES;

export function grpcStatusOf(code: ApiErrorCode): grpc.status {
  return CODES[code];
}

/** The API code for a gRPC status; statuses without a name here count as `internal`. */
export function apiCodeOf(status: grpc.status): ApiErrorCode {
  const found = (Object.keys(CODES) as ApiErrorCode[]).find((k) => CODES[k] === status);
  return found ?? 'internal';
}

/** Trailing metadata for an engine error. */
export function errorTrailer(code: ApiErrorCode, violations: FieldViolation[]): grpc.Metadata {
  const metadata = new grpc.Metadata();
  metadata.set(ENGINE_ERROR_KEY, code);
  if (violations.length > 0) metadata.set(VIOLATIONS_KEY, engineProto().fieldViolations.serialize({ violations }));
  return metadata;
}

/** True when the status came from the engine rather than from the transport. */
export const fromEngine = (metadata: grpc.Metadata | undefined) => (metadata?.get(ENGINE_ERROR_KEY).length ?? 0) > 0;

/** The violations in a status's trailing metadata; [] when there are none. */
export function decodeViolations(metadata: grpc.Metadata | undefined): FieldViolation[] {
  const raw = metadata?.get(VIOLATIONS_KEY)[0];
  if (!Buffer.isBuffer(raw)) return [];
  const msg = engineProto().fieldViolations.deserialize(raw) as { violations: FieldViolation[] };
  return msg.violations.map(({ field, reason }) => ({ field, reason }));
}
