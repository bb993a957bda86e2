// The plugin layer against the real terraform binary: install into a filesystem mirror, then
// init / validate / plan / apply / import / schema / destroy with a ProviderServer test double.
//
// The provider is compiled with a temporary tsconfig holding only main.ts, install.ts and the
// double (main.ts requires ./provider lazily, so the product provider is not compiled in), and
// installed with installProvider({ providerModule }) so the package runs the double.

import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installProvider } from '../../provider-shim/src/install';
import { REPO } from '../unit/plugin-child-process';

const TERRAFORM = process.env.TERRAFORM_BINARY ?? '/usr/local/bin/terraform';
const haveTerraform = existsSync(TERRAFORM);

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

const root = mkdtempSync(join(tmpdir(), 'maestro-plugin-tf-'));
const work = join(root, 'work');
const pluginTmp = join(root, 'tmp');

function terraform(args: string[], env: Record<string, string> = {}): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(TERRAFORM, args, {
      cwd: work,
      env: { ...process.env, TF_CLI_CONFIG_FILE: join(root, 'terraformrc'), CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', TMPDIR: pluginTmp, TF_LOG: 'debug', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs terraform, expects `code`, and checks every provider process left cleanly. */
async function tf(args: string[], code = 0): Promise<Result> {
  const res = await terraform(args);
  if (res.code !== code) throw new Error(`terraform ${args.join(' ')} exited ${res.code}, expected ${code}\n${res.stdout}\n${res.stderr.slice(-4000)}`);
  expect(res.stderr).not.toMatch(/failed to exit gracefully|Plugin did not respond|Unrecognized remote plugin message/);
  return res;
}

const config = (message: string) => `
terraform {
  required_providers {
    maestro = { source = "maestro/maestro", version = "0.1.0" }
  }
}
provider "maestro" {
  endpoint = "127.0.0.1:1"
}
resource "maestro_echo" "a" {
  message = "${message}"
}
data "maestro_echo" "d" {
  message = maestro_echo.a.message
}
output "id" {
  value = maestro_echo.a.id
}
output "data_id" {
  value = data.maestro_echo.d.id
}
`;

(haveTerraform ? describe : describe.skip)('provider plugin with terraform', () => {
  beforeAll(() => {
    const dist = join(root, 'dist');
    const tsconfig = join(root, 'tsconfig.json');
    const files = ['provider-shim/src/main.ts', 'provider-shim/src/install.ts', 'tests/integration/plugin-provider-double.ts'].map((f) => join(REPO, f));
    writeFileSync(
      tsconfig,
      JSON.stringify({ extends: join(REPO, 'tsconfig.json'), compilerOptions: { rootDir: REPO, outDir: dist, types: ['node'], typeRoots: [join(REPO, 'node_modules/@types')] }, include: [], files }),
    );
    execFileSync(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', tsconfig], { stdio: 'inherit' });
    mkdirSync(join(dist, 'engine')); // the double needs no engine client
    installProvider({ pluginDir: join(root, 'mirror'), version: '0.1.0', distDir: dist, repoDir: REPO, providerModule: join(dist, 'tests/integration/plugin-provider-double.js') });
    writeFileSync(
      join(root, 'terraformrc'),
      `provider_installation {\n  filesystem_mirror {\n    path    = "${join(root, 'mirror')}"\n    include = ["registry.terraform.io/maestro/maestro"]\n  }\n  direct {\n    exclude = ["registry.terraform.io/maestro/maestro"]\n  }\n}\n`,
    );
    mkdirSync(work);
    mkdirSync(pluginTmp);
    writeFileSync(join(work, 'main.tf'), config('hello'));
  }, 120_000);

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test('init installs the provider from the filesystem mirror', async () => {
    const res = await tf(['init', '-input=false', '-no-color']);
    expect(res.stdout).toContain('Installed maestro/maestro v0.1.0');
  });

  test('validate succeeds, and the provider logs through terraform under TF_LOG=debug', async () => {
    const res = await tf(['validate', '-no-color']);
    expect(res.stdout).toContain('The configuration is valid');
    expect(res.stderr).toMatch(/Received request: .*tf_rpc=GetProviderSchema/);
  });

  test('a provider diagnostic with an attribute path points at the attribute in the config', async () => {
    writeFileSync(join(work, 'main.tf'), config('bad'));
    try {
      const res = await tf(['validate', '-no-color'], 1);
      expect(res.stderr).toContain('Error: Message rejected');
      expect(res.stderr).toMatch(/with maestro_echo\.a,\n\s+on main\.tf line 11, in resource "maestro_echo" "a":\n\s+11:\s+message = "bad"/);
    } finally {
      writeFileSync(join(work, 'main.tf'), config('hello'));
    }
  });

  test('plan shows the resource to create, with its computed id unknown', async () => {
    const res = await tf(['plan', '-input=false', '-no-color', '-detailed-exitcode'], 2);
    expect(res.stdout).toContain('# maestro_echo.a will be created');
    expect(res.stdout).toMatch(/id\s+= \(known after apply\)/);
  });

  test('apply creates it; a second plan has no changes', async () => {
    await tf(['apply', '-input=false', '-no-color', '-auto-approve']);
    const out = JSON.parse((await tf(['output', '-json'])).stdout) as Record<string, { value: string }>;
    expect(out.id.value).toBe('echo-hello');
    expect(out.data_id.value).toBe('data-hello');
    await tf(['plan', '-input=false', '-no-color', '-detailed-exitcode'], 0);
  });

  test('import reads the object through ImportResourceState', async () => {
    await tf(['state', 'rm', 'maestro_echo.a']);
    await tf(['import', '-input=false', '-no-color', 'maestro_echo.a', 'echo-hello']);
    await tf(['plan', '-input=false', '-no-color', '-detailed-exitcode'], 0);
  });

  test('providers schema -json shows the schema the provider declared', async () => {
    const res = await tf(['providers', 'schema', '-json']);
    const schema = JSON.parse(res.stdout).provider_schemas['registry.terraform.io/maestro/maestro'];
    expect(schema.provider.block.attributes.endpoint).toMatchObject({ type: 'string', optional: true });
    expect(schema.resource_schemas.maestro_echo.block.attributes.id).toMatchObject({ type: 'string', computed: true, description: 'Derived from message.' });
    expect(schema.data_source_schemas.maestro_echo.block.attributes.message).toMatchObject({ type: 'string', required: true });
  });

  test('destroy removes it, and no provider process left its socket directory behind', async () => {
    await tf(['destroy', '-input=false', '-no-color', '-auto-approve']);
    expect(readdirSync(pluginTmp).filter((n) => n.startsWith('maestro-plugin-'))).toEqual([]);
  });
});
