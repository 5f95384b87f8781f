import type { Finding, Status } from '../catalog/types.js';
import {
  EFFECTIVE_STATUSES,
  type ActiveRecord,
  type EffectiveCounts,
  type EffectiveStatus,
  type FindingGovernance,
  type GovernanceRecord,
  type RecordState,
  type RunGovernanceEntry,
} from './records.js';
import { RANK_NAMES, scopeMatches, scopeRank } from './scopeMatch.js';

/** A finding with its observed `status` untouched and the verdict after governance. */
export type GovernedFinding<F extends Finding = Finding> = F & {
  effectiveStatus: EffectiveStatus;
  governance?: FindingGovernance;
};

export interface GovernanceOutcome<F extends Finding = Finding> {
  findings: GovernedFinding<F>[];
  effectiveCounts: EffectiveCounts;
  effectiveScore: number;
  governance: RunGovernanceEntry[];
}

/** Two records of equal rank matched one finding: the records are ambiguous. */
export class GovernanceConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GovernanceConflictError';
  }
}

export function emptyEffectiveCounts(): EffectiveCounts {
  return Object.fromEntries(EFFECTIVE_STATUSES.map((status) => [status, 0])) as EffectiveCounts;
}

/**
 * PASS / (PASS + FAIL + MANUAL + ERROR) over effective verdicts: EXCEPTED and NOT_APPLICABLE
 * leave the denominator, attested findings count as their result; 0 when nothing counts.
 */
export function effectiveScoreOf(counts: EffectiveCounts): number {
  const denominator = counts.PASS + counts.FAIL + counts.MANUAL + counts.ERROR;
  return denominator === 0 ? 0 : counts.PASS / denominator;
}

/** Why a matching record cannot change this observed verdict, or undefined when it can. */
function refusal(record: GovernanceRecord, status: Status): string | undefined {
  if (record.kind === 'exception') {
    if (status === 'FAIL' || status === 'MANUAL') return undefined;
    if (status === 'ERROR') return 'the finding is ERROR: a failed read is fixed, not accepted';
    return `the finding is ${status}; an exception applies to FAIL or MANUAL only`;
  }
  if (status === 'MANUAL') return undefined;
  if (status === 'NOT_APPLICABLE') return 'the control does not apply to this cluster';
  return `the observed ${status} wins over an attestation, which applies to MANUAL findings only`;
}

export interface ApplyGovernanceOptions {
  /** The run's as-of time: a record expiring at or before it does not apply. */
  asOf: Date;
  /** Whether the run read everything; only then is a record that matched nothing "unused". */
  complete: boolean;
}

/** What governance did so far: counts of effective verdicts and, per record ID, findings applied or ignored. */
export interface GovernanceTally {
  effectiveCounts: EffectiveCounts;
  applied: Record<string, number>;
  ignored: Record<string, number>;
}

export function emptyGovernanceTally(): GovernanceTally {
  // Keyed by record ID: no prototype, so no ID can reach Object.prototype.
  return {
    effectiveCounts: emptyEffectiveCounts(),
    applied: Object.create(null) as Record<string, number>,
    ignored: Object.create(null) as Record<string, number>,
  };
}

/** Adds `from` into `into` (tallies of different parts of one run). */
export function mergeGovernanceTally(into: GovernanceTally, from: GovernanceTally): void {
  for (const status of EFFECTIVE_STATUSES) into.effectiveCounts[status] += from.effectiveCounts[status];
  for (const [id, count] of Object.entries(from.applied)) into.applied[id] = (into.applied[id] ?? 0) + count;
  for (const [id, count] of Object.entries(from.ignored)) into.ignored[id] = (into.ignored[id] ?? 0) + count;
}

const isExpiredAt =
  (asOf: Date) =>
  (record: GovernanceRecord): boolean =>
    new Date(record.expires).getTime() <= asOf.getTime();

/**
 * The rule engine, a part of a run at a time: gives each finding its effective verdict from the
 * approved, unexpired records that match it (the narrowest scope wins) and adds what each record
 * did to `tally`. Never changes `status`. Pure apart from the tally it is given.
 */
