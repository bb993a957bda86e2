// E2E (no engine): the app-cluster module and the HCL examples pass `terraform validate` with the installed provider
// (offline init from a private mirror), and bad module inputs fail with the module's own message naming the input.
// Needs `npx tsc -p tsconfig.json` first (the provider is installed from dist/).

import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROVIDER, REPO, TerraformWorkspace } from './harness';

jest.setTimeout(120_000);

let ws: TerraformWorkspace;

beforeAll(async () => {
  ws = await TerraformWorkspace.create({});
  cpSync(join(REPO, 'examples/modules'), join(ws.dir, '..', 'modules'), { recursive: true });
});

/** Makes the workspace hold exactly `files` (name -> text); `../modules` stays next to it. */
function workspace(files: Record<string, string>): void {
  rmSync(ws.dir, { recursive: true, force: true });
  mkdirSync(ws.dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(ws.dir, name), text);
}

const example = (name: string) => ({ 'main.tf': readFileSync(join(REPO, 'examples', name, 'main.tf'), 'utf8') });

test.each(['app-cluster', 'basic'])('examples/%s: init offline and validate', async (name) => {
  workspace(example(name));
  await ws.ok(['init', '-input=false', '-no-color']);
  expect((await ws.ok(['validate', '-no-color'])).stdout).toMatch(/The configuration is valid/);
});

test('the module on its own: init offline and validate', async () => {
  const dir = join(ws.dir, '..', 'modules/app-cluster');
  for (const args of [['init', '-input=false', '-no-color', '-backend=false'], ['validate', '-no-color']]) {
    const res = await ws.tf(`-chdir=${dir}`, ...args);
    expect({ args, code: res.code, err: res.stderr }).toEqual({ args, code: 0, err: '' });
  }
});

test('an existing tenancy is looked up by name instead of created', async () => {
  workspace({ 'main.tf': `${PROVIDER}\nmodule "api" {\n  source  = "../modules/app-cluster"\n  name    = "api"\n  tenancy = "shared"\n}\n` });
  await ws.ok(['init', '-input=false', '-no-color']);
  await ws.ok(['validate', '-no-color']);
  const graph = (await ws.ok(['graph', '-no-color'])).stdout;
  expect(graph).toContain('module.api.data.maestro_tenancy.existing');
  expect(graph).toContain('module.api.maestro_server_instance.this');
});

describe('bad inputs fail naming the input, with the module message', () => {
  const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHlTBDqEA2LJMnCqpo2Mp5YpU5Wf6XYm7ddl6Vmw3FEO ops@example';
  test.each([
    { input: 'size = 0', message: 'size must be a whole number from 1 to 64' },
    { input: 'size = 65', message: 'size must be a whole number from 1 to 64' },
    { input: 'size = 1.5', message: 'size must be a whole number from 1 to 64' },
    { input: 'name = "Web"', message: 'name must be 1-60 lowercase letters, digits and dashes' },
    { input: 'name = "web-"', message: 'name must be 1-60 lowercase letters, digits and dashes' },
    { input: 'tenancy = "Shared"', message: 'tenancy must be null (create one) or the name of an existing tenancy' },
    { input: 'tenancy_settings = { cidr = "10.64.0.0/33" }', message: 'tenancy_settings.cidr must be an IPv4 subnet' },
    { input: 'tenancy_settings = { vlan_id = 4095 }', message: 'tenancy_settings.vlan_id must be a whole number from 1 to 4094' },
    { input: 'profile = ""', message: 'profile must be the name of a server profile' },
    { input: 'image = "debian 12"', message: 'image must be the name of an image' },
    { input: `ssh_authorized_keys = ["${KEY}", "not a key"]`, message: 'each ssh_authorized_keys entry must be one OpenSSH public key line' },
    { input: 'power_state = "reboot"', message: 'power_state must be "on" or "off"' },
    // A rule over two inputs: terraform checks it at plan (validate leaves the other input unknown).
    { input: 'tenancy = "shared"; tenancy_settings = { cidr = "10.64.1.0/24" }', message: 'tenancy_settings only applies to a tenancy the module creates', plan: true },
  ])('$input', async ({ input, message, plan }) => {
    const lines = input.split('; ');
    const name = /^(\w+) =/.exec(lines[lines.length - 1])![1];
    const body = [...(input.startsWith('name =') ? [] : ['name = "web"']), ...lines].map((l) => `  ${l}\n`).join('');
    workspace({ 'main.tf': `${PROVIDER}\nmodule "c" {\n  source = "../modules/app-cluster"\n${body}}\n` });
    await ws.ok(['init', '-input=false', '-no-color']);
    const res = await ws.tf(...(plan ? ['plan', '-input=false', '-no-color'] : ['validate', '-no-color']));
    expect(res.code).toBe(1);
    const err = res.stderr.replace(/│/g, ' ').replace(/\s+/g, ' ');
    expect(err).toContain('Invalid value for variable');
    expect(err).toContain(message);
    expect(err).toMatch(new RegExp(`in module "c": \\d+: +${name} +=`));
  });
});
