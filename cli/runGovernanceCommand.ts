import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';

import { readGovernanceDocument, renderGovernanceDocument } from '../shared/governance/governanceDocument.js';
import { importRecords } from '../shared/governance/governanceService.js';
import { parseGovernanceSettings } from '../shared/governance/governanceSettings.js';
import { GovernanceValidationError } from '../shared/governance/validateRecords.js';
import { StorageUnavailableError } from '../shared/storage/historyStore.js';
import {
  ensureGovernanceTables,
  governanceTables,
  tableGovernanceRepository,
} from '../shared/storage/governanceTables.js';
import { parseStorageSettings } from '../shared/storage/storageSettings.js';
import { ConfigurationError } from '../shared/config/configurationError.js';
import { UsageError, type CommandIo } from './commandIo.js';

export const GOVERNANCE_USAGE = `Usage:
  npm run governance -- import FILE [--as NAME]   load a Git-kept governance file (JSON or YAML) into storage
  npm run governance -- export [FILE]             write the approved stored records (YAML, or JSON for .json)

Storage comes from STORAGE_CONNECTION or STORAGE_ACCOUNT_NAME (and STORAGE_TABLE_PREFIX).
Imported records are approved by the review of the file and marked with it as their source;
importing the same file again changes nothing. --as names who imports (default: $USER).
Exit codes: 0 done, 2 usage or an invalid file (nothing imported), 3 storage not reachable.
`;

/** The `governance` command: import a file into storage, or export storage to a file. */
export async function runGovernanceCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: { as: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
    if (values.help) {
      io.stdout(GOVERNANCE_USAGE);
      return 0;
    }
    const [action, file, ...rest] = positionals;
    if (rest.length > 0 || (action !== 'import' && action !== 'export'))
      throw new UsageError('give import FILE or export [FILE]');
    if (action === 'import' && file === undefined) throw new UsageError('import needs a FILE');
    let storage;
    let governanceSettings;
    try {
      storage = parseStorageSettings(io.env);
      governanceSettings = parseGovernanceSettings(io.env);
    } catch (error) {
      if (error instanceof ConfigurationError) throw new UsageError(error.message);
      throw error;
    }
    if (!storage)
      throw new UsageError('no storage configured: set STORAGE_CONNECTION or STORAGE_ACCOUNT_NAME');
    const now = io.now();
    if (action === 'import' && file !== undefined) {
      let text: string;
      try {
        text = (await readFile(file)).toString('utf8').replace(/^\uFEFF/, '');
      } catch (error) {
        throw new UsageError(`${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
      }
      const records = readGovernanceDocument(text, basename(file), {
        now,
        mode: 'load',
        ...governanceSettings,
      });
      const tables = governanceTables(storage);
      await ensureGovernanceTables(tables);
      const actor = values.as ?? io.env.USER ?? io.env.USERNAME ?? '';
      const outcome = await importRecords(
        tableGovernanceRepository(tables),
        records,
        `file:${basename(file)}`,
        { name: actor },
        now,
      );
      io.stdout(
        `Imported ${file}: ${outcome.created.length} created, ${outcome.updated.length} updated, ${outcome.unchanged.length} unchanged\n`,
      );
      return 0;
    }
    const tables = governanceTables(storage);
    await ensureGovernanceTables(tables);
    const approved = (await tableGovernanceRepository(tables).list())
      .filter((stored) => stored.approval === 'approved')
      .map((stored) => stored.record);
    const text = renderGovernanceDocument(approved, file ?? 'governance.yaml');
    if (file === undefined) io.stdout(text);
    else {
      await writeFile(file, text, 'utf8');
      io.stderr(`Wrote ${approved.length} approved record(s) to ${file}\n`);
    }
    return 0;
  } catch (error) {
    if (error instanceof UsageError || (error instanceof TypeError && 'code' in error)) {
      io.stderr(`error: ${error.message}\n\n${GOVERNANCE_USAGE}`);
      return 2;
    }
    if (error instanceof GovernanceValidationError) {
      io.stderr(`error: ${error.message}\nNothing was imported.\n`);
      return 2;
    }
    if (error instanceof StorageUnavailableError) {
      io.stderr(`error: ${error.message}\n`);
      return 3;
    }
    throw error;
  }
}
