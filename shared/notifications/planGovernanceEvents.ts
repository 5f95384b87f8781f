import { createHash } from 'node:crypto';

import { controlById } from '../catalog/controls.js';
import type { RecordState, RunGovernanceEntry } from '../governance/records.js';
import type { EventRun, GovernanceEvent, GovernanceEventType } from './events.js';
import { limitText } from './textLimit.js';

const DAY_MS = 86_400_000;
const SUMMARY_CHARS = 2_000;
const OWNER_CHARS = 300;

/** States of an approved record still in force: these can be warned about before expiry. */
const LIVE: ReadonlySet<RecordState> = new Set(['applied', 'unused', 'unmatched', 'ignored']);

/** The threshold a notice is for: `{N}d` before expiry (N = the notice period) or `expired`. */
export type NoticeThreshold = `${number}d` | 'expired';

/** One notice, as the notice ledger keys it: a renewed record (new expiry) can be warned again. */
export interface GovernanceNotice {
  recordId: string;
  threshold: NoticeThreshold;
  expires: string;
}

/** The ledger key of a notice: SHA-256 of record ID, threshold and expiry (record IDs keep their case). */
export function noticeKey(notice: GovernanceNotice): string {
  return createHash('sha256')
    .update(JSON.stringify([notice.recordId, notice.threshold, notice.expires]))
    .digest('hex');
}

/** The event ID of a notice: the same in every run, so a retry or a second scope cannot send it twice. */
function noticeEventId(type: GovernanceEventType, notice: GovernanceNotice): string {
  return `governance.${type === 'governance.expired' ? 'expired' : 'expiring'}.${noticeKey(notice).slice(0, 32)}`;
}

export interface PlanGovernanceInput {
  run: EventRun;
  governance: readonly RunGovernanceEntry[];
  /** GOVERNANCE_EXPIRY_NOTICE_DAYS. */
  noticeDays: number;
  /** Keys ({@link noticeKey}) already notified by an earlier run. */
  notified: ReadonlySet<string>;
  reportLinks?: Record<string, string>;
}

function consequence(entry: RunGovernanceEntry, expired: boolean): string {
  const verb = expired ? 'no longer applies' : 'stops applying at expiry';
  return entry.kind === 'exception'
    ? `The exception ${verb}: findings it covered count with their observed status again ` +
        '(a failing finding reopens its ticket) unless the exception is renewed and approved.'
    : `The attestation ${verb}: findings it covered return to their observed status (MANUAL) ` +
        'unless a new attestation is recorded and approved.';
}

/**
 * The governance events of a run, pure: `governance.expiring` once per approved record whose
 * expiry falls within `noticeDays` after the run's as-of time, `governance.expired` once per
 * record the run found expired; notices already in `notified` are not planned again. Revoked
 * and pending records get none. Sorted by event ID.
 */
export function planGovernanceEvents(input: PlanGovernanceInput): Array<{
  event: GovernanceEvent;
  notice: GovernanceNotice;
}> {
  const asOf = Date.parse(input.run.asOf);
  const planned: Array<{ event: GovernanceEvent; notice: GovernanceNotice }> = [];
  const seen = new Set<string>();
  for (const entry of input.governance) {
    const expiresAt = Date.parse(entry.expires);
    if (!Number.isFinite(expiresAt) || !Number.isFinite(asOf)) continue;
    const left = expiresAt - asOf;
    let type: GovernanceEventType;
    if (entry.state === 'expired' || (LIVE.has(entry.state) && left <= 0)) type = 'governance.expired';
    else if (LIVE.has(entry.state) && left <= input.noticeDays * DAY_MS) type = 'governance.expiring';
    else continue;
    const notice: GovernanceNotice = {
      recordId: entry.id,
      threshold: type === 'governance.expired' ? 'expired' : `${input.noticeDays}d`,
      expires: entry.expires,
    };
    const key = noticeKey(notice);
    if (input.notified.has(key) || seen.has(key)) continue;
    seen.add(key);
    const record = entry.record;
    const exception = record.kind === 'exception' ? record : undefined;
    const attestation = record.kind === 'attestation' ? record : undefined;
    planned.push({
      notice,
      event: {
        id: noticeEventId(type, notice),
        type,
        timestamp: input.run.asOf,
        data: {
          dedupeKey: `governance|${entry.id}`,
          run: input.run,
          recordId: entry.id,
          kind: entry.kind,
          controlId: entry.controlId,
          controlTitle: controlById(entry.controlId).title,
          owner: limitText(exception?.owner ?? attestation?.attestedBy ?? '', { max: OWNER_CHARS }),
          summary: limitText(exception?.justification ?? attestation?.statement ?? '', {
            max: SUMMARY_CHARS,
          }),
          ticket: exception?.ticket ?? null,
          expires: entry.expires,
          daysLeft: Math.ceil(left / DAY_MS),
          noticeDays: type === 'governance.expiring' ? input.noticeDays : null,
          findingsApplied: entry.findingsApplied,
          consequence: consequence(entry, type === 'governance.expired'),
          reportLinks: { ...(input.reportLinks ?? {}) },
        },
      },
    });
  }
  return planned.sort((a, b) => a.event.id.localeCompare(b.event.id));
}
