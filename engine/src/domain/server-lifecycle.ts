// The server lifecycle state machine: which state changes are allowed, why, and what evidence they need.

/** Where a server is in its life; DESIGN.md's lifecycle. */
export type ServerState = 'available' | 'allocated' | 'provisioning' | 'active' | 'cleaning' | 'failed' | 'maintenance';

export const SERVER_STATES: readonly ServerState[] = ['available', 'allocated', 'provisioning', 'active', 'cleaning', 'failed', 'maintenance'];

/** What is known about the server when it changes state. */
export interface TransitionFacts {
  /** A clean (disk erase, BMC reset) just finished successfully. */
  cleaned: boolean;
  /** The server was allocated since its last successful clean. */
  needsCleaning: boolean;
}

/** Every allowed change, with what it means. Anything absent is forbidden. */
const ALLOWED: Record<ServerState, Partial<Record<ServerState, string>>> = {
  available: { allocated: 'allocated to an owner', cleaning: 'sent to cleaning by an operator', maintenance: 'taken out of service by an operator' },
  allocated: { provisioning: 'provisioning started', cleaning: 'released before provisioning', failed: 'found broken after allocation' },
  provisioning: { active: 'provisioned', cleaning: 'provisioning aborted or released', failed: 'provisioning failed' },
  active: { cleaning: 'released by its owner', failed: 'hardware or OS failure' },
  cleaning: { available: 'cleaned successfully', maintenance: 'cleaning failed', failed: 'cleaning failed irrecoverably' },
  failed: { cleaning: 'cleaning retried', maintenance: 'taken over by an operator' },
  maintenance: { cleaning: 'returned to service (cleaned first)', available: 'returned to service without ever being used', failed: 'declared broken' },
};

/** What `from -> to` means, or undefined when the lifecycle never allows it. */
export const transitionMeaning = (from: ServerState, to: ServerState): string | undefined => ALLOWED[from][to];

/**
 * Why `from -> to` is refused, or null when it is allowed given `facts`.
 * Entering `available` needs evidence: from cleaning a successful clean, from
 * maintenance a server that has not been used since its last clean. So a
 * server whose cleaning failed never becomes available.
 */
export function transitionRefusal(from: ServerState, to: ServerState, facts: TransitionFacts): string | null {
  if (!transitionMeaning(from, to)) {
    const allowed = Object.keys(ALLOWED[from]).join(', ');
    return `a server cannot go from ${from} to ${to} (from ${from} it may go to: ${allowed})`;
  }
  if (to !== 'available') return null;
  if (from === 'cleaning' && !facts.cleaned) return 'a server leaves cleaning for available only after a successful clean';
  if (from === 'maintenance' && facts.needsCleaning) return 'the server was used since its last clean; send it through cleaning first';
  return null;
}
