// planTenancyChanges: fabric extension across leaves, shrinking, shared links, VXLAN stretch, idempotence, drift, conflicts.

import { quarantineConfig } from '../../engine/src/domain/port-config';
import { planTenancyChanges, PlanError, type ObservedSwitch, type PlanInput, type TenancyIntent } from '../../engine/src/planner';
import { applyOps, freshObserved, input, leafSpine, PROVISIONING, QUARANTINE, summary, tenancy, trunk, UPLINK } from './planner-fixture';

const fabric = leafSpine(3);
const plan = (i: PlanInput) => planTenancyChanges(i).map(summary);

/** The switches after converging on `tenancies` from fresh ones. */
function converged(tenancies: TenancyIntent[], f = fabric): Map<string, ObservedSwitch> {
  const fresh = freshObserved(f);
  return applyOps(fresh, planTenancyChanges(input(f, fresh, tenancies)));
}

const t1 = (...members: [string, string][]) => tenancy('t1', 100, members);
const t2 = (...members: [string, string][]) => tenancy('t2', 200, members);

describe('fabric extension', () => {
  test('a member on a new leaf adds the VLAN to that leaf, the spine and both ends of each link on the path, before the member port', () => {
    const before = converged([t1(['leaf1', 'Ethernet1'])]);
    expect(plan(input(fabric, before, [t1(['leaf1', 'Ethernet1'], ['leaf2', 'Ethernet1'])]))).toEqual([
      'ensure_vlan leaf2 100',
      'ensure_vlan spine1 100',
      `configure_port leaf1/${UPLINK} [100,${PROVISIONING}]`,
      `configure_port leaf2/${UPLINK} [100,${PROVISIONING}]`,
      `configure_port spine1/Ethernet1 [100,${PROVISIONING}]`,
      `configure_port spine1/Ethernet2 [100,${PROVISIONING}]`,
      'configure_port leaf2/Ethernet1 100',
    ]);
  });

  test('reasons name the tenancy, the member and the fabric link', () => {
    const ops = planTenancyChanges(input(fabric, freshObserved(fabric), [t1(['leaf1', 'Ethernet1'], ['leaf2', 'Ethernet1'])]));
    const reason = (s: string) => ops.find((op) => summary(op).startsWith(s))!.reason;
    expect(reason('ensure_vlan leaf2')).toBe('tenancy t1 (VLAN 100) has a member here: leaf2/Ethernet1 (member "t1 leaf2 Ethernet1" of tenancy t1 (VLAN 100))');
    expect(reason('ensure_vlan spine1')).toBe('tenancy t1 (VLAN 100) crosses spine1 between leaf1 and leaf2');
    expect(reason('configure_port spine1/Ethernet2')).toBe(`fabric link to leaf2/${UPLINK} must carry tenancy t1 (VLAN 100): allowed_vlans ${PROVISIONING} -> 100,${PROVISIONING}`);
    expect(reason('configure_port leaf1/Ethernet1')).toMatch(/^member "t1 leaf1 Ethernet1" of tenancy t1 \(VLAN 100\): access_vlan 999 -> 100, mtu 1500 -> 9000, description/);
  });

  test('a second member on a leaf that already carries the tenancy adds only its port', () => {
    const before = converged([t1(['leaf1', 'Ethernet1'], ['leaf2', 'Ethernet1'])]);
    expect(plan(input(fabric, before, [t1(['leaf1', 'Ethernet1'], ['leaf2', 'Ethernet1'], ['leaf2', 'Ethernet2'])]))).toEqual(['configure_port leaf2/Ethernet2 100']);
  });

  test('a fabric port that is no trunk yet becomes one carrying the tenancy, at the tenancy MTU at least', () => {
    const observed = freshObserved(fabric);
    observed.get('spine1')!.ports.set('Ethernet2', quarantineConfig(QUARANTINE));
    const op = planTenancyChanges(input(fabric, observed, [t1(['leaf1', 'Ethernet1'], ['leaf2', 'Ethernet1'])])).find((o) => o.port === 'Ethernet2' && o.device === 'spine1');
    expect(op?.config).toEqual({ mode: 'trunk', accessVlan: null, allowedVlans: [100], nativeVlan: null, mtu: 9000, description: `fabric to leaf2/${UPLINK}`, adminState: 'up' });
  });
});

