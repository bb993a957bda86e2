// What resources need from the engine, and how engine errors become diagnostics.

import type { ApplyResult, FieldViolation, PortRequest, PortState } from '../../../engine/src/api/types';
import type { Diagnostics } from '../framework/diagnostics';

export type { PortRequest };
export type EnginePort = PortState;

/**
 * The engine API as resources use it (the engine's EngineClient implements it).
 * Methods throw an error with `code` ('not_found', 'invalid_argument',
 * 'failed_precondition', 'unauthenticated', 'unavailable', ...) and
 * `violations` naming the fields at fault.
 */
export interface MaestroClient {
  validatePortConfig(req: PortRequest): Promise<{ violations: FieldViolation[] }>;
  getPort(req: { switchId: string; port: string }): Promise<PortState>;
  applyPortConfig(req: PortRequest): Promise<ApplyResult>;
  releasePort(req: { switchId: string; port: string }): Promise<ApplyResult>;
}

interface EngineErrorShape {
  code?: string;
  message?: string;
  violations?: FieldViolation[];
}

/** Turns an engine error into diagnostics: field violations on their attributes, the rest on the resource. */
export function reportEngineError(err: unknown, operation: string, diags: Diagnostics): void {
  const e = err as EngineErrorShape;
  const violations = e.violations ?? [];
  for (const v of violations) diags.error(`Invalid ${v.field}`, `${v.field}: ${v.reason}.`, [v.field]);
  if (violations.length === 0) diags.error(`Maestro engine: ${operation} failed`, e.message ?? String(err));
}
