import { CONTROLS } from '../catalog/controls.js';
import { CLUSTER_KINDS, CONTROL_IDS, type ClusterKind, type ControlId } from '../catalog/types.js';
import { resourceGroupOf, subscriptionOf, typeOfId } from '../inventory/resourceId.js';
import {
  DEFAULT_MAX_ATTESTATION_DAYS,
  DEFAULT_MAX_EXCEPTION_DAYS,
  type EvidenceLink,
  type ExceptionRecord,
  type GovernanceKind,
  type GovernanceRecord,
  type GovernanceScope,
} from './records.js';
import { RANK_NAMES, scopeRank, scopesOverlap } from './scopeMatch.js';

/** Every problem of a governance document or record, each naming the record and field. */
export class GovernanceValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid governance records:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'GovernanceValidationError';
  }
}

export interface ValidationOptions {
  /** The time records are judged against. */
  now: Date;
  maxExceptionDays?: number;
  maxAttestationDays?: number;
  /**
   * `create`: a new record, whose expiry must be in the future. `load`: a record kept in Git or
   * storage, which may have expired since (it is then listed as expired, never applied).
   */
  mode: 'create' | 'load';
}

const DAY_MS = 86_400_000;
/** A stored record is one table property (at most 32K characters); leave room for provenance. */
const MAX_RECORD_CHARS = 30_000;
const RECORD_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const RESOURCE_GROUP_ID = /^\/subscriptions\/[^/]+\/resourceGroups\/[-\w.()]{1,90}$/i;
const SHA256 = /^[0-9a-f]{64}$/i;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const CONTROL_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const CLUSTER_TYPES = new Set([
  'microsoft.kubernetes/connectedclusters',
  'microsoft.containerservice/managedclusters',
]);

const FIELDS: Record<GovernanceKind, { required: string[]; optional: string[] }> = {
  exception: {
    required: ['id', 'control', 'scope', 'owner', 'justification', 'expires'],
    optional: ['ticket'],
  },
  attestation: {
    required: [
      'id',
      'control',
      'scope',
      'result',
      'attestedBy',
      'statement',
      'evidence',
      'attestedAt',
      'expires',
    ],
    optional: [],
  },
};
const SCOPE_FIELDS = ['clusters', 'resourceGroups', 'subscriptions', 'kinds'];

/** Controls whose catalog outcomes include MANUAL for some kind: the only ones a person attests. */
export const ATTESTABLE_CONTROLS: ReadonlySet<ControlId> = new Set(
  CONTROLS.filter((control) =>
    Object.values(control.outcomes).some((outcomes) => outcomes.includes('MANUAL')),
  ).map((control) => control.id),
);

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Collects the problems of one record while reading its fields. */
class RecordReader {
  readonly problems: string[] = [];
  constructor(
    readonly label: string,
    readonly raw: Record<string, unknown>,
  ) {}

  fail(field: string, message: string): void {
    this.problems.push(`${this.label}: ${field} ${message}`);
  }

  text(field: string, max: number, optional = false, multiline = false): string | undefined {
    const value = this.raw[field];
    if (value === undefined || value === null) {
      if (!optional) this.fail(field, 'is required');
      return undefined;
    }
    if (typeof value !== 'string') return (this.fail(field, 'must be text'), undefined);
    const trimmed = value.trim();
    if (trimmed === '') return optional ? undefined : (this.fail(field, 'must not be empty'), undefined);
    if (trimmed.length > max) return (this.fail(field, `must be at most ${max} characters`), undefined);
    if (CONTROL_CHARS.test(trimmed) || (!multiline && /[\r\n]/.test(trimmed)))
      return (this.fail(field, 'must not contain control characters'), undefined);
    return trimmed;
  }

  time(field: string): Date | undefined {
    const value = this.raw[field];
    const text = value instanceof Date ? value.toISOString() : value;
    if (text === undefined || text === null) return (this.fail(field, 'is required'), undefined);
    const parsed = typeof text === 'string' && ISO_TIME.test(text.trim()) ? new Date(text.trim()) : undefined;
    if (!parsed || Number.isNaN(parsed.getTime()))
      return (this.fail(field, `must be an ISO-8601 date or time, got ${JSON.stringify(text)}`), undefined);
    return parsed;
  }
}

