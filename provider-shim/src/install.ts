// Installs the provider as a self-contained package in a terraform plugin directory (local mirror layout).
//
// CLI: node dist/provider-shim/src/install.js [--plugin-dir DIR] [--version V] [--unbundled]
//
// Why one bundle: terraform starts the provider 3-5 times per command, and about
// 50 of its ~150 ms cold start went to finding, reading and compiling the ~130
// CommonJS files grpc-js and our plugin code are made of. esbuild (a dev
// dependency: install from a repository with its dev dependencies) joins
// them (and the JSON descriptors) into one file at install time, which cuts
// the exec -> handshake time without changing what runs: each module stays
// wrapped in its own lazily run function, so the framework, resources and
// engine client still load on the first RPC, after the handshake.
// The launcher runs the bundle through a small loader (provider/start.js, from
// code-cache.ts) that reuses V8's compiled code from the user's cache directory.

import { buildSync, type BuildOptions } from 'esbuild';
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { CODE_CACHE_SWITCH } from './code-cache';

export const PROVIDER_SOURCE = 'registry.terraform.io/maestro/maestro';

/**
 * Packages the unbundled provider needs at run time; their dependency closure
 * is copied too. No proto-loader: the plugin services and the engine client both use
 * precompiled descriptors.
 */
const RUNTIME_PACKAGES = ['@grpc/grpc-js', '@msgpack/msgpack'];
/** Compiled directories the provider loads: itself, and the engine API client it talks through. */
const DIST_DIRS = ['provider-shim', 'engine'];

export interface InstallOptions {
  /** Terraform plugin directory. Default ~/.terraform.d/plugins, terraform's implied local mirror. */
  pluginDir?: string;
  /** Provider version. Default: the project's package.json version. */
  version?: string;
  /** Terraform platform, e.g. linux_amd64. Default: this machine's. */
  osArch?: string;
  /** Compiled output to package. Default: the dist/ this file was compiled into. */
  distDir?: string;
  /** Where package.json and node_modules/ are. Default: the parent of distDir. */
  repoDir?: string;
  /** A compiled module to install in place of dist/provider-shim/src/provider.js (tests install a double). */
  providerModule?: string;
  /**
   * Copy dist/ and the runtime node_modules instead of bundling (slower start;
   * for looking at the provider's files as compiled; no code cache). Default false.
   */
  unbundled?: boolean;
}

export interface InstalledProvider {
  packageDir: string;
  executable: string;
  version: string;
}

/** The bundled provider, relative to the package directory. */
export const BUNDLE_FILE = 'provider/main.js';
/**
 * The loader the launcher runs: it runs the bundle with a V8 code cache kept in
 * the user's cache directory (see code-cache.ts), the bundle's path passed as its
 * first argument so the provider's command line still names BUNDLE_FILE.
 */
export const LOADER_FILE = 'provider/start.js';
/** Where a substituted provider module is bundled on its own, next to the main bundle (see bundleProvider). */
const PROVIDER_BUNDLE_FILE = 'provider/provider.js';
const BUILD_HINT = 'build the project first (npx tsc -p tsconfig.json)';

/**
 * Writes <pluginDir>/registry.terraform.io/maestro/maestro/<version>/<os_arch>/ with
 * the launcher terraform-provider-maestro_v<version> and the provider bundled into
 * provider/main.js (needing nothing but node), or, with `unbundled`, the compiled
 * code and the runtime node_modules; any previous copy of that version is replaced.
 * Paths inside are relative to the launcher, so the directory can be moved or mirrored.
 * Throws when the build output or a runtime dependency is missing, or bundling fails.
 */
export function installProvider(opts: InstallOptions = {}): InstalledProvider {
  const distDir = opts.distDir ?? resolve(__dirname, '../..');
  const repoDir = opts.repoDir ?? dirname(distDir);
  const version = opts.version ?? (JSON.parse(readFileSync(join(repoDir, 'package.json'), 'utf8')) as { version: string }).version;
  const packageDir = join(opts.pluginDir ?? defaultPluginDir(), PROVIDER_SOURCE, version, opts.osArch ?? terraformPlatform());
  requireFile(join(distDir, 'provider-shim/src/main.js'), BUILD_HINT);

  rmSync(packageDir, { recursive: true, force: true });
  mkdirSync(packageDir, { recursive: true });
  const launcher = opts.unbundled
    ? launcherScript(copyCompiled(distDir, repoDir, packageDir, opts.providerModule))
    : launcherScript(BUNDLE_FILE, LOADER_FILE, bundleProvider(distDir, repoDir, packageDir, opts.providerModule));
  const executable = join(packageDir, `terraform-provider-maestro_v${version}`);
  writeFileSync(executable, launcher);
  chmodSync(executable, 0o755);
  return { packageDir, executable, version };
}

