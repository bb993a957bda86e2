// Generates the checked-in CDK Terrain (cdktn, the CDKTF continuation) bindings in cdktf/maestro-provider/ from the provider's real schema.
//
// CLI: node dist/cdktf/generate-bindings.js [--out DIR] [--check]   (scripts/cdktf-generate.sh builds, then runs this)

import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { addOverrideModifiers } from './add-override-modifiers';

/** The repository root: the nearest parent holding package.json (works from cdktf/ and from dist/cdktf/). */
export const REPO = findRepoRoot(__dirname);
/** Where the generated bindings are checked in. */
export const BINDINGS_DIR = join(REPO, 'cdktf/maestro-provider');
/** The command that rewrites BINDINGS_DIR; named in every staleness message. */
export const REGENERATE_COMMAND = 'bash scripts/cdktf-generate.sh';

const PROVIDER = 'registry.terraform.io/maestro/maestro';
const TERRAFORM = process.env.TERRAFORM_BINARY ?? 'terraform';

/** `terraform providers schema -json` output; the generator reads provider_schemas (and provider_versions, which we never set). */
export interface ProvidersSchemaJson {
  format_version: string;
  provider_schemas: Record<string, unknown>;
}

/**
 * A private terraform set-up: the provider installed from dist/ into a temporary
 * filesystem mirror, a CLI config that uses only that mirror for maestro/maestro,
 * and the environment to run terraform (and the generator) with: offline, no
 * checkpoint call, never the user's ~/.terraformrc. Remove it with `remove()`.
 */
export interface TerraformSandbox {
  readonly dir: string;
  readonly env: NodeJS.ProcessEnv;
  remove(): void;
}

/** Installs the compiled provider (distDir, default REPO/dist) into a fresh sandbox. Throws with the installer's output when dist/ is missing or stale. */
export function createSandbox(distDir: string = join(REPO, 'dist')): TerraformSandbox {
  const dir = mkdtempSync(join(tmpdir(), 'maestro-cdktf-'));
  const mirror = join(dir, 'mirror');
  run('node', [join(distDir, 'provider-shim/src/install.js'), '--plugin-dir', mirror], { cwd: dir }, 'provider install (build first: npx tsc -p tsconfig.json)');
  const cliConfig = join(dir, 'terraformrc');
  writeFileSync(
    cliConfig,
    `provider_installation {\n  filesystem_mirror {\n    path    = "${mirror}"\n    include = ["${PROVIDER}"]\n  }\n  direct {\n    exclude = ["${PROVIDER}"]\n  }\n}\n`,
  );
  const env = { ...process.env, TF_CLI_CONFIG_FILE: cliConfig, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' };
  return { dir, env, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs terraform init + `providers schema -json` in a fresh work directory of the sandbox. Throws with terraform's output on failure. */
export function readProviderSchema(sandbox: TerraformSandbox): ProvidersSchemaJson {
  const work = mkdtempSync(join(sandbox.dir, 'work-'));
  writeFileSync(join(work, 'main.tf'), 'terraform {\n  required_providers {\n    maestro = { source = "maestro/maestro" }\n  }\n}\n');
  const opts = { cwd: work, env: sandbox.env };
  run(TERRAFORM, ['init', '-input=false', '-no-color'], opts, 'terraform init');
  const schema = JSON.parse(run(TERRAFORM, ['providers', 'schema', '-json'], opts, 'terraform providers schema')) as ProvidersSchemaJson;
  if (!schema.provider_schemas?.[PROVIDER]) throw new Error(`terraform providers schema -json has no ${PROVIDER} entry`);
  return schema;
}

/**
 * Replaces outDir with the bindings @cdktn/provider-generator emits for `schema`
 * (its providers/maestro/ folder: provider/, switch-port/, data-maestro-*, index.ts,
 * lazy-index.ts, README.md per construct), plus the `override` modifiers the
 * project's noImplicitOverride needs. Output depends only on the schema: no
 * timestamps, paths or provider version. The generator runs in a child process
 * with the sandbox's environment, because loading it runs `terraform version`.
 */
export function generateBindings(schema: ProvidersSchemaJson, outDir: string, sandbox: TerraformSandbox): void {
  const staging = mkdtempSync(join(sandbox.dir, 'gen-'));
  const schemaFile = join(staging, 'schema.json');
  writeFileSync(schemaFile, JSON.stringify(schema));
  const script = "require('@cdktn/provider-generator').generateProviderBindingsFromSchema(process.argv[2], require(process.argv[1]))" +
    '.catch((err) => { console.error(err); process.exit(1); });';
  run('node', ['-e', script, schemaFile, join(staging, 'out')], { cwd: REPO, env: sandbox.env }, '@cdktn/provider-generator');
  const generated = join(staging, 'out/providers/maestro');
  addOverrideModifiers(generated, join(REPO, 'node_modules'));
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(dirname(outDir), { recursive: true });
  cpSync(generated, outDir, { recursive: true });
  rmSync(staging, { recursive: true, force: true });
}

/**
 * Compares two directory trees file by file. Returns one line per difference,
 * sorted: `changed: F`, `missing: F` (in expected only), `extra: F` (in actual
 * only), with F relative to the roots. Empty means identical.
 */
export function diffTrees(expectedDir: string, actualDir: string): string[] {
  const expected = listFiles(expectedDir);
  const actual = listFiles(actualDir);
  const diffs: string[] = [];
  for (const file of new Set([...expected, ...actual])) {
    if (!actual.includes(file)) diffs.push(`missing: ${file}`);
    else if (!expected.includes(file)) diffs.push(`extra: ${file}`);
    else if (!readFileSync(join(expectedDir, file)).equals(readFileSync(join(actualDir, file)))) diffs.push(`changed: ${file}`);
  }
  return diffs.sort();
}

/** The message for bindings that differ from the schema's: what differs and the command that fixes it. */
export function staleBindingsMessage(diffs: string[]): string {
  const legend = '(missing: checked in, no longer generated; extra: generated, not checked in)';
  return `cdktf/maestro-provider/ is stale against the provider's schema ${legend}:\n  ${diffs.join('\n  ')}\nRun \`${REGENERATE_COMMAND}\` and commit cdktf/maestro-provider/.`;
}

function listFiles(root: string): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)));
}

