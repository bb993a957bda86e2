// The checked-in CDKTF bindings synthesize the Terraform JSON the maestro provider expects.

import { TerraformStack, Testing } from 'cdktn';
import { MaestroProvider } from '../../cdktf/maestro-provider/provider';
import { SwitchPort } from '../../cdktf/maestro-provider/switch-port';
import { DataMaestroSwitch } from '../../cdktf/maestro-provider/data-maestro-switch';

interface SynthesizedJson {
  terraform: { required_providers: Record<string, { source: string }> };
  provider: Record<string, unknown[]>;
  resource: Record<string, Record<string, Record<string, unknown>>>;
  data: Record<string, Record<string, Record<string, unknown>>>;
}

function synth(build: (stack: TerraformStack) => void): SynthesizedJson {
  // Testing.app() writes into a fresh temp directory, never into the checkout.
  const stack = new TerraformStack(Testing.app(), 'maestro');
  new MaestroProvider(stack, 'maestro', { endpoint: '127.0.0.1:7443', caCertFile: '/etc/maestro/ca.pem' });
  build(stack);
  return JSON.parse(Testing.synth(stack)) as SynthesizedJson;
}

describe('cdktf bindings for the maestro provider', () => {
  test('the provider block and its source come from the schema', () => {
    const json = synth(() => undefined);
    expect(json.terraform.required_providers.maestro).toEqual({ source: 'registry.terraform.io/maestro/maestro' });
    expect(json.provider.maestro).toEqual([{ endpoint: '127.0.0.1:7443', ca_cert_file: '/etc/maestro/ca.pem' }]);
  });

  test.each([
    {
      name: 'an access port',
      config: { switch: 'leaf1', port: 'Ethernet3', accessVlan: 210, description: 'web-1 nic0', timeouts: { create: '2m' } },
      expected: { switch: 'leaf1', port: 'Ethernet3', access_vlan: 210, description: 'web-1 nic0', timeouts: { create: '2m' } },
    },
    {
      name: 'a trunk port',
      config: { switch: 'leaf2', port: 'Ethernet49/1', mode: 'trunk', allowedVlans: [210, 211], nativeVlan: 1, mtu: 9000, adminState: 'down' },
      expected: { switch: 'leaf2', port: 'Ethernet49/1', mode: 'trunk', allowed_vlans: [210, 211], native_vlan: 1, mtu: 9000, admin_state: 'down' },
    },
  ])('$name synthesizes maestro_switch_port with snake_case attributes', ({ config, expected }) => {
    const json = synth((stack) => new SwitchPort(stack, 'port', config));
    expect(json.resource.maestro_switch_port.port).toEqual(expected);
  });

  test('a data source result feeds a resource as a terraform reference', () => {
    const json = synth((stack) => {
      const leaf = new DataMaestroSwitch(stack, 'leaf', { id: 'leaf1' });
      new SwitchPort(stack, 'port', { switch: leaf.id, port: 'Ethernet3', accessVlan: 210 });
    });
    expect(json.data.maestro_switch.leaf).toEqual({ id: 'leaf1' });
    expect(json.resource.maestro_switch_port.port.switch).toBe('${data.maestro_switch.leaf.id}');
  });
});