function checkFields(
  reader: RecordReader,
  allowed: string[],
  context: string,
  raw: Record<string, unknown>,
): void {
  for (const key of Object.keys(raw))
    if (!allowed.includes(key))
      reader.fail(`${context}${key}`, `is not a known field (allowed: ${allowed.join(', ')})`);
}

function readIdList(
  reader: RecordReader,
  raw: Record<string, unknown>,
  field: string,
  valid: (value: string) => boolean,
  what: string,
): string[] | undefined {
  const value = raw[field];
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) return (reader.fail(`scope.${field}`, 'must be a list'), undefined);
  const result: string[] = [];
  value.forEach((item, index) => {
    const text = typeof item === 'string' ? item.trim().replace(/\/+$/, '') : undefined;
    if (text === undefined || !valid(text))
      reader.fail(`scope.${field}[${index}]`, `must be ${what}, got ${JSON.stringify(item)}`);
    else result.push(text);
  });
  return result.length > 0 ? result : undefined;
}

const validClusterId = (id: string): boolean =>
  CLUSTER_TYPES.has(typeOfId(id) ?? '') &&
  GUID.test(subscriptionOf(id) ?? '') &&
  resourceGroupOf(id) !== undefined &&
  /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/[^/]+\/[^/]+\/[^/]+$/i.test(id);

function readScope(reader: RecordReader): GovernanceScope | undefined {
  const raw = reader.raw.scope;
  if (raw === undefined) return (reader.fail('scope', 'is required'), undefined);
  if (!isObject(raw)) return (reader.fail('scope', 'must be an object'), undefined);
  checkFields(reader, SCOPE_FIELDS, 'scope.', raw);
  const scope: GovernanceScope = {};
  const clusters = readIdList(
    reader,
    raw,
    'clusters',
    validClusterId,
    'a connectedClusters or managedClusters resource ID',
  );
  const resourceGroups = readIdList(
    reader,
    raw,
    'resourceGroups',
    (id) => RESOURCE_GROUP_ID.test(id) && GUID.test(subscriptionOf(id) ?? ''),
    'a resource group ID (/subscriptions/{id}/resourceGroups/{name})',
  );
  const subscriptions = readIdList(
    reader,
    raw,
    'subscriptions',
    (id) => GUID.test(id),
    'a subscription ID (GUID)',
  );
  const kinds = readIdList(
    reader,
    raw,
    'kinds',
    (kind) => (CLUSTER_KINDS as readonly string[]).includes(kind),
    `one of ${CLUSTER_KINDS.join(', ')}`,
  ) as ClusterKind[] | undefined;
  if (clusters) scope.clusters = clusters;
  if (resourceGroups) scope.resourceGroups = resourceGroups;
  if (subscriptions) scope.subscriptions = subscriptions;
  if (kinds) scope.kinds = [...new Set(kinds)];
  if (
    !clusters &&
    !resourceGroups &&
    !subscriptions &&
    !kinds &&
    reader.problems.every((p) => !p.includes('scope.'))
  )
    reader.fail('scope', 'must name at least one cluster, resource group, subscription or kind');
  return scope;
}

