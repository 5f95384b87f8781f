import type { AzureClients } from '../collection/azureClients.js';
import type { LiveScope } from '../collection/liveScope.js';
import type { ActiveRecord } from '../governance/records.js';
import type { RunHandOff } from '../publish/publishRun.js';
import type { RunMetadata } from '../scan/scanResult.js';
import type { LiveSettings } from '../settings/liveSettings.js';
import type { ScanSettings } from '../settings/scanSettings.js';
import type { HistoryStore } from '../storage/historyStore.js';
import type { StoreRunOutcome } from '../storage/storeRun.js';
import type { ReportStore } from './reportPublisher.js';
import type { RunCoordinatorTable } from './runCoordinator.js';
import type { WorkQueue } from './workQueue.js';

export type Log = (
  level: 'info' | 'warn' | 'error',
  message: string,
  properties?: Record<string, unknown>,
) => void;

/** A finalized, published run. */
export interface FinalizedRun {
  run: RunMetadata;
  stored: StoreRunOutcome;
  reports: string[];
}

/** The settings the scan use cases read; the app's settings loader provides them. */
export interface ScanAppSettings {
  live: LiveSettings;
  scope: LiveScope;
  scanSettings: ScanSettings;
  /** Scopes with at most this many subscriptions are scanned inline, without queues. */
  inlineMaxSubscriptions: number;
  /**
   * A run whose batches have not all been read after this long goes on without them (as partial);
   * so does a run whose batches have not all been evaluated this long after they were queued. A
   * claim (preparation, finalization) older than this is taken over.
   */
  runTimeoutMs: number;
  /** Stored runs older than this many days are deleted after every stored run. */
  retentionDays: number;
}

/** Everything the scan use cases need, built once per invocation by the entry points. */
export interface ScanApp {
  settings: ScanAppSettings;
  store: HistoryStore;
  coordinator: RunCoordinatorTable;
  queue: WorkQueue;
  azure: () => AzureClients;
  reports: ReportStore;
  /** The governance records each run applies (absent: none). */
  governance?: () => Promise<ActiveRecord[]>;
  /** What follows a published fleet run (report e-mail, notification events). */
  handOff?: RunHandOff;
  /** Notification deliveries that gave up so far, shown in the reports. */
  countDeadLetters?: () => Promise<number>;
  clock: () => Date;
  log: Log;
}
