import type { Evidence, EvidenceCheck, Status } from '../catalog/types.js';
import { observedValue } from './valueText.js';

/** What an evaluator decides for one cluster and one control. */
export interface Verdict {
  status: Status;
  reason: string;
  evidence: Evidence;
}

export interface EvidenceParts {
  checks?: EvidenceCheck[];
  extraSourceIds?: string[];
  inferred?: boolean;
  verification?: string;
  notes?: string[];
}

/** Builds evidence; source IDs are derived from the checks so they never disagree. */
export function evidence(parts: EvidenceParts = {}): Evidence {
  const checks = parts.checks ?? [];
  const sourceIds = [
    ...new Set([...checks.map((check) => check.source), ...(parts.extraSourceIds ?? [])]),
  ].filter((id) => id !== '');
  const result: Evidence = { checks, sourceIds, stale: false, inferred: parts.inferred ?? false };
  if (parts.verification !== undefined) result.verification = parts.verification;
  if (parts.notes !== undefined && parts.notes.length > 0) result.notes = parts.notes;
  return result;
}

export function verdict(status: Status, reason: string, parts?: EvidenceParts): Verdict {
  return { status, reason, evidence: evidence(parts) };
}

export function check(source: string, path: string, observed: unknown, expected: string): EvidenceCheck {
  return { source, path, observed: observedValue(observed), expected };
}

/** Joins items as prose: "a", "a and b", "a, b and c". */
export function listProse(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
