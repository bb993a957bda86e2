// The AppCluster construct synthesizes a tenancy (created or looked up), N maestro_server_instance resources and the module's outputs, and refuses bad props at construct time naming the prop.

import { TerraformStack, TerraformVariable, Testing } from 'cdktn';
import { AppCluster, type AppClusterProps } from '../../cdktf/constructs';
import { MaestroProvider } from '../../cdktf/maestro-provider/provider';

type Block = Record<string, Record<string, Record<string, unknown>>>;
interface SynthesizedJson {
  resource: Block;
  data?: Block;
  output: Record<string, { value: unknown; description?: string }>;
}

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHlTBDqEA2LJMnCqpo2Mp5YpU5Wf6XYm7ddl6Vmw3FEO ops@example';

function synth(build: (stack: TerraformStack) => void): SynthesizedJson {
  // Testing.app() writes into a fresh temp directory, never into the checkout.
  const stack = new TerraformStack(Testing.app(), 'apps');
  new MaestroProvider(stack, 'maestro', {});
  build(stack);
  return JSON.parse(Testing.synth(stack)) as SynthesizedJson;
}

const instancesOf = (json: SynthesizedJson) => Object.values(json.resource.maestro_server_instance ?? {});
const ref = (expr: string) => `\${${expr}}`;

