import { parse as parseYaml, stringify as stringifyYaml, YAMLError } from 'yaml';

import type { GovernanceRecord } from './records.js';
import {
  GovernanceValidationError,
  validateGovernanceDocument,
  type ValidationOptions,
} from './validateRecords.js';

export const MAX_GOVERNANCE_FILE_BYTES = 5 * 1024 * 1024;

/**
 * Parses the text of a governance file: JSON for `.json` names, YAML (1.2, no custom tags, at
 * most 100 aliases, unique keys) otherwise. Throws {@link GovernanceValidationError}.
 */
export function parseGovernanceText(text: string, name: string): unknown {
  if (Buffer.byteLength(text, 'utf8') > MAX_GOVERNANCE_FILE_BYTES)
    throw new GovernanceValidationError([`${name}: larger than ${MAX_GOVERNANCE_FILE_BYTES} bytes`]);
  const json = /\.json$/i.test(name);
  try {
    return json
      ? (JSON.parse(text) as unknown)
      : (parseYaml(text, { maxAliasCount: 100, uniqueKeys: true }) as unknown);
  } catch (error) {
    const detail = error instanceof YAMLError || error instanceof SyntaxError ? error.message : String(error);
    throw new GovernanceValidationError([
      `${name}: not valid ${json ? 'JSON' : 'YAML'} (${detail.split('\n')[0]})`,
    ]);
  }
}

/** Parses and validates a governance file's text into records. */
export function readGovernanceDocument(
  text: string,
  name: string,
  options: ValidationOptions,
): GovernanceRecord[] {
  const raw = parseGovernanceText(text, name);
  try {
    return validateGovernanceDocument(raw ?? {}, options);
  } catch (error) {
    if (error instanceof GovernanceValidationError)
      throw new GovernanceValidationError(error.problems.map((problem) => `${name}: ${problem}`));
    throw error;
  }
}

/** A record in the file form (`control`, no provenance), as a team keeps it in Git. */
export function toDocumentRecord(record: GovernanceRecord): Record<string, unknown> {
  const common = { id: record.id, control: record.controlId, scope: record.scope };
  if (record.kind === 'exception')
    return {
      ...common,
      owner: record.owner,
      justification: record.justification,
      ...(record.ticket ? { ticket: record.ticket } : {}),
      expires: record.expires,
    };
  return {
    ...common,
    result: record.result,
    attestedBy: record.attestedBy,
    statement: record.statement,
    evidence: record.evidence,
    attestedAt: record.attestedAt,
    expires: record.expires,
  };
}

/** Writes records back as a governance file (YAML unless the name ends in .json). */
export function renderGovernanceDocument(records: readonly GovernanceRecord[], name: string): string {
  const document = {
    exceptions: records.filter((record) => record.kind === 'exception').map(toDocumentRecord),
    attestations: records.filter((record) => record.kind === 'attestation').map(toDocumentRecord),
  };
  return /\.json$/i.test(name) ? `${JSON.stringify(document, null, 2)}\n` : stringifyYaml(document);
}
