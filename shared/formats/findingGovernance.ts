import { STATUSES, type Finding, type Status } from '../catalog/types.js';

/**
 * What the interchange formats need from the governance a finding carries (an accepted-risk
 * exception or a person's attestation). Findings written before governance existed carry none;
 * anything malformed is ignored rather than guessed at, so a format never claims a record that is
 * not there.
 */
export type EffectiveStatus = Status | 'EXCEPTED';

export interface AppliedException {
  id: string;
  owner?: string;
  justification?: string;
  ticket?: string;
  expires?: string;
}

export interface AttestationEvidence {
  title: string;
  url?: string;
  sha256?: string;
}

export interface AppliedAttestation {
  id: string;
  result?: 'PASS' | 'FAIL';
  attestedBy?: string;
  attestedAt?: string;
  statement?: string;
  expires?: string;
  evidence: AttestationEvidence[];
}

export interface FindingGovernance {
  effectiveStatus: EffectiveStatus;
  exception?: AppliedException;
  attestation?: AppliedAttestation;
}

type Loose = Record<string, unknown>;

const isObject = (value: unknown): value is Loose =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function text(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

function time(value: unknown): string | undefined {
  const candidate = text(value);
  if (!candidate || !/^\d{4}-\d{2}-\d{2}/.test(candidate)) return undefined;
  const date = new Date(candidate);
  if (Number.isNaN(date.getTime())) return undefined;
  const year = date.getUTCFullYear();
  // Outside 1900–2999 a date is a typo, and OSCAL's date-time type does not admit it.
  return year >= 1900 && year <= 2999 ? date.toISOString() : undefined;
}

/** An http(s) URL in its normalised (percent-encoded) form, or undefined. */
function httpUrl(value: string): string | undefined {
  try {
    const url = new URL(value);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
    if (url.username || url.password) return undefined;
    return url.href;
  } catch {
    return undefined;
  }
}

function evidenceList(value: unknown): AttestationEvidence[] {
  if (!Array.isArray(value)) return [];
  const items: AttestationEvidence[] = [];
  for (const entry of value) {
    if (!isObject(entry)) continue;
    const url = text(entry.url);
    const sha256 = text(entry.sha256);
    const validUrl = url === undefined ? undefined : httpUrl(url);
    const validSha =
      sha256 !== undefined && /^[0-9a-f]{64}$/i.test(sha256) ? sha256.toLowerCase() : undefined;
    if (!validUrl && !validSha) continue;
    items.push({
      title: text(entry.title) ?? validUrl ?? 'evidence',
      ...(validUrl ? { url: validUrl } : {}),
      ...(validSha ? { sha256: validSha } : {}),
    });
  }
  return items;
}

/** Record fields may sit on the governance object itself or in a nested `exception`/`attestation`. */
function recordFields(governance: Loose, nested: string, idKey: string): Loose | undefined {
  const inner = isObject(governance[nested]) ? (governance[nested] as Loose) : undefined;
  const id = text(governance[idKey]) ?? text(inner?.id) ?? text(inner?.[idKey]);
  if (!id) return undefined;
  return { ...governance, ...(inner ?? {}), id };
}

function exceptionOf(governance: Loose, records: GovernanceRecords): AppliedException | undefined {
  const fields = recordFields(governance, 'exception', 'exceptionId');
  if (!fields) return undefined;
  const id = fields.id as string;
  const record = records.get(id) ?? {};
  const pick = (key: string): string | undefined => text(fields[key]) ?? text(record[key]);
  const expires = time(fields.expires) ?? time(record.expires);
  return {
    id,
    ...optional('owner', pick('owner')),
    ...optional('justification', pick('justification')),
    ...optional('ticket', pick('ticket')),
    ...optional('expires', expires),
  };
}

function attestationOf(governance: Loose, records: GovernanceRecords): AppliedAttestation | undefined {
  const fields = recordFields(governance, 'attestation', 'attestationId');
  if (!fields) return undefined;
  const id = fields.id as string;
  const record = records.get(id) ?? {};
  const pick = (key: string): string | undefined => text(fields[key]) ?? text(record[key]);
  const result = pick('result');
  return {
    id,
    ...(result === 'PASS' || result === 'FAIL' ? { result } : {}),
    ...optional('attestedBy', pick('attestedBy')),
    ...optional('attestedAt', time(fields.attestedAt) ?? time(record.attestedAt)),
    ...optional('statement', pick('statement')),
    ...optional('expires', time(fields.expires) ?? time(record.expires)),
    evidence: evidenceList(fields.evidence ?? record.evidence),
  };
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}

/** Governance records of a run by ID (from `run.governance`, when the run lists full records). */
export type GovernanceRecords = ReadonlyMap<string, Loose>;

export function governanceRecords(run: unknown): GovernanceRecords {
  const records = new Map<string, Loose>();
  const list = isObject(run) ? run.governance : undefined;
  const entries = Array.isArray(list)
    ? list
    : isObject(list) && Array.isArray(list.records)
      ? list.records
      : [];
  for (const entry of entries as unknown[]) {
    if (!isObject(entry)) continue;
    // A run lists each record with its outcome, the record itself under `record`.
    const merged = isObject(entry.record) ? { ...entry, ...entry.record } : entry;
    const id = text(merged.id) ?? text(merged.exceptionId) ?? text(merged.attestationId);
    if (id) records.set(id, merged);
  }
  return records;
}

const EFFECTIVE: readonly string[] = [...STATUSES, 'EXCEPTED'];

/** The governance a finding carries, tolerant of its absence and of malformed fields. */
export function findingGovernance(
  finding: Finding,
  records: GovernanceRecords = new Map(),
): FindingGovernance {
  const loose = finding as unknown as Loose;
  const declared = loose.effectiveStatus;
  const governance = isObject(loose.governance) ? loose.governance : undefined;
  const exception = governance ? exceptionOf(governance, records) : undefined;
  const attestation = governance ? attestationOf(governance, records) : undefined;
  let effectiveStatus: EffectiveStatus =
    typeof declared === 'string' && EFFECTIVE.includes(declared)
      ? (declared as EffectiveStatus)
      : finding.status;
  // A record never turns an observed verdict into something it cannot be: exceptions cover FAIL
  // and MANUAL, attestations cover MANUAL only.
  if (
    effectiveStatus === 'EXCEPTED' &&
    !(exception && (finding.status === 'FAIL' || finding.status === 'MANUAL'))
  )
    effectiveStatus = finding.status;
  if (finding.status !== 'MANUAL' && effectiveStatus !== finding.status && effectiveStatus !== 'EXCEPTED')
    effectiveStatus = finding.status;
  return {
    effectiveStatus,
    ...(exception && effectiveStatus === 'EXCEPTED' ? { exception } : {}),
    ...(attestation && finding.status === 'MANUAL' && effectiveStatus !== 'EXCEPTED' ? { attestation } : {}),
  };
}
