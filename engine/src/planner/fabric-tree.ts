// The fabric links a trunk-stretched segment crosses: one loop-free tree joining the switches that need it.

import type { FabricLinkRecord } from '../store/allocation-store';
import { PlanError } from './operation';

/** The links a segment crosses and every switch they touch (the members' switches and those in between). */
export interface FabricTree {
  links: FabricLinkRecord[];
  switches: Set<string>;
}

/** One step along a link: to `peer`, leaving through `port`. */
interface Hop {
  peer: string;
  port: string;
  link: FabricLinkRecord;
}

/** Neighbours of every switch, in (peer id, port) order so ties break the same way every time. */
function adjacency(links: FabricLinkRecord[]): Map<string, Hop[]> {
  const adj = new Map<string, Hop[]>();
  const add = (from: string, hop: Hop) => adj.set(from, [...(adj.get(from) ?? []), hop]);
  for (const link of links) {
    add(link.a.switchId, { peer: link.b.switchId, port: link.a.port, link });
    add(link.b.switchId, { peer: link.a.switchId, port: link.b.port, link });
  }
  const byPeer = (x: Hop, y: Hop) => x.peer.localeCompare(y.peer) || x.port.localeCompare(y.port);
  for (const hops of adj.values()) hops.sort(byPeer);
  return adj;
}

/**
 * Breadth-first from the lowest switch id; each other switch joins by its
 * shortest path to that root. The union of those paths is a tree, so a VLAN
 * never runs over two parallel links (an L2 loop) and the same input always
 * gives the same tree. Throws PlanError naming a switch no link reaches.
 */
export function fabricTree(needing: string[], links: FabricLinkRecord[]): FabricTree {
  const [root, ...others] = [...new Set(needing)].sort();
  /** How BFS first reached each switch: the hop back towards the root. */
  const parent = new Map<string, Hop | null>([[root, null]]);
  const queue = [root];
  const adj = adjacency(links);
  while (queue.length > 0) {
    const at = queue.shift()!;
    for (const hop of adj.get(at) ?? []) {
      if (parent.has(hop.peer)) continue;
      parent.set(hop.peer, { peer: at, port: hop.port, link: hop.link });
      queue.push(hop.peer);
    }
  }
  const tree: FabricTree = { links: [], switches: new Set([root]) };
  for (const target of others) {
    if (!parent.has(target)) throw new PlanError(`no fabric link path joins ${target} to ${root}; add the cabling under fabric_links in inventory`);
    for (let at = target, hop = parent.get(at); hop; at = hop.peer, hop = parent.get(at)) {
      tree.switches.add(at);
      if (!tree.links.includes(hop.link)) tree.links.push(hop.link);
    }
  }
  return tree;
}
