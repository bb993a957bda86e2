// Tenant isolation on the wire: every instance host pings every other one's tenancy address from inside its namespace.

import { run } from './run';

/** An instance as the check needs it: where it lives in the lab and its tenancy address. */
export interface ReachHost {
  instanceId: string;
  hostname: string;
  tenancyId: string;
  /** The lab server's namespace. */
  netns: string;
  address: string;
}

export interface ReachResult {
  from: ReachHost;
  to: ReachHost;
  /** Same tenancy: should answer. */
  expected: boolean;
  reached: boolean;
}

/** One ICMP echo from `netns` to `address`, 1 s to answer. */
export async function pings(netns: string, address: string): Promise<boolean> {
  try {
    await run('ip', ['netns', 'exec', netns, 'ping', '-c', '1', '-W', '1', '-q', address]);
    return true;
  } catch {
    return false;
  }
}

/** Like `pings`, with a few tries: ARP and the VXLAN forwarding entries are learnt from the first packets. */
export async function reaches(netns: string, address: string, tries = 3): Promise<boolean> {
  for (let i = 0; i < tries; i++) if (await pings(netns, address)) return true;
  return false;
}

/**
 * Pings every ordered pair of hosts (each from its own namespace, to the
 * other's tenancy address, only ever an address the lab's own links carry);
 * a pair in one tenancy is expected to answer, any other not.
 */
export async function reachability(hosts: ReachHost[]): Promise<ReachResult[]> {
  const pairs = hosts.flatMap((from) => hosts.filter((to) => to !== from).map((to) => ({ from, to })));
  return Promise.all(pairs.map(async ({ from, to }) => ({ from, to, expected: from.tenancyId === to.tenancyId, reached: await reaches(from.netns, to.address) })));
}

/** One line per pair: `web-1 -> web-2 (198.19.0.3): reached, as expected`. */
export function reachLines(results: ReachResult[]): string[] {
  return results.map(({ from, to, expected, reached }) => {
    const verdict = reached === expected ? 'as expected' : expected ? 'UNEXPECTED: same tenancy' : 'UNEXPECTED: another tenancy';
    return `${from.hostname} -> ${to.hostname} (${to.address}): ${reached ? 'reached' : 'no answer'}, ${verdict}`;
  });
}