describe('shrinking', () => {
  const three = [t1(['leaf1', 'Ethernet1'], ['leaf2', 'Ethernet1'], ['leaf3', 'Ethernet1'])];
  const leaving = { switchId: 'leaf3', port: 'Ethernet1', config: quarantineConfig(QUARANTINE), why: 'leaving tenancy t1' };

  test('the last member leaving a leaf moves out first, then the link to it stops carrying the VLAN, then the leaf drops it; the spine keeps it', () => {
    const before = converged(three);
    expect(plan(input(fabric, before, [t1(['leaf1', 'Ethernet1'], ['leaf2', 'Ethernet1'])], { ports: [leaving] }))).toEqual([
      `configure_port leaf3/Ethernet1 ${QUARANTINE}`,
      `configure_port leaf3/${UPLINK} [${PROVISIONING}]`,
      `configure_port spine1/Ethernet3 [${PROVISIONING}]`,
      'remove_vlan leaf3 100',
    ]);
  });

  test('down to one leaf, every trunk on the path shrinks and the spine drops the VLAN too', () => {
    const before = converged([t1(['leaf1', 'Ethernet1'], ['leaf3', 'Ethernet1'])]);
    expect(plan(input(fabric, before, [t1(['leaf1', 'Ethernet1'])], { ports: [leaving] }))).toEqual([
      `configure_port leaf3/Ethernet1 ${QUARANTINE}`,
      `configure_port leaf1/${UPLINK} [${PROVISIONING}]`,
      `configure_port leaf3/${UPLINK} [${PROVISIONING}]`,
      `configure_port spine1/Ethernet1 [${PROVISIONING}]`,
      `configure_port spine1/Ethernet3 [${PROVISIONING}]`,
      'remove_vlan leaf3 100',
      'remove_vlan spine1 100',
    ]);
  });

  test('two tenancies sharing the fabric links keep each other\'s VLANs when one shrinks', () => {
    const before = converged([t1(['leaf1', 'Ethernet1'], ['leaf2', 'Ethernet1']), t2(['leaf1', 'Ethernet2'], ['leaf2', 'Ethernet2'])]);
    const out = { switchId: 'leaf2', port: 'Ethernet2', config: quarantineConfig(QUARANTINE), why: 'leaving tenancy t2' };
    expect(plan(input(fabric, before, [t1(['leaf1', 'Ethernet1'], ['leaf2', 'Ethernet1']), t2(['leaf1', 'Ethernet2'])], { ports: [out] }))).toEqual([
      `configure_port leaf2/Ethernet2 ${QUARANTINE}`,
      `configure_port leaf1/${UPLINK} [100,${PROVISIONING}]`,
      `configure_port leaf2/${UPLINK} [100,${PROVISIONING}]`,
      `configure_port spine1/Ethernet1 [100,${PROVISIONING}]`,
      `configure_port spine1/Ethernet2 [100,${PROVISIONING}]`,
      'remove_vlan leaf2 200',
      'remove_vlan spine1 200',
    ]);
  });

  test('a VLAN a port still uses after the plan (one nobody owns) stays on the switch', () => {
    const observed = converged([t1(['leaf1', 'Ethernet1'])]);
    observed.get('leaf1')!.ports.set('Ethernet3', { ...quarantineConfig(QUARANTINE), accessVlan: 100 });
    const out = { switchId: 'leaf1', port: 'Ethernet1', config: quarantineConfig(QUARANTINE), why: 'leaving tenancy t1' };
    expect(plan(input(fabric, observed, [t1()], { ports: [out] }))).toEqual([`configure_port leaf1/Ethernet1 ${QUARANTINE}`]);
  });

  test('VLANs no tenancy holds (quarantine, provisioning, a hand-made one) are left alone', () => {
    const observed = converged([t1(['leaf1', 'Ethernet1'])]);
    observed.get('spine1')!.vlans.push(300);
    expect(plan(input(fabric, observed, [t1(['leaf1', 'Ethernet1'])]))).toEqual([]);
  });
});

describe('VXLAN-stretched dialects', () => {
  const vx = leafSpine(2, 'vxlan');

  test('each leaf with a member gets the VLAN with the tenancy VNI; no trunk is edited and the spine gets nothing', () => {
    const observed = freshObserved(vx);
    for (const end of vx.links.flatMap((l) => [l.a, l.b])) observed.get(end.switchId)!.ports.set(end.port, quarantineConfig(QUARANTINE));
    expect(plan(input(vx, observed, [t1(['leaf1', 'Ethernet1'], ['leaf2', 'Ethernet1'])]))).toEqual([
      'ensure_vlan leaf1 100 vni 10100',
      'ensure_vlan leaf2 100 vni 10100',
      'configure_port leaf1/Ethernet1 100',
      'configure_port leaf2/Ethernet1 100',
    ]);
  });
});

