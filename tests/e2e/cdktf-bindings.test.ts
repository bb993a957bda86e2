// E2E: the checked-in CDKTF bindings are what the generator makes from the schema terraform reads from the built provider (dist/).

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { App, TerraformStack } from 'cdktn';
import { MaestroProvider } from '../../cdktf/maestro-provider/provider';
import { SwitchPort } from '../../cdktf/maestro-provider/switch-port';
import { DataMaestroSwitch } from '../../cdktf/maestro-provider/data-maestro-switch';
import {
  BINDINGS_DIR,
  createSandbox,
  diffTrees,
  generateBindings,
  readProviderSchema,
  REGENERATE_COMMAND,
  staleBindingsMessage,
  type ProvidersSchemaJson,
  type TerraformSandbox,
} from '../../cdktf/generate-bindings';

jest.setTimeout(180_000);

const PROVIDER = 'registry.terraform.io/maestro/maestro';

interface BlockSchema {
  block: { attributes: Record<string, unknown> };
}
interface MaestroSchema {
  resource_schemas: Record<string, BlockSchema>;
  data_source_schemas: Record<string, BlockSchema>;
}

let sandbox: TerraformSandbox;
let schema: ProvidersSchemaJson;
/** Bindings generated now from the real schema. */
let current: string;

beforeAll(() => {
  sandbox = createSandbox();
  schema = readProviderSchema(sandbox);
  current = join(sandbox.dir, 'current');
  generateBindings(schema, current, sandbox);
});

afterAll(() => sandbox?.remove());

/** A deep copy of the real schema with `change` applied to the maestro provider's entry. */
function changedSchema(change: (maestro: MaestroSchema) => void): ProvidersSchemaJson {
  const copy = structuredClone(schema);
  change(copy.provider_schemas[PROVIDER] as MaestroSchema);
  return copy;
}

describe('cdktf bindings', () => {
  test('cdktf/maestro-provider/ matches the bindings generated from the provider in dist/', () => {
    const diffs = diffTrees(BINDINGS_DIR, current);
    expect(diffs.length === 0 ? 'up to date' : staleBindingsMessage(diffs)).toBe('up to date');
  });

  test('what the bindings synthesize passes terraform validate with the real provider', () => {
    const app = new App({ outdir: join(sandbox.dir, 'cdktf.out') });
    const stack = new TerraformStack(app, 'ports');
    new MaestroProvider(stack, 'maestro', { endpoint: '127.0.0.1:7443' });
    const leaf = new DataMaestroSwitch(stack, 'leaf1', { id: 'leaf1' });
    new SwitchPort(stack, 'web1', { switch: leaf.id, port: 'Ethernet3', accessVlan: 210, timeouts: { create: '2m' } });
    app.synth();
    const opts = { cwd: join(sandbox.dir, 'cdktf.out/stacks/ports'), env: sandbox.env, encoding: 'utf8' as const };
    for (const args of [['init', '-input=false', '-no-color'], ['validate', '-no-color']]) {
      const res = spawnSync(process.env.TERRAFORM_BINARY ?? 'terraform', args, opts);
      expect({ args, status: res.status, output: res.status === 0 ? '' : res.stdout + res.stderr }).toEqual({ args, status: 0, output: '' });
    }
  });

  test('generating twice from one schema gives identical files', () => {
    const again = join(sandbox.dir, 'again');
    generateBindings(schema, again, sandbox);
    expect(diffTrees(current, again)).toEqual([]);
  });

  test.each([
    {
      change: 'an attribute added to maestro_switch_port',
      apply: (m: MaestroSchema) => {
        m.resource_schemas.maestro_switch_port.block.attributes.lacp = { type: 'bool', description: 'LACP on.', description_kind: 'plain', optional: true };
      },
      diffs: ['changed: switch-port/index.ts'],
    },
    {
      change: 'a new resource',
      apply: (m: MaestroSchema) => {
        m.resource_schemas.maestro_staleness_probe = { block: { attributes: { id: { type: 'string', computed: true } } } };
      },
      diffs: ['changed: index.ts', 'changed: lazy-index.ts', 'extra: staleness-probe/README.md', 'extra: staleness-probe/index.ts'],
    },
    {
      change: 'a removed data source',
      apply: (m: MaestroSchema) => {
        delete m.data_source_schemas.maestro_switch;
      },
      diffs: ['changed: index.ts', 'changed: lazy-index.ts', 'missing: data-maestro-switch/README.md', 'missing: data-maestro-switch/index.ts'],
    },
  ])('$change makes the bindings stale', ({ apply, diffs }) => {
    const out = join(sandbox.dir, 'changed');
    generateBindings(changedSchema(apply), out, sandbox);
    const found = diffTrees(current, out);
    expect(found).toEqual(diffs);
    expect(staleBindingsMessage(found)).toContain(REGENERATE_COMMAND);
  });
});