/** Runs a command synchronously; returns stdout; throws naming `what` with the command's output on a non-zero exit. */
function run(cmd: string, args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv }, what: string): string {
  const res = spawnSync(cmd, args, { ...opts, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (res.error) throw new Error(`${what} could not start ${cmd}: ${res.error.message}`);
  if (res.status !== 0) throw new Error(`${what} failed (exit ${res.status}):\n${res.stdout}${res.stderr}`);
  return res.stdout;
}

function findRepoRoot(from: string): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) if (existsSync(join(dir, 'package.json'))) return dir;
  throw new Error(`no package.json above ${from}`);
}

function parseArgs(argv: string[]): { out: string; check: boolean } {
  const opts = { out: BINDINGS_DIR, check: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out' && argv[i + 1]) opts.out = resolve(argv[++i]);
    else if (argv[i] === '--check') opts.check = true;
    else throw new Error(`unknown or incomplete argument "${argv[i]}"; usage: generate-bindings.js [--out DIR] [--check]`);
  }
  return opts;
}

/** Writes the bindings to --out (default cdktf/maestro-provider/), or with --check compares them and exits 1 when stale. */
function main(): void {
  const opts = parseArgs(process.argv.slice(2));
  const sandbox = createSandbox();
  try {
    const schema = readProviderSchema(sandbox);
    const target = opts.check ? join(sandbox.dir, 'check') : opts.out;
    generateBindings(schema, target, sandbox);
    if (!opts.check) return void process.stdout.write(`Wrote the maestro provider's CDKTF bindings to ${target}\n`);
    const diffs = diffTrees(opts.out, target);
    if (diffs.length > 0) throw new Error(staleBindingsMessage(diffs));
    process.stdout.write(`${opts.out} is up to date with the provider's schema\n`);
  } finally {
    sandbox.remove();
  }
}

if (require.main === module) {
  try {
    main();
  } catch (err) {
    process.stderr.write(`cdktf bindings: ${(err as Error).message}\n`);
    process.exit(1);
  }
}