describe('idempotence and drift', () => {
  const scenarios: [string, TenancyIntent[]][] = [
    ['one tenancy on one leaf', [t1(['leaf1', 'Ethernet1'])]],
    ['one tenancy on three leaves', [t1(['leaf1', 'Ethernet1'], ['leaf2', 'Ethernet1'], ['leaf3', 'Ethernet3'])]],
    ['two tenancies sharing links', [t1(['leaf1', 'Ethernet1'], ['leaf2', 'Ethernet1']), t2(['leaf2', 'Ethernet2'], ['leaf3', 'Ethernet2'])]],
    ['a tenancy without members', [t1()]],
  ];

  test.each(scenarios)('%s: once the plan ran, planning again gives nothing', (_name, tenancies) => {
    const first = planTenancyChanges(input(fabric, freshObserved(fabric), tenancies));
    expect(tenancies[0].members.length === 0 || first.length > 0).toBe(true);
    expect(planTenancyChanges(input(fabric, converged(tenancies), tenancies))).toEqual([]);
  });

  const members = [t1(['leaf1', 'Ethernet1'], ['leaf2', 'Ethernet1'])];
  test.each([
    ['a member port whose description was changed by hand', 'leaf2', 'Ethernet1', { description: 'oops' }, 'description "oops" -> "t1 leaf2 Ethernet1"'],
    ['a member port shut down by hand', 'leaf1', 'Ethernet1', { adminState: 'down' as const }, 'admin_state down -> up'],
    ['a spine downlink that lost the tenancy VLAN', 'spine1', 'Ethernet2', { allowedVlans: [PROVISIONING] }, `allowed_vlans ${PROVISIONING} -> 100,${PROVISIONING}`],
  ])('%s gets exactly one configure_port, saying what differs', (_name, device, port, drift, diff) => {
    const observed = converged(members);
    const sw = observed.get(device)!;
    sw.ports.set(port, { ...sw.ports.get(port)!, ...drift });
    const ops = planTenancyChanges(input(fabric, observed, members));
    expect(ops).toHaveLength(1);
    expect(ops[0]).toMatchObject({ device, kind: 'configure_port', port, config: converged(members).get(device)!.ports.get(port) });
    expect(ops[0].reason).toContain(diff);
  });

  test('a VLAN deleted by hand from a leaf is ensured again, and nothing else', () => {
    const observed = converged(members);
    observed.get('leaf2')!.vlans = observed.get('leaf2')!.vlans.filter((v) => v !== 100);
    expect(plan(input(fabric, observed, members))).toEqual(['ensure_vlan leaf2 100']);
  });

  test('focused on one tenancy, another tenancy\'s drift is not shown', () => {
    const both = [...members, t2(['leaf3', 'Ethernet2'])];
    const observed = converged(both);
    observed.get('leaf3')!.ports.set('Ethernet2', quarantineConfig(QUARANTINE));
    expect(plan(input(fabric, observed, both, { focusTenancyId: 't1' }))).toEqual([]);
    expect(plan(input(fabric, observed, both, { focusTenancyId: 't2' }))).toEqual(['configure_port leaf3/Ethernet2 200']);
  });
});

describe('intent the planner refuses', () => {
  const isolated = { ...fabric, switches: [...fabric.switches, { id: 'leaf9', role: 'leaf' as const, stretch: 'trunk' as const }] };
  const observed = freshObserved(isolated);
  const cases: [string, PlanInput, string][] = [
    ['a port wanted two ways', input(fabric, freshObserved(fabric), [t1(['leaf1', 'Ethernet1']), t2(['leaf1', 'Ethernet1'])]),
      'leaf1/Ethernet1 is wanted two ways: member "t1 leaf1 Ethernet1" of tenancy t1 (VLAN 100), and member "t2 leaf1 Ethernet1" of tenancy t2 (VLAN 200)'],
    ['a member on a fabric link end', input(fabric, freshObserved(fabric), [t1(['leaf1', UPLINK])]),
      `leaf1/${UPLINK} is a fabric link end (inventory fabric_links), so it cannot be member "t1 leaf1 ${UPLINK}" of tenancy t1 (VLAN 100)`],
    ['members on leaves no link joins', input(isolated, observed, [t1(['leaf1', 'Ethernet1'], ['leaf9', 'Ethernet1'])]),
      'no fabric link path joins leaf9 to leaf1; add the cabling under fabric_links in inventory'],
    ['a switch that was not read', input(fabric, new Map([...freshObserved(fabric)].filter(([id]) => id !== 'leaf2')), [t1(['leaf2', 'Ethernet1'])]),
      'switch leaf2 was not read, so nothing can be planned on it'],
    ['a member on a switch not in inventory', input(fabric, freshObserved(fabric), [t1(['leaf7', 'Ethernet1'])]), 'switch "leaf7" is not in inventory'],
    ['a focus on an unknown tenancy', input(fabric, freshObserved(fabric), [t1()], { focusTenancyId: 't5' }), 'tenancy "t5" is not part of the intent'],
  ];
  test.each(cases)('%s is a PlanError saying what to fix', (_name, i, message) => {
    const err = (() => { try { planTenancyChanges(i); } catch (e) { return e; } })();
    expect(err).toBeInstanceOf(PlanError);
    expect((err as Error).message).toBe(message);
  });
});
