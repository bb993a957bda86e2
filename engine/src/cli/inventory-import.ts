// `maestro inventory import`: validates an inventory file and upserts it straight into the data dir's store.

import { readFileSync } from 'node:fs';
import { registryDialects } from '../api/daemon';
import { dataDir, ensureDataDir, masterKey } from '../api/data-dir';
import { importInventory, InventoryError } from '../inventory/import';
import { CredentialCipher } from '../store/credential-cipher';
import { openSqliteStore } from '../store/sqlite';
import { parseFlags, UsageError, type Command } from './command';

export const inventoryImport: Command = {
  words: ['inventory', 'import'],
  summary: 'validate an inventory file and import it (offline, into the data dir)',
  usage: `maestro inventory import FILE --data-dir DIR

Validates FILE (see docs/inventory.md) and upserts it into DIR's database in one
transaction; on any problem it lists every one (with its path) and imports
nothing. Works whether or not an engine is serving DIR (SQLite WAL).`,

  async run(args, io) {
    const { values, positionals } = parseFlags(args, { 'data-dir': { type: 'string' } }, ['FILE']);
    const dir = values['data-dir'] ?? io.env.MAESTRO_DATA_DIR;
    if (!dir) throw new UsageError('--data-dir is required');
    const d = dataDir(dir);
    ensureDataDir(d);
    const source = readFileSync(positionals[0], 'utf8');
    const store = openSqliteStore(d.database);
    try {
      const summary = await importInventory(store, source, { cipher: new CredentialCipher(masterKey(d)), dialects: registryDialects.names() });
      const servers = summary.servers ? `, ${summary.servers} server(s)` : '';
      const images = summary.images ? `, ${summary.images} image(s)` : '';
      io.stdout.write(`imported ${summary.switches} switch(es), ${summary.ports} port(s), ${summary.credentials} credential(s), ${summary.segments} segment(s)${servers}${images}\n`);
      return 0;
    } catch (err) {
      if (!(err instanceof InventoryError)) throw err;
      io.stderr.write(`${positionals[0]}: ${err.message}\nnothing was imported\n`);
      return 1;
    } finally {
      await store.close();
    }
  },
};
