// examples/cdktf: an app team's stack in TypeScript: a "web" AppCluster in one line, and a "db" tenancy with one instance written with the bindings directly.
//
// Synthesize: `bash examples/cdktf/synth.sh` (or `cdktn synth` in this directory), then terraform init/apply in cdktf.out/stacks/apps.

import { App, LocalBackend, TerraformOutput, TerraformStack, TerraformVariable } from 'cdktn';
import type { Construct } from 'constructs';
import { AppCluster } from '../../cdktf/constructs';
import { MaestroProvider } from '../../cdktf/maestro-provider/provider';
import { ServerInstance } from '../../cdktf/maestro-provider/server-instance';
import { Tenancy } from '../../cdktf/maestro-provider/tenancy';

/** The stack's name: its Terraform JSON is `<outdir>/stacks/apps/cdk.tf.json`. */
export const STACK = 'apps';

export class AppsStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    // endpoint, token file and CA come from MAESTRO_ENDPOINT, MAESTRO_TOKEN_FILE, MAESTRO_CA_CERT_FILE.
    new MaestroProvider(this, 'maestro', {});
    this.addOverride('terraform.required_providers.maestro.version', '0.1.0'); // the bindings pin no version
    // State next to cdk.tf.json (cdktn's default is an absolute path under the directory synth ran in).
    new LocalBackend(this, { path: 'terraform.apps.tfstate' });
    const keys = new TerraformVariable(this, 'ssh_authorized_keys', {
      type: 'list(string)',
      default: [],
      description: 'OpenSSH public key lines authorized on every instance.',
    });

    // The one line: a tenancy "web" and two instances web-1, web-2 in it; outputs web_addresses, web_instances, web_tenancy.
    new AppCluster(this, 'web', { name: 'web', size: 2, sshAuthorizedKeys: keys.listValue });

    // The same building blocks by hand, with the generated bindings.
    const db = new Tenancy(this, 'db-tenancy', { name: 'db', description: 'database tier' });
    const db1 = new ServerInstance(this, 'db-1', {
      tenancyId: db.id,
      profile: 'lab',
      image: 'debian-12',
      hostname: 'db-1',
      sshAuthorizedKeys: keys.listValue,
      timeouts: { create: '20m' },
    });
    new TerraformOutput(this, 'db', {
      staticId: true,
      description: 'The db instance: address, server and switch ports.',
      value: { ip_address: db1.ipAddress, server_id: db1.serverId, switch_ports: db1.switchPorts, gateway: db.gateway },
    });
  }
}

/** Synthesizes the stack into `outdir` (default: CDKTF_OUTDIR, as `cdktn synth` sets it, else ./cdktf.out) and returns the stack's directory. */
export function synthesize(outdir?: string): string {
  const app = new App(outdir === undefined ? {} : { outdir });
  new AppsStack(app, STACK);
  app.synth();
  return `${app.outdir}/stacks/${STACK}`;
}

if (require.main === module) process.stdout.write(`Synthesized ${synthesize()}/cdk.tf.json\n`);
