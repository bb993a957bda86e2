// Plan modifiers: per-attribute rules applied while planning an update.

/** Marks an attribute as forcing replacement, or keeping its prior value when unknown. */
export type PlanModifier = { kind: 'requires-replace' } | { kind: 'use-state-for-unknown' };

/** A change of this attribute destroys and re-creates the resource. */
export function requiresReplace(): PlanModifier {
  return { kind: 'requires-replace' };
}

/**
 * A computed attribute that does not change once set (an id, an allocated
 * address): plan the prior value instead of "(known after apply)" on updates.
 */
export function useStateForUnknown(): PlanModifier {
  return { kind: 'use-state-for-unknown' };
}

export function hasModifier(mods: PlanModifier[] | undefined, kind: PlanModifier['kind']): boolean {
  return (mods ?? []).some((m) => m.kind === kind);
}
