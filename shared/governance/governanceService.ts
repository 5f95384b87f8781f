import { RecordConflictError, type GovernanceRepository, type StoredRecord } from './governanceRepository.js';
import type { GovernanceSettings } from './governanceSettings.js';
import type { ActiveRecord, GovernanceKind, GovernanceRecord } from './records.js';
import { toDocumentRecord } from './governanceDocument.js';
import { duplicateIds, findTies, GovernanceValidationError, validateRecord } from './validateRecords.js';

/** A refused request: 400 invalid, 403 not allowed, 404 unknown, 409 conflicts with the state. */
export class GovernanceRequestError extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 409,
    message: string,
  ) {
    super(message);
    this.name = 'GovernanceRequestError';
  }
}

/** The authenticated caller, as the platform names them. */
export interface Actor {
  name: string;
}

const sameActor = (a: string | undefined, b: string): boolean =>
  a !== undefined && a.trim().toLowerCase() === b.trim().toLowerCase();

function requireNamed(actor: Actor): string {
  const name = actor.name.trim();
  if (name === '')
    throw new GovernanceRequestError(
      403,
      'the signed-in principal has no name; governance changes need a named principal',
    );
  return name;
}

async function existing(
  repository: GovernanceRepository,
  kind: GovernanceKind,
  id: string,
): Promise<StoredRecord> {
  const stored = await repository.get(id);
  if (!stored || stored.record.kind !== kind)
    throw new GovernanceRequestError(404, `${kind} ${id} not found`);
  return stored;
}

async function write(
  repository: GovernanceRepository,
  change: Parameters<GovernanceRepository['write']>[0],
): Promise<void> {
  try {
    await repository.write(change);
  } catch (error) {
    if (error instanceof RecordConflictError) throw new GovernanceRequestError(409, error.message);
    throw error;
  }
}

/** Creates a pending record from a request body (the file form of one record). */
export async function createRecord(
  repository: GovernanceRepository,
  kind: GovernanceKind,
  body: unknown,
  actor: Actor,
  now: Date,
  settings: GovernanceSettings,
): Promise<StoredRecord> {
  const name = requireNamed(actor);
  let record: GovernanceRecord;
  try {
    record = validateRecord(kind, body, { now, mode: 'create', ...settings });
  } catch (error) {
    if (error instanceof GovernanceValidationError)
      throw new GovernanceRequestError(400, error.problems.join('; '));
    throw error;
  }
  if (await repository.get(record.id))
    throw new GovernanceRequestError(409, `a record with ID ${record.id} already exists`);
  const stored: StoredRecord = {
    record: { ...record, createdBy: name, createdAt: now.toISOString() },
    approval: 'pending',
  };
  await write(repository, {
    recordId: record.id,
    action: 'create',
    actor: name,
    at: now.toISOString(),
    before: null,
    after: stored,
  });
  return stored;
}

/** Approves a pending record: only by someone other than its creator (four eyes). */
export async function approveRecord(
  repository: GovernanceRepository,
  kind: GovernanceKind,
  id: string,
  actor: Actor,
  now: Date,
): Promise<StoredRecord> {
  const name = requireNamed(actor);
  const stored = await existing(repository, kind, id);
  if (stored.approval === 'revoked')
    throw new GovernanceRequestError(409, `${kind} ${id} was revoked and cannot be approved`);
  if (stored.approval === 'approved')
    throw new GovernanceRequestError(409, `${kind} ${id} is already approved`);
  if (sameActor(stored.record.createdBy, name))
    throw new GovernanceRequestError(
      403,
      `${kind} ${id} was created by ${name}; another approver must approve it (four eyes)`,
    );
  if (new Date(stored.record.expires).getTime() <= now.getTime())
    throw new GovernanceRequestError(
      409,
      `${kind} ${id} expired on ${stored.record.expires}; create a new record`,
    );
  const approved = (await repository.list())
    .filter((other) => other.approval === 'approved')
    .map((other) => other.record);
  const ties = findTies([...approved, stored.record], now).filter(
    (tie) => tie.includes(` ${stored.record.id} `) || tie.includes(` ${stored.record.id}:`),
  );
  if (ties.length > 0) throw new GovernanceRequestError(409, ties.join('; '));
  const after: StoredRecord = {
    record: { ...stored.record, approvedBy: name, approvedAt: now.toISOString() },
    approval: 'approved',
  };
  await write(repository, {
    recordId: stored.record.id,
    action: 'approve',
    actor: name,
    at: now.toISOString(),
    before: stored,
    after,
  });
  return after;
}

