// Unit: which steps the instance job kinds run for an input, and the inputs they refuse (naming the field).

import { instanceCreateKind, type InstanceCreateInput } from '../../engine/src/workflow/instance-create';
import { instanceDeleteKind, type InstanceDeleteInput } from '../../engine/src/workflow/instance-delete';
import { instanceUpdateKind, type InstanceUpdateInput, type InstanceUpdateValues } from '../../engine/src/workflow/instance-update';
import { jobKinds } from '../../engine/src/workflow/runtime';

const names = (steps: { name: string }[]) => steps.map((s) => s.name);

const create: InstanceCreateInput = {
  instanceId: 'in-000000000001', profile: 'general', tenancyId: 'tn-a', tenancyVlan: 100,
  image: { name: 'debian-12', url: 'https://images.example/debian-12.iso', installTimeoutS: 900 },
  sshAuthorizedKeys: [], userData: '', powerState: 'on',
};

test('the instance kinds are registered with the engine', () => {
  expect(jobKinds.map((k) => k.kind)).toEqual(expect.arrayContaining(['instance.create', 'instance.update', 'instance.delete']));
});

test('instance.create runs every step, each but the last three with an undo', () => {
  const steps = instanceCreateKind.steps(instanceCreateKind.parse(create));
  expect(names(steps)).toEqual(['allocate-server', 'allocate-ip', 'ports-provisioning', 'install', 'ports-tenancy', 'disk-boot', 'os-configure', 'power-state', 'mark-active']);
  expect(steps.filter((s) => s.undo).map((s) => s.name)).toEqual(['allocate-server', 'allocate-ip', 'ports-provisioning', 'install', 'ports-tenancy', 'disk-boot']);
});

describe('inputs a kind refuses name the field', () => {
  test.each([
    ['create without an image', instanceCreateKind, { ...create, image: undefined }, 'image'],
    ['create with a zero install timeout', instanceCreateKind, { ...create, image: { ...create.image, installTimeoutS: 0 } }, 'installTimeoutS'],
    ['create with an unknown power state', instanceCreateKind, { ...create, powerState: 'standby' }, 'powerState'],
    ['create with VLAN 5000', instanceCreateKind, { ...create, tenancyVlan: 5000 }, 'tenancyVlan'],
    ['update without intended values', instanceUpdateKind, { instanceId: 'in-1', serverId: 'srv-1', from: {} }, 'to'],
    ['delete without the erase choice', instanceDeleteKind, { instanceId: 'in-1', serverId: 'srv-1' }, 'secureEraseOnDelete'],
  ] as const)('%s', (_case, kind, input, field) => {
    expect(() => (kind.parse as (raw: unknown) => unknown)(input)).toThrow(field);
  });
});

const values: InstanceUpdateValues = { tenancyId: 'tn-a', tenancyVlan: 100, powerState: 'on', hostname: 'web-01', sshAuthorizedKeys: ['ssh-ed25519 AAAA a'], secureEraseOnDelete: true };
const update = (to: Partial<InstanceUpdateValues>, from: Partial<InstanceUpdateValues> = {}): InstanceUpdateInput => ({
  instanceId: 'in-1', serverId: 'srv-1', from: { ...values, ...from, ipAddress: '10.64.0.2' }, to: { ...values, ...from, ...to },
});

test.each([
  ['nothing but the erase choice changes', update({ secureEraseOnDelete: false }), ['mark-updating', 'power-on', 'record']],
  ['power off', update({ powerState: 'off' }), ['mark-updating', 'power-state', 'record']],
  ['power on again', update({ powerState: 'on' }, { powerState: 'off' }), ['mark-updating', 'power-on', 'record']],
  ['hostname while off stays off after', update({ hostname: 'web-02' }, { powerState: 'off' }), ['mark-updating', 'power-on', 'os-configure', 'power-state', 'record']],
  ['new keys', update({ sshAuthorizedKeys: [] }), ['mark-updating', 'power-on', 'os-configure', 'record']],
  ['tenancy move', update({ tenancyId: 'tn-b', tenancyVlan: 101 }),
    ['mark-updating', 'power-on', 'allocate-ip', 'ports-tenancy', 'os-readdress', 'release-old-ip', 'record']],
  ['tenancy move, hostname and power off', update({ tenancyId: 'tn-b', tenancyVlan: 101, hostname: 'db-01', powerState: 'off' }),
    ['mark-updating', 'power-on', 'allocate-ip', 'ports-tenancy', 'os-readdress', 'release-old-ip', 'os-configure', 'power-state', 'record']],
])('instance.update steps: %s', (_case, input, expected) => {
  expect(names(instanceUpdateKind.steps(instanceUpdateKind.parse(input)))).toEqual(expected);
});

test.each([
  ['with secure erase', { instanceId: 'in-1', serverId: 'srv-1', secureEraseOnDelete: true },
    ['mark-deleting', 'power-off', 'secure-erase', 'eject-media', 'ports-quarantine', 'release-ip', 'release-server', 'delete-record']],
  ['without secure erase', { instanceId: 'in-1', serverId: 'srv-1', secureEraseOnDelete: false },
    ['mark-deleting', 'power-off', 'eject-media', 'ports-quarantine', 'release-ip', 'release-server', 'delete-record']],
  ['that never got a server', { instanceId: 'in-1', serverId: null, secureEraseOnDelete: true }, ['mark-deleting', 'release-ip', 'delete-record']],
] as Array<[string, InstanceDeleteInput, string[]]>)('instance.delete steps %s', (_case, input, expected) => {
  const steps = instanceDeleteKind.steps(instanceDeleteKind.parse(input));
  expect(names(steps)).toEqual(expected);
  expect(steps.filter((s) => s.undo).map((s) => s.name)).toEqual(['mark-deleting']);
});
