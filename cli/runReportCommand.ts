import { parseArgs } from 'node:util';

import {
  parseOutputFormats,
  UnknownFormatError,
  type OutputFormat,
} from '../shared/formats/outputFormats.js';
import { regenerateRun } from '../shared/publish/regenerateRun.js';
import { isRunId } from '../shared/scan/runId.js';
import { ConfigurationError } from '../shared/config/configurationError.js';
import { createHistoryStore, StorageUnavailableError } from '../shared/storage/historyStore.js';
import { parseStorageSettings } from '../shared/storage/storageSettings.js';
import { UsageError, type CommandIo } from './commandIo.js';
import { readRun } from '../shared/storage/runReads.js';

export const REPORT_USAGE = `Usage:
  npm run report -- --run RUN_ID --out DIR [--formats oscal,ocsf|all|none]

Regenerates findings.json, findings.csv, assessment-results.oscal.json, findings.ocsf.json,
report.xlsx and report.html for a stored run, from the configured storage (STORAGE_CONNECTION or
STORAGE_ACCOUNT_NAME). --formats chooses the interchange formats (default all).
Exit codes: 0 written, 2 usage or configuration error or unknown run, 3 storage not reachable.
`;

/** The `report` command: rebuilds a stored run's outputs exactly from storage. */
export async function runReportCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  try {
    const { values } = parseArgs({
      args: [...argv],
      strict: true,
      options: {
        run: { type: 'string' },
        out: { type: 'string' },
        formats: { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      io.stdout(REPORT_USAGE);
      return 0;
    }
    if (!values.run || !isRunId(values.run))
      throw new UsageError('--run RUN_ID is required (like 20261127T224300Z-1a2b3c4d)');
    if (!values.out) throw new UsageError('--out DIR is required');
    let formats: OutputFormat[];
    try {
      formats = parseOutputFormats(values.formats);
    } catch (error) {
      if (error instanceof UnknownFormatError) throw new UsageError(error.message);
      throw error;
    }
    let settings;
    try {
      settings = parseStorageSettings(io.env);
    } catch (error) {
      if (error instanceof ConfigurationError) throw new UsageError(error.message);
      throw error;
    }
    if (!settings)
      throw new UsageError('no storage is configured: set STORAGE_CONNECTION or STORAGE_ACCOUNT_NAME');
    const store = createHistoryStore(settings);
    await store.ensure();
    const record = await readRun(store, values.run);
    if (!record) throw new UsageError(`run ${values.run} is not stored`);
    io.stderr(`Reading run ${record.runId} (${record.status}, ${record.findingsWritten} findings)…\n`);
    const regenerated = await regenerateRun(store, record, values.out, { formats, now: io.now() });
    if (regenerated.warning) io.stderr(`warning: ${regenerated.warning}\n`);
    io.stdout(`Wrote ${regenerated.files.join(', ')} and ${regenerated.html}\n`);
    return 0;
  } catch (error) {
    if (
      error instanceof UsageError ||
      (error instanceof TypeError && /argument|option/i.test(error.message))
    ) {
      io.stderr(`error: ${error.message}\n\n${REPORT_USAGE}`);
      return 2;
    }
    if (error instanceof StorageUnavailableError) {
      io.stderr(`error: ${error.message}\n`);
      return 3;
    }
    throw error;
  }
}
