// Diagnostics: how user errors travel back to terraform (never as thrown errors).

import type { Diagnostic, PathStep } from '../tfplugin6/protocol';

/** An attribute path as users think of it: `['allowed_vlans']`, `['timeouts', 'create']`, `['nics', 0]`. */
export type AttrPath = Array<string | number>;

export function toPathSteps(path: AttrPath): PathStep[] {
  return path.map((p) => (typeof p === 'number' ? { index: p } : { attribute: p }));
}

/** A growing list of diagnostics for one RPC. */
export class Diagnostics {
  readonly items: Diagnostic[] = [];

  error(summary: string, detail?: string, path?: AttrPath): void {
    this.items.push({ severity: 'error', summary, detail, attribute: path && toPathSteps(path) });
  }

  warning(summary: string, detail?: string, path?: AttrPath): void {
    this.items.push({ severity: 'warning', summary, detail, attribute: path && toPathSteps(path) });
  }

  append(other: Diagnostics): void {
    this.items.push(...other.items);
  }

  hasErrors(): boolean {
    return this.items.some((d) => d.severity === 'error');
  }
}