/** Revokes a record (pending or approved); it then never applies again. */
export async function revokeRecord(
  repository: GovernanceRepository,
  kind: GovernanceKind,
  id: string,
  actor: Actor,
  now: Date,
): Promise<StoredRecord> {
  const name = requireNamed(actor);
  const stored = await existing(repository, kind, id);
  if (stored.approval === 'revoked')
    throw new GovernanceRequestError(409, `${kind} ${id} is already revoked`);
  const after: StoredRecord = {
    record: { ...stored.record, revokedBy: name, revokedAt: now.toISOString() },
    approval: 'revoked',
  };
  await write(repository, {
    recordId: stored.record.id,
    action: 'revoke',
    actor: name,
    at: now.toISOString(),
    before: stored,
    after,
  });
  return after;
}

const contentOf = (record: GovernanceRecord): string => JSON.stringify(toDocumentRecord(record));

export interface ImportOutcome {
  created: string[];
  updated: string[];
  unchanged: string[];
}

/**
 * Loads records of a Git-kept file (already validated) into storage as approved, marked with
 * their source. Idempotent: a record whose content is already stored is left alone. Refused as a
 * whole, before anything is written, when a record would replace a revoked or API-created record,
 * or tie with a stored approved one.
 */
export async function importRecords(
  repository: GovernanceRepository,
  records: readonly GovernanceRecord[],
  source: string,
  actor: Actor,
  now: Date,
): Promise<ImportOutcome> {
  const name = requireNamed(actor);
  const stored = new Map((await repository.list()).map((entry) => [entry.record.id.toLowerCase(), entry]));
  const problems: string[] = [...duplicateIds(records)];
  for (const record of records) {
    const current = stored.get(record.id.toLowerCase());
    if (!current) {
      if (new Date(record.expires).getTime() <= now.getTime())
        problems.push(`${record.id}: expired on ${record.expires}; an expired record is not created`);
      continue;
    }
    if (current.record.kind !== record.kind)
      problems.push(`${record.id}: stored as ${current.record.kind}, the file has a ${record.kind}`);
    else if (current.approval === 'revoked')
      problems.push(`${record.id}: revoked in storage; give the renewed record a new ID`);
    else if (current.record.source === undefined)
      problems.push(`${record.id}: created through the API; the file cannot replace it`);
  }
  const importedIds = new Set(records.map((record) => record.id.toLowerCase()));
  const others = [...stored.values()]
    .filter((entry) => entry.approval === 'approved' && !importedIds.has(entry.record.id.toLowerCase()))
    .map((entry) => entry.record);
  problems.push(...findTies([...others, ...records], now));
  if (problems.length > 0) throw new GovernanceValidationError(problems);
  const outcome: ImportOutcome = { created: [], updated: [], unchanged: [] };
  for (const record of records) {
    const current = stored.get(record.id.toLowerCase()) ?? null;
    if (current && current.approval === 'approved' && contentOf(current.record) === contentOf(record)) {
      outcome.unchanged.push(record.id);
      continue;
    }
    const after: StoredRecord = {
      record: {
        ...record,
        source,
        createdBy: name,
        createdAt: now.toISOString(),
        approvedBy: `review of ${source}`,
        approvedAt: now.toISOString(),
      },
      approval: 'approved',
    };
    await write(repository, {
      recordId: record.id,
      action: 'import',
      actor: name,
      at: now.toISOString(),
      before: current,
      after,
    });
    (current ? outcome.updated : outcome.created).push(record.id);
  }
  return outcome;
}

/** The records a scan considers: every stored one, applied only when approved and unexpired. */
export async function recordsForScan(repository: GovernanceRepository): Promise<ActiveRecord[]> {
  return (await repository.list()).map(({ record, approval }) => ({ record, approval }));
}
