import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import type { Finding } from '../../shared/catalog/types.js';
import {
  parseLogsIngestionSettings,
  type LogsIngestionSettings,
} from '../../shared/monitor/logsIngestionSettings.js';
import {
  createLogsUploader,
  uploadRunToLogs,
  type LogsUploader,
} from '../../shared/monitor/uploadRunToLogs.js';
import { memorySource, type RunSource } from '../../shared/scan/runSource.js';
import { ConfigurationError } from '../../shared/config/configurationError.js';
import {
  startFakeLogsIngestion,
  type FakeLogsIngestion,
  type IngestionFault,
} from '../fakes/fakeLogsIngestion.js';
import { sampleRun, syntheticRun } from '../formats/formatFleets.js';

const RULE = 'dcr-0123456789abcdef0123456789abcdef';
const saved = new Map<string, string | undefined>();
const fakes: FakeLogsIngestion[] = [];

/** A fake and settings pointing at it; the credential chain reads its managed-identity variables. */
async function destination(
  faults?: (count: number, stream: string) => IngestionFault,
  extra: Record<string, string> = {},
): Promise<{ fake: FakeLogsIngestion; settings: LogsIngestionSettings }> {
  const fake = await startFakeLogsIngestion({ ruleId: RULE, faults });
  fakes.push(fake);
  for (const key of ['IDENTITY_ENDPOINT', 'IDENTITY_HEADER']) {
    if (!saved.has(key)) saved.set(key, process.env[key]);
    process.env[key] = fake.env[key];
  }
  const settings = parseLogsIngestionSettings({ ...fake.env, ...extra });
  if (!settings) throw new Error('not configured');
  return { fake, settings };
}

afterEach(async () => {
  for (const fake of fakes.splice(0)) await fake.close();
});
afterAll(() => {
  for (const [key, value] of saved) {
    if (value === undefined) Reflect.deleteProperty(process.env, key);
    else process.env[key] = value;
  }
});

let sample: ReturnType<typeof sampleRun>;
beforeAll(() => {
  sample = sampleRun();
});

describe('Azure Monitor Logs upload', () => {
  it('uploads every finding and one run summary, gzip, through the default credential chain', async () => {
    const { fake, settings } = await destination();
    const outcome = await uploadRunToLogs(
      createLogsUploader(settings),
      settings,
      memorySource(sample),
      'live:all',
    );
    expect(outcome).toEqual({
      status: 'uploaded',
      findingRows: sample.findings.length,
      runRows: 1,
      failedRows: 0,
    });
    expect(fake.tokenRequests).toBeGreaterThan(0);
    expect(fake.unauthorized).toBe(0);
    expect(fake.requests.every((request) => request.gzip && request.bodyBytes < 1024 * 1024)).toBe(true);
    const rows = fake.rows.get('Custom-ArcDataCompliance_CL') ?? [];
    expect(rows).toHaveLength(sample.findings.length);
    const failing = sample.findings.find((finding) => finding.status === 'FAIL') as Finding;
    expect(rows).toContainEqual(
      expect.objectContaining({
        RunId: sample.run.id,
        ClusterId: failing.clusterId,
        ControlId: failing.controlId,
        Status: 'FAIL',
        EffectiveStatus: 'FAIL',
        Severity: failing.severity,
        SubscriptionId: failing.subscriptionId,
        Kind: failing.clusterKind,
        TimeGenerated: sample.run.finishedAt,
      }),
    );
    const runs = fake.rows.get('Custom-ArcDataComplianceRuns_CL') ?? [];
    expect(runs).toEqual([
      expect.objectContaining({
        RunId: sample.run.id,
        ScopeKey: 'live:all',
        FindingCount: sample.findings.length,
        Fail: sample.run.counts.FAIL,
        Score: sample.run.score,
        EffectiveScore: sample.run.score,
      }),
    ]);
  });

  it(
    'splits a large run into requests under 1 MB and loses or repeats no row',
    { timeout: 240_000 },
    async () => {
      const run = syntheticRun(2_000);
      const { fake, settings } = await destination(undefined, { MONITOR_ROWS_PER_CALL: '50000' });
      const outcome = await uploadRunToLogs(
        createLogsUploader(settings),
        settings,
        memorySource(run),
        'live:all',
      );
      expect(outcome.status).toBe('uploaded');
      const findingRequests = fake.requests.filter(
        (request) => request.stream === 'Custom-ArcDataCompliance_CL',
      );
      expect(findingRequests.length).toBeGreaterThan(3);
      expect(Math.max(...findingRequests.map((request) => request.bodyBytes))).toBeLessThan(1024 * 1024);
      expect(
        findingRequests.every((request) => request.gzip && request.compressedBytes < request.bodyBytes),
      ).toBe(true);
      const rows = fake.rows.get('Custom-ArcDataCompliance_CL') ?? [];
      expect(rows).toHaveLength(run.findings.length);
      expect(new Set(rows.map((row) => `${String(row.ClusterId)}|${String(row.ControlId)}`)).size).toBe(
        run.findings.length,
      );
    },
  );

  it('retries 429 (with Retry-After) and 5xx answers, then delivers each row once', async () => {
    const { fake, settings } = await destination((count) =>
      count === 1
        ? { status: 429, retryAfterSeconds: 1 }
        : count === 2
          ? { status: 503 }
          : count === 3
            ? { status: 500 }
            : undefined,
    );
    const outcome = await uploadRunToLogs(
      createLogsUploader(settings),
      settings,
      memorySource(sample),
      'live:all',
    );
    expect(outcome.status).toBe('uploaded');
    expect(fake.requests.slice(0, 3).map((request) => request.status)).toEqual([429, 503, 500]);
    expect(fake.rows.get('Custom-ArcDataCompliance_CL')).toHaveLength(sample.findings.length);
    expect(fake.rows.get('Custom-ArcDataComplianceRuns_CL')).toHaveLength(1);
  });

  it('a destination that keeps failing is reported, never thrown, after the configured retries', async () => {
    const { fake, settings } = await destination(() => ({ status: 500 }), { MONITOR_MAX_RETRIES: '1' });
    const outcome = await uploadRunToLogs(
      createLogsUploader(settings),
      settings,
      memorySource(sample),
      'live:all',
    );
    expect(outcome).toMatchObject({
      status: 'failed',
      findingRows: 0,
      runRows: 0,
      failedRows: sample.findings.length,
    });
    expect(outcome.error).toMatch(/500/);
    expect(fake.requests.length).toBe(2);
    expect(fake.rows.size).toBe(0);
  });

  it('an unreachable endpoint is reported as failed, not thrown', async () => {
    const { fake, settings } = await destination(undefined, { MONITOR_MAX_RETRIES: '0' });
    await fake.close();
    const outcome = await uploadRunToLogs(createLogsUploader(settings), settings, memorySource(sample), 'x');
    expect(outcome.status).toBe('failed');
    expect(outcome.error).not.toMatch(/Bearer\s+[A-Za-z0-9-]{8}/);
  });
});