function readEvidence(reader: RecordReader): EvidenceLink[] | undefined {
  const raw = reader.raw.evidence;
  if (raw === undefined || raw === null) return (reader.fail('evidence', 'is required'), undefined);
  if (!Array.isArray(raw) || raw.length === 0)
    return (
      reader.fail('evidence', 'must be a non-empty list of {title, url} or {title, sha256}'),
      undefined
    );
  if (raw.length > 50) return (reader.fail('evidence', 'must have at most 50 items'), undefined);
  const links: EvidenceLink[] = [];
  raw.forEach((item, index) => {
    const field = `evidence[${index}]`;
    if (!isObject(item)) return reader.fail(field, 'must be an object {title, url} or {title, sha256}');
    checkFields(reader, ['title', 'url', 'sha256'], `${field}.`, item);
    const title = typeof item.title === 'string' ? item.title.trim() : '';
    if (title === '' || title.length > 300 || CONTROL_CHARS.test(title) || /[\r\n]/.test(title))
      reader.fail(`${field}.title`, 'is required (one line, at most 300 characters)');
    const link: EvidenceLink = { title };
    if (item.url !== undefined) {
      let url: URL | undefined;
      try {
        url = typeof item.url === 'string' && item.url.length <= 2048 ? new URL(item.url) : undefined;
      } catch {
        url = undefined;
      }
      if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password)
        reader.fail(
          `${field}.url`,
          `must be an http(s) URL without credentials, got ${JSON.stringify(item.url)}`,
        );
      else link.url = url.href;
    }
    if (item.sha256 !== undefined) {
      if (typeof item.sha256 !== 'string' || !SHA256.test(item.sha256))
        reader.fail(`${field}.sha256`, 'must be 64 hexadecimal digits');
      else link.sha256 = item.sha256.toLowerCase();
    }
    if (item.url === undefined && item.sha256 === undefined) reader.fail(field, 'needs a url or a sha256');
    links.push(link);
  });
  return links;
}

function readRecord(
  kind: GovernanceKind,
  raw: unknown,
  label: string,
  options: ValidationOptions,
): { record?: GovernanceRecord; problems: string[] } {
  if (!isObject(raw)) return { problems: [`${label}: must be an object`] };
  const id = typeof raw.id === 'string' ? raw.id.trim() : undefined;
  const reader = new RecordReader(id && RECORD_ID.test(id) ? `${label} (${id})` : label, raw);
  const fields = FIELDS[kind];
  checkFields(reader, [...fields.required, ...fields.optional], '', raw);
  if (!id || !RECORD_ID.test(id))
    reader.fail(
      'id',
      `must be 1-64 letters, digits, dots, dashes or underscores, got ${JSON.stringify(raw.id)}`,
    );
  const control = raw.control;
  if (control === undefined) reader.fail('control', 'is required');
  else if (typeof control !== 'string' || !(CONTROL_IDS as readonly string[]).includes(control.trim()))
    reader.fail('control', `must be one of ${CONTROL_IDS.join(', ')}, got ${JSON.stringify(control)}`);
  const controlId = typeof control === 'string' ? (control.trim() as ControlId) : undefined;
  const scope = readScope(reader);
  const expires = reader.time('expires');
  const now = options.now.getTime();
  if (expires && options.mode === 'create' && expires.getTime() <= now)
    reader.fail(
      'expires',
      `is in the past (${expires.toISOString()}); a new record must expire in the future`,
    );
  let record: GovernanceRecord | undefined;
  if (kind === 'exception') {
    const owner = reader.text('owner', 200);
    const justification = reader.text('justification', 4000, false, true);
    const ticket = reader.text('ticket', 200, true);
    const max = options.maxExceptionDays ?? DEFAULT_MAX_EXCEPTION_DAYS;
    if (expires && expires.getTime() - now > max * DAY_MS)
      reader.fail('expires', `is more than ${max} days away (maxExceptionDays)`);
    if (id && controlId && scope && expires && owner && justification && reader.problems.length === 0) {
      const exception: ExceptionRecord = {
        kind,
        id,
        controlId,
        scope,
        owner,
        justification,
        expires: expires.toISOString(),
      };
      if (ticket) exception.ticket = ticket;
      record = exception;
    }
  } else {
    if (
      controlId &&
      (CONTROL_IDS as readonly string[]).includes(controlId) &&
      !ATTESTABLE_CONTROLS.has(controlId)
    )
      reader.fail('control', `${controlId} has no MANUAL outcome in the catalog; there is nothing to attest`);
    const result = raw.result;
    if (result !== 'PASS' && result !== 'FAIL')
      reader.fail('result', `must be PASS or FAIL, got ${JSON.stringify(result)}`);
    const attestedBy = reader.text('attestedBy', 200);
    const statement = reader.text('statement', 4000, false, true);
    const evidence = readEvidence(reader);
    const attestedAt = reader.time('attestedAt');
    const max = options.maxAttestationDays ?? DEFAULT_MAX_ATTESTATION_DAYS;
    if (attestedAt && attestedAt.getTime() > now + 5 * 60_000) reader.fail('attestedAt', 'is in the future');
    if (attestedAt && expires && expires.getTime() <= attestedAt.getTime())
      reader.fail('expires', 'must be after attestedAt');
    if (attestedAt && expires && expires.getTime() - attestedAt.getTime() > max * DAY_MS)
      reader.fail('expires', `is more than ${max} days after attestedAt (maxAttestationDays)`);
    if (
      id &&
      controlId &&
      scope &&
      expires &&
      attestedBy &&
      statement &&
      evidence &&
      attestedAt &&
      reader.problems.length === 0
    )
      record = {
        kind,
        id,
        controlId,
        scope,
        result: result as 'PASS' | 'FAIL',
        attestedBy,
        statement,
        evidence,
        attestedAt: attestedAt.toISOString(),
        expires: expires.toISOString(),
      };
  }
  if (record && JSON.stringify(record).length > MAX_RECORD_CHARS) {
    reader.fail(
      'record',
      `is larger than ${MAX_RECORD_CHARS} characters as JSON; shorten the texts or link the evidence`,
    );
    record = undefined;
  }
  return { record, problems: reader.problems };
}

