import type { TokenCredential } from '@azure/core-auth';
import { DefaultAzureCredential } from '@azure/identity';
import { LogsIngestionClient } from '@azure/monitor-ingestion';

import type { RunSource } from '../scan/runSource.js';
import type { LogsIngestionSettings } from './logsIngestionSettings.js';
import { findingLogRow, runLogRow } from './logRows.js';

/** The one call the upload needs: rows to a stream of a rule (the SDK client has this shape). */
export interface LogsUploader {
  upload(ruleId: string, streamName: string, logs: Record<string, unknown>[]): Promise<void>;
}

/** What happened to a run's upload; it is reported with the run and never fails it. */
export interface LogsUploadOutcome {
  status: 'uploaded' | 'failed';
  findingRows: number;
  runRows: number;
  /** Rows not accepted (their calls failed after the retries). */
  failedRows: number;
  error?: string;
}

/** The real client: the SDK's gzip and 1 MB chunking, the default credential chain, retries on 429/5xx. */
export function createLogsUploader(
  settings: LogsIngestionSettings,
  credential?: TokenCredential,
): LogsUploader {
  const client = new LogsIngestionClient(
    settings.endpoint,
    credential ??
      new DefaultAzureCredential(
        settings.managedIdentityClientId ? { managedIdentityClientId: settings.managedIdentityClientId } : {},
      ),
    {
      ...(settings.audience ? { audience: settings.audience } : {}),
      retryOptions: {
        maxRetries: settings.maxRetries,
        retryDelayInMs: settings.retryDelayMs,
        maxRetryDelayInMs: Math.max(settings.retryDelayMs, 60_000),
      },
    },
  );
  return {
    upload: (ruleId, streamName, logs) => client.upload(ruleId, streamName, logs, { maxConcurrency: 2 }),
  };
}

/** A short, secret-free description of why an upload failed. */
function describe(error: unknown): string {
  const errors = (error as { errors?: { cause?: unknown }[] }).errors;
  const cause = Array.isArray(errors) && errors[0]?.cause !== undefined ? errors[0].cause : error;
  const status = (cause as { statusCode?: unknown }).statusCode;
  const code = (cause as { code?: unknown }).code;
  const message = cause instanceof Error ? cause.message : String(cause);
  const head = [typeof status === 'number' ? `HTTP ${status}` : '', typeof code === 'string' ? code : '']
    .filter(Boolean)
    .join(' ');
  return `${head ? `${head}: ` : ''}${message.replace(/Bearer\s+\S+/gi, 'Bearer [redacted]').slice(0, 300)}`;
}

/**
 * Uploads a finalized run to Azure Monitor Logs: its findings, read from the source part by part,
 * to the findings stream, a page of `rowsPerCall` rows per call whatever the parts' sizes (the SDK
 * splits each call into gzip requests under 1 MB), then one summary row to the runs stream. Holds
 * one part and one page at a time. Stops at the first call that fails after its retries; never
 * throws.
 */
export async function uploadRunToLogs(
  uploader: LogsUploader,
  settings: Pick<LogsIngestionSettings, 'ruleId' | 'findingsStream' | 'runsStream' | 'rowsPerCall'>,
  source: RunSource,
  scopeKey: string,
): Promise<LogsUploadOutcome> {
  const { run } = source;
  let sent = 0;
  let excepted = 0;
  let page: Record<string, unknown>[] = [];
  const flush = async (): Promise<void> => {
    if (page.length === 0) return;
    const rows = page;
    page = [];
    await uploader.upload(settings.ruleId, settings.findingsStream, rows);
    sent += rows.length;
  };
  let pending = 0;
  try {
    for await (const part of source.parts()) {
      for (const finding of part.findings) {
        const row = findingLogRow(finding, run, scopeKey);
        if (row.EffectiveStatus === 'EXCEPTED') excepted++;
        page.push(row as unknown as Record<string, unknown>);
        if (page.length >= settings.rowsPerCall) {
          pending = page.length;
          await flush();
          pending = 0;
        }
      }
    }
    pending = page.length;
    await flush();
    pending = 0;
    await uploader.upload(settings.ruleId, settings.runsStream, [
      runLogRow(run, scopeKey, sent, excepted) as unknown as Record<string, unknown>,
    ]);
    return { status: 'uploaded', findingRows: sent, runRows: 1, failedRows: 0 };
  } catch (error) {
    const errors = (error as { errors?: { failedLogs?: unknown[] }[] }).errors;
    const failedRows = Array.isArray(errors)
      ? errors.reduce((sum, entry) => sum + (entry.failedLogs?.length ?? 0), 0)
      : pending > 0
        ? pending
        : 1;
    if (pending > 0) sent += pending - failedRows;
    return { status: 'failed', findingRows: sent, runRows: 0, failedRows, error: describe(error) };
  }
}
