import type { ApprovalState, GovernanceRecord } from './records.js';

/** A record as kept in storage: its content (with provenance) and where it stands. */
export interface StoredRecord {
  record: GovernanceRecord;
  approval: ApprovalState;
  /** Opaque concurrency token of the stored version; a change to an outdated version is refused. */
  etag?: string;
  /** Number of changes so far (1 after creation); audit entries are numbered by it. */
  version?: number;
}

export type AuditAction = 'create' | 'approve' | 'revoke' | 'import';

/** One change of a record: who, when, what it was before and after. */
export interface AuditEntry {
  recordId: string;
  action: AuditAction;
  actor: string;
  at: string;
  before: StoredRecord | null;
  after: StoredRecord;
}

/** Raised when the stored version changed since it was read (or a new ID already exists). */
export class RecordConflictError extends Error {
  override readonly name = 'RecordConflictError';
}

/** Where governance records and their audit trail live; storage implements it. */
export interface GovernanceRepository {
  get(id: string): Promise<StoredRecord | undefined>;
  list(): Promise<StoredRecord[]>;
  /**
   * Writes `change.after` (a new record when `change.before` is null, else replacing the version
   * read) and appends the audit entry; either both are kept or neither.
   */
  write(change: AuditEntry): Promise<void>;
  audit(id: string): Promise<AuditEntry[]>;
}
