// fabricTree: the loop-free set of fabric links a trunked segment crosses.

import { fabricTree } from '../../engine/src/planner';
import type { FabricLinkRecord } from '../../engine/src/store/allocation-store';

const link = (a: string, ap: string, b: string, bp: string): FabricLinkRecord => ({ a: { switchId: a, port: ap }, b: { switchId: b, port: bp } });
/** Two leaves each cabled to two spines, plus a direct leaf-leaf link between leaf3 and leaf4. */
const links = [
  link('leaf1', 'Ethernet49', 'spine1', 'Ethernet1'), link('leaf1', 'Ethernet50', 'spine2', 'Ethernet1'),
  link('leaf2', 'Ethernet49', 'spine1', 'Ethernet2'), link('leaf2', 'Ethernet50', 'spine2', 'Ethernet2'),
  link('leaf3', 'Ethernet49', 'spine2', 'Ethernet3'), link('leaf3', 'Ethernet51', 'leaf4', 'Ethernet51'),
];
const ends = (l: FabricLinkRecord) => `${l.a.switchId}/${l.a.port}-${l.b.switchId}/${l.b.port}`;

test.each([
  ['two leaves under two spines use one spine only (no L2 loop), the lowest id', ['leaf2', 'leaf1'],
    ['leaf1/Ethernet49-spine1/Ethernet1', 'leaf2/Ethernet49-spine1/Ethernet2'], ['leaf1', 'leaf2', 'spine1']],
  ['a leaf-leaf link is used directly', ['leaf3', 'leaf4'], ['leaf3/Ethernet51-leaf4/Ethernet51'], ['leaf3', 'leaf4']],
  ['a path may cross a spine and another leaf', ['leaf1', 'leaf4'],
    ['leaf3/Ethernet51-leaf4/Ethernet51', 'leaf3/Ethernet49-spine2/Ethernet3', 'leaf1/Ethernet50-spine2/Ethernet1'], ['leaf1', 'leaf3', 'leaf4', 'spine2']],
  ['one switch needs no link', ['leaf2'], [], ['leaf2']],
])('%s', (_name, needing, expectedLinks, expectedSwitches) => {
  const tree = fabricTree(needing, links);
  expect(tree.links.map(ends).sort()).toEqual([...expectedLinks].sort());
  expect([...tree.switches].sort()).toEqual(expectedSwitches);
});

test('a switch no link reaches is an error naming it', () => {
  expect(() => fabricTree(['leaf1', 'leaf8'], links)).toThrow('no fabric link path joins leaf8 to leaf1; add the cabling under fabric_links in inventory');
});
