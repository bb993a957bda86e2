// AppCluster: a tenancy (existing or created) and N server instances in it, with outputs; the CDKTF twin of examples/modules/app-cluster.

import { Construct } from 'constructs';
import { TerraformOutput, Token, type TerraformProvider } from 'cdktn';
import { DataMaestroTenancy } from '../maestro-provider/data-maestro-tenancy';
import { ServerInstance } from '../maestro-provider/server-instance';
import { Tenancy } from '../maestro-provider/tenancy';

/** Network of a tenancy the cluster creates; every field left unset is allocated by the engine from its segment pool. */
export interface AppClusterTenancySettings {
  /** IPv4 subnet, e.g. `10.64.3.0/24`. */
  readonly cidr?: string;
  /** VLAN id, 1..4094. */
  readonly vlanId?: number;
  /** VXLAN network identifier. */
  readonly vni?: number;
  /** MTU of the tenancy's ports (default 1500). */
  readonly mtu?: number;
  /** Free text; default `app cluster <name>`. */
  readonly description?: string;
}

/** What an AppCluster is made of. The same inputs as the Terraform module examples/modules/app-cluster, in camelCase. */
export interface AppClusterProps {
  /** Cluster name: the tenancy it creates (when `tenancy` is unset) and the hostname prefix (`<name>-1`, ...). 1-60 lowercase letters, digits and dashes, starting and ending with a letter or digit. */
  readonly name: string;
  /** Name of an existing tenancy (looked up with the maestro_tenancy data source). Unset: a tenancy named after the cluster is created. */
  readonly tenancy?: string;
  /** Network of the tenancy the cluster creates; only without `tenancy`. */
  readonly tenancySettings?: AppClusterTenancySettings;
  /** Number of instances, 1..64. Default 1. */
  readonly size?: number;
  /** Server profile the instances are allocated from. Default `lab` (the lab's servers). */
  readonly profile?: string;
  /** OS image name (under `images:` in the engine's inventory). Default `debian-12`. */
  readonly image?: string;
  /** OpenSSH public key lines authorized on every instance. Default none. */
  readonly sshAuthorizedKeys?: string[];
  /** User data: a shell script each instance runs once after its first boot. Default none. */
  readonly bootstrap?: string;
  /** Intended power state of every instance. Default `on`. */
  readonly powerState?: 'on' | 'off';
  /** The maestro provider to use, when the stack has more than one (aliases). */
  readonly provider?: TerraformProvider;
}

/** The tenancy the instances are in; values are Terraform references (tokens) resolved at apply. */
export interface AppClusterTenancy {
  readonly id: string;
  readonly name: string;
  readonly cidr: string;
  readonly vlanId: number;
  readonly gateway: string;
}

export const APP_CLUSTER_DEFAULTS = { size: 1, profile: 'lab', image: 'debian-12', powerState: 'on' } as const;

const NAME = /^[a-z0-9]([a-z0-9-]{0,58}[a-z0-9])?$/;
const TENANCY_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
const CATALOG_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
const SSH_KEY = /^(ssh-[a-z0-9]+|ecdsa-sha2-nistp(256|384|521)|sk-[a-z0-9@.-]+) [A-Za-z0-9+/]+={0,3}( [^\r\n]*)?$/;
const IPV4_CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** One rule per prop: null when the (known) value is fine, else why not. Values that are tokens are checked by terraform and the provider at plan. */
const RULES: { [K in keyof AppClusterProps]?: (value: NonNullable<AppClusterProps[K]>, props: AppClusterProps) => string | null } = {
  name: (v) => (NAME.test(v) ? null : 'must be 1-60 lowercase letters, digits and dashes, starting and ending with a letter or digit (it names the tenancy and prefixes the hostnames)'),
  tenancy: (v) => (TENANCY_NAME.test(v) ? null : 'must be the name of an existing tenancy: 1-63 lowercase letters, digits and dashes, starting with a letter or digit'),
  tenancySettings: (v, props) => {
    if (props.tenancy !== undefined && Object.values(v).some((f) => f !== undefined)) return 'only applies to a tenancy the cluster creates; leave it unset when `tenancy` names an existing one';
    if (v.cidr !== undefined && !Token.isUnresolved(v.cidr) && !isIpv4Cidr(v.cidr)) return `cidr must be an IPv4 subnet such as "10.64.3.0/24"`;
    if (v.vlanId !== undefined && !Token.isUnresolved(v.vlanId) && !isWhole(v.vlanId, 1, 4094)) return 'vlanId must be a whole number from 1 to 4094';
    return null;
  },
  size: (v) => (isWhole(v, 1, 64) ? null : 'must be a whole number from 1 to 64 (the number of servers in the cluster)'),
  profile: (v) => (CATALOG_NAME.test(v) ? null : 'must be the name of a server profile: letters, digits, dots, dashes and underscores, at most 63'),
  image: (v) => (CATALOG_NAME.test(v) ? null : 'must be the name of an image of the inventory: letters, digits, dots, dashes and underscores, at most 63'),
  sshAuthorizedKeys: (v) => {
    const bad = v.findIndex((k) => !Token.isUnresolved(k) && !SSH_KEY.test(k));
    return bad < 0 ? null : `[${bad}] must be one OpenSSH public key line (a key type such as ssh-ed25519, the base64 key, an optional comment, no newline)`;
  },
  powerState: (v) => (v === 'on' || v === 'off' ? null : 'must be "on" or "off"'),
};