/**
 * Records that could both match one finding at the same scope rank: the narrower scope decides
 * between records, so two equally narrow ones would leave the outcome to chance.
 */
export function findTies(records: readonly GovernanceRecord[], now: Date): string[] {
  const live = records.filter((record) => new Date(record.expires).getTime() > now.getTime());
  const problems: string[] = [];
  for (let i = 0; i < live.length; i++) {
    for (let j = i + 1; j < live.length; j++) {
      const a = live[i];
      const b = live[j];
      if (!a || !b || a.controlId !== b.controlId) continue;
      const rank = scopeRank(a.scope);
      if (rank !== scopeRank(b.scope) || !scopesOverlap(a.scope, b.scope)) continue;
      problems.push(
        `${a.kind} ${a.id} and ${b.kind} ${b.id}: both cover ${a.controlId} at ${RANK_NAMES[rank]} scope for the same clusters; narrow one of them or merge them`,
      );
    }
  }
  return problems;
}

/** Validates one record of a kind (as the API receives it); throws with every problem. */
export function validateRecord(
  kind: GovernanceKind,
  raw: unknown,
  options: ValidationOptions,
): GovernanceRecord {
  const { record, problems } = readRecord(kind, raw, kind, options);
  if (!record || problems.length > 0) throw new GovernanceValidationError(problems);
  return record;
}

/** Validates a document `{ exceptions: [...], attestations: [...] }`; throws with every problem. */
export function validateGovernanceDocument(raw: unknown, options: ValidationOptions): GovernanceRecord[] {
  if (!isObject(raw))
    throw new GovernanceValidationError([
      'the document must be an object { "exceptions": [...], "attestations": [...] }',
    ]);
  const problems: string[] = [];
  for (const key of Object.keys(raw))
    if (key !== 'exceptions' && key !== 'attestations')
      problems.push(`${key}: is not a known field (allowed: exceptions, attestations)`);
  const records: GovernanceRecord[] = [];
  for (const [field, kind] of [
    ['exceptions', 'exception'],
    ['attestations', 'attestation'],
  ] as const) {
    const list = raw[field] ?? [];
    if (!Array.isArray(list)) {
      problems.push(`${field}: must be a list`);
      continue;
    }
    list.forEach((item, index) => {
      const outcome = readRecord(kind, item, `${field}[${index}]`, options);
      problems.push(...outcome.problems);
      if (outcome.record) records.push(outcome.record);
    });
  }
  problems.push(...duplicateIds(records));
  if (problems.length === 0) problems.push(...findTies(records, options.now));
  if (problems.length > 0) throw new GovernanceValidationError(problems);
  return records;
}

export function duplicateIds(records: readonly GovernanceRecord[]): string[] {
  const seen = new Map<string, number>();
  for (const record of records)
    seen.set(record.id.toLowerCase(), (seen.get(record.id.toLowerCase()) ?? 0) + 1);
  return [...seen]
    .filter(([, count]) => count > 1)
    .map(([id]) => `id ${id}: used by ${seen.get(id)} records; IDs must be unique`);
}