/**
 * Bundles dist/provider-shim/src/main.js, with everything it requires, into
 * <packageDir>/provider/main.js; returns that path relative to packageDir.
 * Names are kept (only whitespace and syntax are minified) so stack traces stay
 * readable. A substituted `providerModule` cannot be swapped in during a
 * synchronous build, so it becomes a second bundle that main.js requires, as
 * lazily, through the path './provider' (left external).
 * Also writes the code-cache loader (LOADER_FILE) with the bundle's hash built in:
 * the loader keys its cache by the contents it runs without hashing 820 KB at every start.
 * Returns the key of the provider host for this code (the hash of both bundles).
 */
function bundleProvider(distDir: string, repoDir: string, packageDir: string, providerModule: string | undefined): string {
  const common: BuildOptions = {
    bundle: true, platform: 'node', target: 'node20', format: 'cjs', minifyWhitespace: true, minifySyntax: true, logLevel: 'silent',
    nodePaths: [join(repoDir, 'node_modules')], // packages come from the repository even when dist/ is elsewhere
  };
  // buildSync throws esbuild's own message (which file, which import) when the build fails.
  const build = (entry: string, outfile: string, external: string[] = []) => buildSync({ ...common, entryPoints: [entry], outfile: join(packageDir, outfile), external });
  if (providerModule) {
    requireFile(providerModule, BUILD_HINT);
    build(providerModule, PROVIDER_BUNDLE_FILE);
  }
  build(join(distDir, 'provider-shim/src/main.js'), BUNDLE_FILE, providerModule ? ['./provider'] : []);
  const bundleKey = createHash('sha256').update(readFileSync(join(packageDir, BUNDLE_FILE))).digest('hex').slice(0, 32);
  buildSync({
    ...common,
    stdin: { contents: `require('./code-cache').runWithCodeCache(${JSON.stringify(bundleKey)});`, resolveDir: join(distDir, 'provider-shim/src'), sourcefile: 'start.js' },
    outfile: join(packageDir, LOADER_FILE),
  });
  const hostKey = createHash('sha256').update(bundleKey);
  if (providerModule) hostKey.update(readFileSync(join(packageDir, PROVIDER_BUNDLE_FILE)));
  return hostKey.digest('hex').slice(0, 16);
}

/** Copies the compiled directories and the runtime node_modules; returns main.js relative to packageDir. */
function copyCompiled(distDir: string, repoDir: string, packageDir: string, providerModule: string | undefined): string {
  for (const dir of DIST_DIRS) {
    requireFile(join(distDir, dir), BUILD_HINT);
    cpSync(join(distDir, dir), join(packageDir, 'dist', dir), { recursive: true, dereference: true, filter: (src) => !src.endsWith('.map') });
  }
  if (providerModule) cpSync(providerModule, join(packageDir, 'dist/provider-shim/src/provider.js'));
  requireFile(join(packageDir, 'dist/provider-shim/src/provider.js'), BUILD_HINT);
  for (const name of dependencyClosure(join(repoDir, 'node_modules'), RUNTIME_PACKAGES)) {
    cpSync(join(repoDir, 'node_modules', name), join(packageDir, 'node_modules', name), { recursive: true, dereference: true });
  }
  return 'dist/provider-shim/src/main.js';
}

function defaultPluginDir(): string {
  return join(homedir(), '.terraform.d', 'plugins');
}

/** Terraform's OS_ARCH naming (linux_amd64, darwin_arm64, ...). */
export function terraformPlatform(platform: string = process.platform, arch: string = process.arch): string {
  const goArch: Record<string, string> = { x64: 'amd64', ia32: '386', arm64: 'arm64', arm: 'arm' };
  return `${platform}_${goArch[arch] ?? arch}`;
}

/** Set to "off", the launcher never uses the provider host: every start is a node process of its own. */
export const HOST_SWITCH = 'MAESTRO_PROVIDER_HOST';

/**
 * POSIX sh launcher that runs `main` (relative to the launcher's directory) with
 * node; prints nothing. With a `loader`, node runs the loader with main's path
 * first (code-cache.ts), unless the environment sets CODE_CACHE_SWITCH=off.
 *
 * With a `hostKey` too, a launch by terraform (no arguments, a client
 * certificate, /proc readable, HOST_SWITCH not "off") asks the provider host
 * of that key for a session, starting the host when none lives; see
 * plugin/host.ts for the protocol. Anything that fails on that path ends in
 * the plain start.
 */
