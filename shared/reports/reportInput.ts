import type { RunChanges, TrendPoint } from '../runCalculations/runChanges.js';
import type { RunSource } from '../scan/runSource.js';

/** Everything the workbook and the HTML report are drawn from. */
export interface ReportInput {
  /** The run, read part by part (several times: the reports never hold all of its findings). */
  source: RunSource;
  /** Hex SHA-256 of findings.json, so a report proves which data it shows. */
  findingsJsonSha256: string;
  /** Changes since the previous complete run of the same scope; undefined = no previous run. */
  changes: RunChanges | undefined;
  /** Oldest → newest, including the current run; may hold just one point. */
  trend: TrendPoint[];
  generatedAt: Date;
  /** Default `https://portal.azure.com`. */
  portalBaseUrl?: string;
  /**
   * When each failing finding was first seen failing (ISO-8601), keyed `clusterIdLower|controlId`,
   * from stored history. Without an entry, a newly failing finding shows this run's asOf.
   */
  firstSeenFailing?: FirstSeenFailingLookup;
  /** Notification deliveries that gave up before this report (dead letters), when known. */
  notificationDeadLetters?: number;
}

/** When failing findings were first seen failing, by `clusterIdLower|controlId` (a Map will do). */
export interface FirstSeenFailingLookup {
  get(key: string): string | undefined;
}

export const DEFAULT_PORTAL_BASE_URL = 'https://portal.azure.com';
