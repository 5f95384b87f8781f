import { controlById } from '../catalog/controls.js';
import type { ControlId } from '../catalog/types.js';
import { effectiveStatusOf, type RunGovernanceEntry } from '../governance/records.js';
import type { RunPart } from '../scan/runSource.js';
import type { RunMetadata } from '../scan/scanResult.js';
import type { PartAccumulator } from './partAccumulator.js';

export const EXPIRING_WITHIN_DAYS = 30;
const DAY_MS = 86_400_000;

export interface AcceptedRisk {
  controlId: ControlId;
  controlTitle: string;
  findings: number;
  /** The exceptions that accepted them, by ID. */
  exceptionIds: string[];
}

/** What the reports say about a run's governance. */
export interface GovernanceSummary {
  records: RunGovernanceEntry[];
  acceptedRisks: AcceptedRisk[];
  /** Records still in force that expire within {@link EXPIRING_WITHIN_DAYS} days of the run. */
  expiringSoon: RunGovernanceEntry[];
  unused: RunGovernanceEntry[];
  expired: RunGovernanceEntry[];
  ignored: RunGovernanceEntry[];
}

const IN_FORCE = new Set(['applied', 'unused', 'unmatched', 'ignored']);

/** The governance summary of a run: undefined for a run that considered no record. */
export class GovernanceSummaryRollup implements PartAccumulator<GovernanceSummary | undefined> {
  private readonly records: RunGovernanceEntry[];
  private readonly risks = new Map<ControlId, AcceptedRisk>();

  constructor(private readonly run: Pick<RunMetadata, 'asOf' | 'governance'>) {
    this.records = run.governance ?? [];
  }

  add(part: RunPart): void {
    if (this.records.length === 0) return;
    for (const finding of part.findings) {
      if (effectiveStatusOf(finding) !== 'EXCEPTED') continue;
      let risk = this.risks.get(finding.controlId);
      if (!risk) {
        risk = {
          controlId: finding.controlId,
          controlTitle: controlById(finding.controlId).title,
          findings: 0,
          exceptionIds: [],
        };
        this.risks.set(finding.controlId, risk);
      }
      risk.findings++;
      const id = finding.governance?.exceptionId;
      if (id && !risk.exceptionIds.includes(id)) risk.exceptionIds.push(id);
    }
  }

  result(): GovernanceSummary | undefined {
    const { records } = this;
    if (records.length === 0) return undefined;
    const asOf = new Date(this.run.asOf).getTime();
    const byExpiry = (a: RunGovernanceEntry, b: RunGovernanceEntry): number =>
      a.expires.localeCompare(b.expires) || a.id.localeCompare(b.id);
    return {
      records,
      acceptedRisks: [...this.risks.values()].sort((a, b) => a.controlId.localeCompare(b.controlId)),
      expiringSoon: records
        .filter(
          (entry) =>
            IN_FORCE.has(entry.state) &&
            new Date(entry.expires).getTime() - asOf <= EXPIRING_WITHIN_DAYS * DAY_MS,
        )
        .sort(byExpiry),
      unused: records.filter((entry) => entry.state === 'unused'),
      expired: records.filter((entry) => entry.state === 'expired').sort(byExpiry),
      ignored: records.filter((entry) => entry.state === 'ignored'),
    };
  }
}

/** Who answers for a record: an exception's owner, an attestation's attester. */
export function recordOwner(entry: RunGovernanceEntry): string {
  return entry.record.kind === 'exception' ? entry.record.owner : entry.record.attestedBy;
}