export function launcherScript(main: string, loader?: string, hostKey?: string): string {
  // The directory by parameter expansion, not $(dirname ...): that forks a subshell and a process, at every start.
  const header =
    '#!/bin/sh\n# Runs the maestro terraform provider with node. Prints nothing: stdout belongs to the plugin handshake.\n' +
    'case $0 in */*) dir=${0%/*} ;; *) dir=. ;; esac\n';
  if (!loader) return `${header}exec node "$dir/${main}" "$@"\n`;
  const run =
    `# ${loader} runs ${main} with a V8 code cache kept in the user's cache directory; ${CODE_CACHE_SWITCH}=off runs ${main} alone.\n` +
    `run() {\n` +
    `  if [ "$${CODE_CACHE_SWITCH}" = off ]; then exec node "$dir/${main}" "$@"; fi\n` +
    `  exec node "$dir/${loader}" "$dir/${main}" "$@"\n` +
    `}\n`;
  if (!hostKey) return `${header}${run}run "$@"\n`;
  // Positional parameters inside host() are its own: `set -- $st` there leaves the script's alone.
  const host = [
    `# A session from the provider host (provider-shim/src/plugin/host.ts); ${HOST_SWITCH}=off never asks.`,
    'host() {',
    '  b=${XDG_RUNTIME_DIR:-${XDG_CACHE_HOME:-${HOME:+$HOME/.cache}}}',
    '  [ -n "$b" ] || return',
    `  h=$b/maestro/host-${hostKey}`,
    '  f=$h/s.$$',
    '  { [ -d "$h" ] || mkdir -p -m 700 "$h"; } 2>/dev/null && mkfifo -m 600 "$f" 2>/dev/null || return',
    "  trap '' INT # Ctrl-C reaches terraform's whole process group; terraform then sends StopProvider",
    '  hp= hs= st=',
    '  { read -r hp hs <"$h/pid" && read -r st <"/proc/$hp/stat"; } 2>/dev/null',
    '  st=${st##*) }',
    '  set -- $st',
    '  # The pid file names a live host when that pid still has the start time (field 22 of its stat) written next to it.',
    '  if [ -z "$hs" ] || [ "${20}" != "$hs" ]; then (run --host "$h" </dev/null >/dev/null 2>&1 &); fi',
    '  # Unclaimed after 3 s (no host came up): claim the request and answer it ourselves.',
    '  (sleep 3; [ -p "$f" ] && mkdir "$f.c" && exec 4<>"$f" && echo direct >&4) </dev/null >/dev/null 2>&1 &',
    '  w=$!',
    '  exec 3<"$f"',
    '  IFS= read -r line <&3',
    '  kill $w 2>/dev/null',
    '  case $line in',
    `    1\\|*) printf '%s\\n' "$line"; exec cat <&3 >&2 3<&- ;;`,
    '  esac',
    '  exec 3<&-',
    '  rm -rf "$f" "$f.c"',
    '  trap - INT',
    '}',
    `if [ $# -eq 0 ] && [ -n "$PLUGIN_CLIENT_CERT" ] && [ "$${HOST_SWITCH}" != off ] && [ -r /proc/$$/environ ]; then host; fi`,
    '',
  ].join('\n');
  return `${header}${run}${host}run "$@"\n`;
}

/**
 * Top-level node_modules entries needed to run `roots`: each root and, transitively,
 * every `dependencies` entry, resolved the way Node does (nearest node_modules
 * first). Packages nested inside another package travel with it. Type-only
 * packages (@types/*) are skipped.
 */
export function dependencyClosure(nodeModules: string, roots: string[]): string[] {
  const topLevel = new Set<string>();
  const seen = new Set<string>();
  const visit = (name: string, fromDir: string): void => {
    if (name.startsWith('@types/')) return;
    const dir = resolvePackage(name, fromDir, nodeModules);
    if (seen.has(dir)) return;
    seen.add(dir);
    if (dir === join(nodeModules, name)) topLevel.add(name);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    for (const dep of Object.keys(manifest.dependencies ?? {})) visit(dep, dir);
  };
  for (const root of roots) visit(root, dirname(nodeModules));
  return [...topLevel].sort();
}

function resolvePackage(name: string, fromDir: string, nodeModules: string): string {
  for (let dir = fromDir; dir.startsWith(dirname(nodeModules)); dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dir === dirname(dir)) break;
  }
  throw new Error(`runtime dependency ${name} (needed from ${fromDir}) is not installed in ${nodeModules}: run npm install`);
}

function requireFile(path: string, hint: string): void {
  if (!existsSync(path)) throw new Error(`${path} is missing: ${hint}`);
}

function parseArgs(argv: string[]): InstallOptions {
  const opts: InstallOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const value = argv[i + 1];
    if (argv[i] === '--plugin-dir' && value) opts.pluginDir = resolve(argv[++i]);
    else if (argv[i] === '--version' && value) opts.version = argv[++i];
    else if (argv[i] === '--unbundled') opts.unbundled = true;
    else throw new Error(`unknown or incomplete argument "${argv[i]}"; usage: install.js [--plugin-dir DIR] [--version V] [--unbundled]`);
  }
  return opts;
}

function main(): void {
  const installed = installProvider(parseArgs(process.argv.slice(2)));
  process.stdout.write(
    `Installed the maestro provider ${installed.version} in ${installed.packageDir}\n\n` +
      'Use it from a configuration with:\n\n' +
      `terraform {\n  required_providers {\n    maestro = { source = "maestro/maestro", version = "${installed.version}" }\n  }\n}\n\n` +
      'then run "terraform init" (again, if an older copy of this version was installed before).\n',
  );
}

if (require.main === module) {
  try {
    main();
  } catch (err) {
    process.stderr.write(`install failed: ${(err as Error).message}\n`);
    process.exit(1);
  }
}
