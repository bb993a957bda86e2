// The doctor's public API: run it, and the shape of what it reports.

export { runDoctor, type ReadSwitch } from './run-doctor';
export { findOrphans, type DoctorSnapshot, type ObservedSwitch } from './orphan-rules';
export type { DoctorReport, Finding, FindingKind } from './finding';