describe('AppCluster', () => {
  test('one line makes a tenancy named after the cluster and `size` instances in it, with defaults', () => {
    const json = synth((stack) => new AppCluster(stack, 'web', { name: 'web', size: 3 }));
    const [tenancyKey, ...others] = Object.keys(json.resource.maestro_tenancy);
    expect(others).toEqual([]);
    expect(json.resource.maestro_tenancy[tenancyKey]).toEqual({ name: 'web', description: 'app cluster web' });
    expect(json.data).toBeUndefined();
    expect(instancesOf(json)).toEqual([1, 2, 3].map((n) => ({
      tenancy_id: ref(`maestro_tenancy.${tenancyKey}.id`),
      profile: 'lab',
      image: 'debian-12',
      hostname: `web-${n}`,
      power_state: 'on',
    })));
  });

  test('size defaults to 1', () => {
    const json = synth((stack) => new AppCluster(stack, 'api', { name: 'api' }));
    expect(instancesOf(json)).toHaveLength(1);
  });

  test('outputs: addresses, instances by id, tenancy', () => {
    const json = synth((stack) => new AppCluster(stack, 'web', { name: 'web', size: 2 }));
    const [t] = Object.keys(json.resource.maestro_tenancy);
    const [i1, i2] = Object.keys(json.resource.maestro_server_instance).map((k) => `maestro_server_instance.${k}`);
    expect(Object.keys(json.output).sort()).toEqual(['web_addresses', 'web_instances', 'web_tenancy']);
    expect(json.output.web_addresses.value).toEqual([ref(`${i1}.ip_address`), ref(`${i2}.ip_address`)]);
    expect(json.output.web_instances.value).toEqual(Object.fromEntries([i1, i2].map((i) => [
      ref(`${i}.id`),
      { server_id: ref(`${i}.server_id`), ip_address: ref(`${i}.ip_address`), hostname: ref(`${i}.hostname`), switch_ports: ref(`${i}.switch_ports`) },
    ])));
    expect(json.output.web_tenancy.value).toEqual({
      id: ref(`maestro_tenancy.${t}.id`),
      name: ref(`maestro_tenancy.${t}.name`),
      cidr: ref(`maestro_tenancy.${t}.cidr`),
      vlan_id: ref(`maestro_tenancy.${t}.vlan_id`),
      gateway: ref(`maestro_tenancy.${t}.gateway`),
    });
  });

  test('an existing tenancy is looked up by name with the data source; no tenancy is created', () => {
    const json = synth((stack) => new AppCluster(stack, 'api', { name: 'api', tenancy: 'shared', size: 2 }));
    expect(json.resource.maestro_tenancy).toBeUndefined();
    const [key] = Object.keys(json.data!.maestro_tenancy);
    expect(json.data!.maestro_tenancy[key]).toEqual({ name: 'shared' });
    for (const inst of instancesOf(json)) expect(inst.tenancy_id).toBe(ref(`data.maestro_tenancy.${key}.id`));
    expect(json.output.api_tenancy.value).toMatchObject({ id: ref(`data.maestro_tenancy.${key}.id`), gateway: ref(`data.maestro_tenancy.${key}.gateway`) });
  });

  test('every input reaches the resources', () => {
    const json = synth((stack) => new AppCluster(stack, 'db', {
      name: 'db',
      size: 2,
      profile: 'storage',
      image: 'rocky-9',
      sshAuthorizedKeys: [KEY],
      bootstrap: '#!/bin/sh\necho hi\n',
      powerState: 'off',
      tenancySettings: { cidr: '10.64.9.0/24', vlanId: 150, vni: 10150, mtu: 9000, description: 'databases' },
    }));
    expect(Object.values(json.resource.maestro_tenancy)).toEqual([{ name: 'db', description: 'databases', cidr: '10.64.9.0/24', vlan_id: 150, vni: 10150, mtu: 9000 }]);
    expect(instancesOf(json)[1]).toMatchObject({
      profile: 'storage',
      image: 'rocky-9',
      hostname: 'db-2',
      ssh_authorized_keys: [KEY],
      user_data: '#!/bin/sh\necho hi\n',
      power_state: 'off',
    });
  });

  test('two clusters in one stack keep their resources and outputs apart', () => {
    const json = synth((stack) => {
      const web = new AppCluster(stack, 'web', { name: 'web', size: 2 });
      new AppCluster(stack, 'cache', { name: 'cache', tenancy: 'web', size: 1 }).node.addDependency(web);
    });
    expect(instancesOf(json).map((i) => i.hostname).sort()).toEqual(['cache-1', 'web-1', 'web-2']);
    expect(Object.keys(json.output).sort()).toEqual(['cache_addresses', 'cache_instances', 'cache_tenancy', 'web_addresses', 'web_instances', 'web_tenancy']);
  });

  test('props that are terraform references are passed through unchecked', () => {
    const json = synth((stack) => {
      const size = new TerraformVariable(stack, 'image', { type: 'string' });
      new AppCluster(stack, 'web', { name: 'web', image: size.stringValue });
    });
    expect(instancesOf(json)[0].image).toBe(ref('var.image'));
  });

  test.each<{ name: string; props: AppClusterProps; error: RegExp }>([
    { name: 'size 0', props: { name: 'web', size: 0 }, error: /AppCluster "c": size must be a whole number from 1 to 64 .*; got 0/ },
    { name: 'size 65', props: { name: 'web', size: 65 }, error: /size must be a whole number from 1 to 64 .*; got 65/ },
    { name: 'size 2.5', props: { name: 'web', size: 2.5 }, error: /size must be a whole number .*; got 2.5/ },
    { name: 'an upper-case name', props: { name: 'Web' }, error: /name must be 1-60 lowercase letters, digits and dashes.*; got "Web"/ },
    { name: 'a name ending in a dash', props: { name: 'web-' }, error: /name must be .*; got "web-"/ },
    { name: 'a 61-character name', props: { name: 'a'.repeat(61) }, error: /name must be 1-60/ },
    { name: 'a bad tenancy name', props: { name: 'web', tenancy: 'Shared Net' }, error: /tenancy must be the name of an existing tenancy.*; got "Shared Net"/ },
    { name: 'tenancy settings with an existing tenancy', props: { name: 'web', tenancy: 'shared', tenancySettings: { cidr: '10.64.1.0/24' } }, error: /tenancySettings only applies to a tenancy the cluster creates/ },
    { name: 'a bad cidr', props: { name: 'web', tenancySettings: { cidr: '10.64.1.0/33' } }, error: /tenancySettings cidr must be an IPv4 subnet/ },
    { name: 'VLAN 4095', props: { name: 'web', tenancySettings: { vlanId: 4095 } }, error: /tenancySettings vlanId must be a whole number from 1 to 4094/ },
    { name: 'an empty profile', props: { name: 'web', profile: '' }, error: /profile must be the name of a server profile.*; got ""/ },
    { name: 'an image with a space', props: { name: 'web', image: 'debian 12' }, error: /image must be the name of an image.*; got "debian 12"/ },
    { name: 'a key with a newline', props: { name: 'web', sshAuthorizedKeys: [KEY, `${KEY}\nssh-rsa AAAA`] }, error: /sshAuthorizedKeys \[1\] must be one OpenSSH public key line/ },
    { name: 'a private key', props: { name: 'web', sshAuthorizedKeys: ['-----BEGIN OPENSSH PRIVATE KEY-----'] }, error: /sshAuthorizedKeys \[0\] must be one OpenSSH public key line/ },
    { name: 'power state "reboot"', props: { name: 'web', powerState: 'reboot' as 'on' }, error: /powerState must be "on" or "off"; got "reboot"/ },
  ])('$name is refused at construct time, naming the prop', ({ props, error }) => {
    const stack = new TerraformStack(Testing.app(), 'apps');
    expect(() => new AppCluster(stack, 'c', props)).toThrow(error);
  });

  test('every bad prop is listed in one error', () => {
    const stack = new TerraformStack(Testing.app(), 'apps');
    expect(() => new AppCluster(stack, 'c', { name: 'Web', size: 100, powerState: 'up' as 'on' })).toThrow(/name must .*; size must .*; powerState must/);
  });
});
