// The engine daemon: prepares the data dir, opens the store, serves the API and advertises itself in engine.json.

import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dialectNames, getDialect } from '../drivers/switch/registry';
import { importInventory } from '../inventory/import';
import { CredentialCipher } from '../store/credential-cipher';
import { openSqliteStore } from '../store/sqlite';
import type { Store } from '../store/store';
import { KeyedLock } from '../workflow/keyed-lock';
import type { WorkflowConfig } from '../workflow/runtime';
import { sha256Hex } from './auth';
import type { EngineFile } from './client';
import { adminToken, dataDir, ensureDataDir, masterKey, tlsIdentity, type DataDir } from './data-dir';
import type { ConnectSwitch, DialectCatalog, EngineContext } from './engine-context';
import type { Logger } from './logger';
import { startEngineServer } from './server';
import { attachWorkflow } from './workflow-context';

/** The dialect registry as the API sees it. */
export const registryDialects: DialectCatalog = { get: getDialect, names: dialectNames };

export interface DaemonOptions {
  dataDir: string;
  /** `host:port`; port 0 picks a free port. */
  listen: string;
  /** Imported (upserted) before the API starts serving. */
  inventoryFile?: string;
  connect: ConnectSwitch;
  dialects?: DialectCatalog;
  logger: Logger;
  jobTimeoutMs?: number;
  /** Batching window, parallelism limits, retries, BMC timing (defaults in workflow/runtime.ts). */
  workflow?: Partial<WorkflowConfig>;
}

export interface Daemon {
  /** `host:port` clients connect to. */
  endpoint: string;
  dataDir: DataDir;
  /** Stops serving, closes the store and removes engine.json; later calls return the first call's promise. */
  stop(): Promise<void>;
}

const DEFAULT_JOB_TIMEOUT_MS = 120_000;

/** Throws when engine.json names another live process: two engines must not share a data dir. */
function refuseIfServed(d: DataDir): void {
  let pid: number;
  try {
    pid = (JSON.parse(readFileSync(d.engineFile, 'utf8')) as EngineFile).pid;
  } catch {
    return; // no engine.json (or a torn one): nobody is serving
  }
  if (pid === process.pid) return;
  try {
    process.kill(pid, 0);
  } catch {
    return; // stale file from an engine that died
  }
  throw new Error(`another engine (pid ${pid}) is serving ${d.dir}; stop it first or use another --data-dir`);
}

/** The address clients should dial for a listen address: wildcard hosts mean loopback. */
function advertised(listen: string, port: number): string {
  const host = listen.slice(0, listen.lastIndexOf(':'));
  return `${['0.0.0.0', '[::]', ''].includes(host) ? '127.0.0.1' : host}:${port}`;
}

async function prepareStore(d: DataDir, opts: DaemonOptions, cipher: CredentialCipher, dialects: DialectCatalog): Promise<Store> {
  const store = openSqliteStore(d.database);
  try {
    await store.putApiToken({ name: 'admin', sha256: sha256Hex(adminToken(d)), scope: 'admin' });
    if (opts.inventoryFile) {
      const summary = await importInventory(store, readFileSync(opts.inventoryFile, 'utf8'), { cipher, dialects: dialects.names() });
      opts.logger.info('inventory imported', { file: opts.inventoryFile, ...summary });
    }
    return store;
  } catch (err) {
    await store.close();
    throw err;
  }
}

/** Starts the engine; rejects (with nothing left running) when the data dir, inventory or listen address is unusable. */
export async function startDaemon(opts: DaemonOptions): Promise<Daemon> {
  const d = dataDir(opts.dataDir);
  ensureDataDir(d);
  refuseIfServed(d);
  const dialects = opts.dialects ?? registryDialects;
  const cipher = new CredentialCipher(masterKey(d));
  const store = await prepareStore(d, opts, cipher, dialects);
  const ctx: EngineContext = attachWorkflow({
    store, dialects, cipher, connect: opts.connect, logger: opts.logger,
    locks: new KeyedLock(), jobTimeoutMs: opts.jobTimeoutMs ?? DEFAULT_JOB_TIMEOUT_MS,
  }, opts.workflow);
  const server = await startEngineServer(ctx, opts.listen, tlsIdentity(d)).catch(async (err) => {
    await store.close();
    throw err;
  });
  // Jobs a previous engine left unfinished (crash, kill -9) resume or compensate in the background.
  const recovered = await ctx.workflow.executor.recover();
  if (recovered.length > 0) opts.logger.info('unfinished jobs taken up', { jobs: recovered });
  const endpoint = advertised(opts.listen, server.port);
  const info: EngineFile = { endpoint, pid: process.pid, ca_cert_file: d.tlsCert, token_file: d.adminToken };
  // Written aside and renamed: whoever polls for engine.json never reads half of it.
  writeFileSync(`${d.engineFile}.tmp`, `${JSON.stringify(info, null, 2)}\n`);
  renameSync(`${d.engineFile}.tmp`, d.engineFile);
  opts.logger.info('engine listening', { endpoint, data_dir: d.dir });
  let stopped: Promise<void> | undefined;
  const stop = async () => {
    rmSync(d.engineFile, { force: true });
    // Jobs finish the step in flight and pause (the next start resumes them) before the API stops answering.
    await ctx.workflow.executor.shutdown();
    await server.close();
    await ctx.workflow.switches.close();
    await store.close();
    opts.logger.info('engine stopped', { data_dir: d.dir });
  };
  return { endpoint, dataDir: d, stop: () => (stopped ??= stop()) };
}
