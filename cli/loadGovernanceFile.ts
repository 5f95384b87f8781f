import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';

import { readGovernanceDocument } from '../shared/governance/governanceDocument.js';
import type { ActiveRecord } from '../shared/governance/records.js';
import type { GovernanceSettings } from '../shared/governance/governanceSettings.js';
import { GovernanceValidationError } from '../shared/governance/validateRecords.js';

/**
 * Reads a Git-kept governance file (JSON or YAML). Its records are approved by the review of the
 * change that added them; ones that expired since are kept, to be listed as expired.
 */
export async function loadGovernanceFile(
  path: string,
  now: Date,
  settings: GovernanceSettings,
): Promise<ActiveRecord[]> {
  let text: string;
  try {
    text = (await readFile(path)).toString('utf8').replace(/^\uFEFF/, '');
  } catch (error) {
    throw new GovernanceValidationError([
      `${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    ]);
  }
  const records = readGovernanceDocument(text, basename(path), {
    now,
    mode: 'load',
    maxExceptionDays: settings.maxExceptionDays,
    maxAttestationDays: settings.maxAttestationDays,
  });
  return records.map((record) => ({ record, approval: 'approved' }));
}