function isWhole(n: number, min: number, max: number): boolean {
  return Number.isInteger(n) && n >= min && n <= max;
}

function isIpv4Cidr(text: string): boolean {
  const m = IPV4_CIDR.exec(text);
  return m !== null && m.slice(1, 5).every((o) => Number(o) <= 255) && Number(m[5]) <= 32;
}

/**
 * Checks every prop whose value is known now, so a bad one fails where the
 * stack is written (at synth) instead of at plan. Throws one Error listing
 * each bad prop by name with the reason and the value given.
 */
export function validateAppClusterProps(id: string, props: AppClusterProps): void {
  const problems: string[] = [];
  for (const [key, rule] of Object.entries(RULES) as Array<[keyof AppClusterProps, (v: unknown, p: AppClusterProps) => string | null]>) {
    const value = props[key];
    if (value === undefined || Token.isUnresolved(value)) continue;
    const why = rule(value, props);
    if (why) problems.push(`${key} ${why}; got ${JSON.stringify(value)}`);
  }
  if (problems.length > 0) throw new Error(`AppCluster "${id}": ${problems.join('; ')}`);
}

/** A name usable as a Terraform output name. */
const outputName = (id: string, what: string) => `${id.replace(/[^A-Za-z0-9_-]/g, '_')}_${what}`;

/**
 * A tenancy and `size` server instances in it, named `<name>-1` ... `<name>-N`;
 * the engine places them (spread over racks and leaves), installs the image and
 * puts their ports in the tenancy's VLAN. One line in a stack:
 * `new AppCluster(this, 'web', { name: 'web', size: 3 })`.
 * Outputs `<id>_addresses`, `<id>_instances` and `<id>_tenancy`, like the module's.
 */
export class AppCluster extends Construct {
  /** The tenancy (created, or the existing one looked up by name). */
  readonly tenancy: AppClusterTenancy;
  /** The instances, `<name>-1` first. */
  readonly instances: ServerInstance[];
  /** Each instance's tenancy address, in instance order. */
  readonly addresses: string[];
  readonly outputs: { addresses: TerraformOutput; instances: TerraformOutput; tenancy: TerraformOutput };

  constructor(scope: Construct, id: string, props: AppClusterProps) {
    super(scope, id);
    validateAppClusterProps(id, props);
    const { provider } = props;
    this.tenancy = props.tenancy === undefined ? this.createTenancy(props) : this.findTenancy(props.tenancy, provider);
    const size = props.size ?? APP_CLUSTER_DEFAULTS.size;
    this.instances = Array.from({ length: size }, (_, i) => new ServerInstance(this, `instance-${i + 1}`, {
      provider,
      tenancyId: this.tenancy.id,
      profile: props.profile ?? APP_CLUSTER_DEFAULTS.profile,
      image: props.image ?? APP_CLUSTER_DEFAULTS.image,
      hostname: `${props.name}-${i + 1}`,
      sshAuthorizedKeys: props.sshAuthorizedKeys,
      userData: props.bootstrap || undefined,
      powerState: props.powerState ?? APP_CLUSTER_DEFAULTS.powerState,
    }));
    this.addresses = this.instances.map((inst) => inst.ipAddress);
    const instances = Object.fromEntries(this.instances.map((inst) => [
      inst.id,
      { server_id: inst.serverId, ip_address: inst.ipAddress, hostname: inst.hostname, switch_ports: inst.switchPorts },
    ]));
    const { id: tenancyId, name, cidr, vlanId, gateway } = this.tenancy;
    this.outputs = {
      addresses: this.output(id, 'addresses', this.addresses, 'Tenancy IPv4 address of each instance, in hostname order.'),
      instances: this.output(id, 'instances', instances, 'Each instance by id: server, address, hostname, switch ports ("switch/port").'),
      tenancy: this.output(id, 'tenancy', { id: tenancyId, name, cidr, vlan_id: vlanId, gateway }, 'The tenancy the instances are in.'),
    };
  }

  private createTenancy(props: AppClusterProps): AppClusterTenancy {
    const s = props.tenancySettings ?? {};
    const t = new Tenancy(this, 'tenancy', {
      provider: props.provider,
      name: props.name,
      description: s.description || `app cluster ${props.name}`,
      cidr: s.cidr,
      vlanId: s.vlanId,
      vni: s.vni,
      mtu: s.mtu,
    });
    return { id: t.id, name: t.name, cidr: t.cidr, vlanId: t.vlanId, gateway: t.gateway };
  }

  private findTenancy(name: string, provider?: TerraformProvider): AppClusterTenancy {
    const t = new DataMaestroTenancy(this, 'tenancy', { provider, name });
    return { id: t.id, name: t.name, cidr: t.cidr, vlanId: t.vlanId, gateway: t.gateway };
  }

  private output(id: string, what: string, value: unknown, description: string): TerraformOutput {
    const out = new TerraformOutput(this, `output-${what}`, { value, description });
    out.overrideLogicalId(outputName(id, what));
    return out;
  }
}