/** An uploader that records every call and fails call number `failAt` (1-based), if given. */
function recordingUploader(failAt?: number): LogsUploader & { calls: Array<[string, unknown[]]> } {
  const calls: Array<[string, unknown[]]> = [];
  return {
    calls,
    async upload(_rule, stream, logs) {
      if (calls.length + 1 === failAt) {
        calls.push([`${stream} (failed)`, logs.length === 0 ? [] : [logs.length]]);
        throw new Error('HTTP 500: the destination failed');
      }
      calls.push([stream, structuredClone(logs)]);
    },
  };
}

describe('Azure Monitor Logs upload of a run read part by part', () => {
  const base = {
    ruleId: RULE,
    findingsStream: 'Custom-ArcDataCompliance_CL',
    runsStream: 'Custom-ArcDataComplianceRuns_CL',
  };

  it('makes the same calls, in pages of at most rowsPerCall rows, and reports the same outcome whatever the parts', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: sample.clusters.length + 1 }),
        fc.integer({ min: 1, max: 400 }),
        fc.option(fc.integer({ min: 1, max: 12 }), { nil: undefined }),
        async (clustersPerPart, rowsPerCall, failAt) => {
          const settings = { ...base, rowsPerCall };
          const upload = async (source: RunSource) => {
            const uploader = recordingUploader(failAt);
            const outcome = await uploadRunToLogs(uploader, settings, source, 'live:all');
            return { outcome, calls: uploader.calls };
          };
          const parted = await upload(memorySource(sample, clustersPerPart));
          const whole = await upload({
            run: sample.run,
            parts: async function* () {
              yield { clusters: sample.clusters, findings: sample.findings };
            },
          });
          expect(parted).toEqual(whole);
          const pages = parted.calls.filter(([stream]) => stream === base.findingsStream);
          expect(pages.every(([, rows]) => rows.length <= rowsPerCall)).toBe(true);
          if (failAt === undefined) {
            expect(pages.flatMap(([, rows]) => rows)).toHaveLength(sample.findings.length);
            expect(parted.outcome.findingRows).toBe(sample.findings.length);
          } else expect(parted.outcome.status).toBe(failAt > pages.length + 1 ? 'uploaded' : 'failed');
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('Azure Monitor Logs settings', () => {
  it('are off unless both the endpoint and the rule are set', () => {
    expect(parseLogsIngestionSettings({})).toBeUndefined();
    expect(() => parseLogsIngestionSettings({ MONITOR_DCR_IMMUTABLE_ID: RULE })).toThrow(ConfigurationError);
  });

  it('name every bad key', () => {
    const attempt = (env: Record<string, string>): string => {
      try {
        parseLogsIngestionSettings(env);
        return '';
      } catch (error) {
        return error instanceof ConfigurationError ? error.message : 'other';
      }
    };
    const base = {
      MONITOR_INGESTION_ENDPOINT: 'https://dce.westeurope-1.ingest.monitor.azure.com',
      MONITOR_DCR_IMMUTABLE_ID: RULE,
    };
    expect(attempt(base)).toBe('');
    expect(attempt({ ...base, MONITOR_INGESTION_ENDPOINT: 'http://dce.example' })).toMatch(
      /MONITOR_INGESTION_ENDPOINT/,
    );
    expect(attempt({ ...base, MONITOR_INGESTION_ENDPOINT: 'https://user:pw@dce.example' })).toMatch(
      /MONITOR_INGESTION_ENDPOINT/,
    );
    expect(attempt({ ...base, MONITOR_DCR_IMMUTABLE_ID: 'dcr-../../x' })).toMatch(/MONITOR_DCR_IMMUTABLE_ID/);
    expect(attempt({ ...base, MONITOR_FINDINGS_STREAM: 'Custom-a/../b' })).toMatch(/MONITOR_FINDINGS_STREAM/);
    expect(attempt({ ...base, MONITOR_RUNS_STREAM: 'Microsoft-Event' })).toMatch(/MONITOR_RUNS_STREAM/);
    expect(attempt({ ...base, MONITOR_MAX_RETRIES: '-1', MONITOR_ROWS_PER_CALL: 'many' })).toMatch(
      /MONITOR_MAX_RETRIES.*MONITOR_ROWS_PER_CALL/,
    );
  });
});