export function governFindings<F extends Finding>(
  findings: readonly F[],
  records: readonly ActiveRecord[],
  asOf: Date,
  tally: GovernanceTally,
): GovernedFinding<F>[] {
  const isExpired = isExpiredAt(asOf);
  const live = records.filter((entry) => entry.approval === 'approved' && !isExpired(entry.record));
  const byControl = new Map<string, GovernanceRecord[]>();
  for (const { record } of live) {
    const list = byControl.get(record.controlId) ?? [];
    list.push(record);
    byControl.set(record.controlId, list);
  }
  const { applied, ignored, effectiveCounts: counts } = tally;
  return findings.map((finding): GovernedFinding<F> => {
    const matching = (byControl.get(finding.controlId) ?? []).filter((record) =>
      scopeMatches(record.scope, finding),
    );
    const usable = matching.filter((record) => refusal(record, finding.status) === undefined);
    const rejected = matching.flatMap((record) => {
      const reason = refusal(record, finding.status);
      return reason === undefined ? [] : [{ id: record.id, reason }];
    });
    let winner: GovernanceRecord | undefined;
    for (const record of usable) {
      if (!winner || scopeRank(record.scope) < scopeRank(winner.scope)) winner = record;
      else if (scopeRank(record.scope) === scopeRank(winner.scope))
        throw new GovernanceConflictError(
          `${winner.id} and ${record.id} both apply to ${finding.controlId} on ${finding.clusterId} at ${RANK_NAMES[scopeRank(record.scope)]} scope`,
        );
    }
    let effectiveStatus: EffectiveStatus = finding.status;
    const governance: FindingGovernance = {};
    if (winner) {
      applied[winner.id] = (applied[winner.id] ?? 0) + 1;
      governance.expires = winner.expires;
      if (winner.kind === 'exception') {
        governance.exceptionId = winner.id;
        effectiveStatus = 'EXCEPTED';
      } else {
        governance.attestationId = winner.id;
        effectiveStatus = winner.result;
      }
    }
    if (rejected.length > 0) {
      governance.ignored = rejected;
      for (const record of rejected) ignored[record.id] = (ignored[record.id] ?? 0) + 1;
    }
    counts[effectiveStatus]++;
    const result = { ...finding, effectiveStatus } as GovernedFinding<F>;
    if (winner || rejected.length > 0) result.governance = governance;
    return result;
  });
}

/** What each record did over the whole run, from the run's tally. */
export function governanceEntries(
  records: readonly ActiveRecord[],
  tally: GovernanceTally,
  options: ApplyGovernanceOptions,
): RunGovernanceEntry[] {
  const isExpired = isExpiredAt(options.asOf);
  return records.map(({ record, approval }): RunGovernanceEntry => {
    const findingsApplied = tally.applied[record.id] ?? 0;
    const findingsIgnored = tally.ignored[record.id] ?? 0;
    let state: RecordState;
    if (approval === 'revoked') state = 'revoked';
    else if (approval === 'pending') state = 'pending';
    else if (isExpired(record)) state = 'expired';
    else if (findingsApplied > 0) state = 'applied';
    else if (findingsIgnored > 0) state = 'ignored';
    else state = options.complete ? 'unused' : 'unmatched';
    return {
      id: record.id,
      kind: record.kind,
      controlId: record.controlId,
      state,
      findingsApplied,
      findingsIgnored,
      expires: record.expires,
      record,
    };
  });
}

/**
 * The rule engine over a whole run: gives each finding its effective verdict from the approved,
 * unexpired records that match it (the narrowest scope wins), and reports what each record did.
 * Never changes `status`. Pure: the same findings and records always give the same outcome.
 */
export function applyGovernance<F extends Finding>(
  findings: readonly F[],
  records: readonly ActiveRecord[],
  options: ApplyGovernanceOptions,
): GovernanceOutcome<F> {
  const tally = emptyGovernanceTally();
  const governed = governFindings(findings, records, options.asOf, tally);
  return {
    findings: governed,
    effectiveCounts: tally.effectiveCounts,
    effectiveScore: effectiveScoreOf(tally.effectiveCounts),
    governance: governanceEntries(records, tally, options),
  };
}
