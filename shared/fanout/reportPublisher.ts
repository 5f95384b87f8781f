import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { DefaultAzureCredential } from '@azure/identity';
import { createReadStream } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

import type { StorageTarget } from '../storage/storageSettings.js';

export const REPORT_FILES = {
  json: { name: 'findings.json', contentType: 'application/json; charset=utf-8' },
  csv: { name: 'findings.csv', contentType: 'text/csv; charset=utf-8' },
  xlsx: {
    name: 'report.xlsx',
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  },
  html: { name: 'report.html', contentType: 'text/html; charset=utf-8' },
  oscal: { name: 'assessment-results.oscal.json', contentType: 'application/json; charset=utf-8' },
  ocsf: { name: 'findings.ocsf.json', contentType: 'application/json; charset=utf-8' },
} as const;

export type ReportFormat = keyof typeof REPORT_FILES;

/** Where a run's outputs are kept: `{runId}/findings.json`, `…/findings.csv`, `…/report.xlsx`, `…/report.html`. */
export interface ReportStore {
  /** Writes outputs produced into a temporary folder by `produce`, then uploads every file. */
  publish(runId: string, produce: (folder: string) => Promise<void>): Promise<string[]>;
  open(runId: string, format: ReportFormat): Promise<{ stream: Readable; length: number } | undefined>;
}

export function blobReportStore(target: StorageTarget, containerName: string): ReportStore {
  const service =
    target.kind === 'connectionString'
      ? BlobServiceClient.fromConnectionString(target.connectionString)
      : new BlobServiceClient(target.blobUrl, new DefaultAzureCredential());
  const container: ContainerClient = service.getContainerClient(containerName);
  let created = false;
  return {
    async publish(runId, produce) {
      const folder = await mkdtemp(join(tmpdir(), 'run-outputs-'));
      try {
        await produce(folder);
        if (!created) {
          await container.createIfNotExists();
          created = true;
        }
        const uploaded: string[] = [];
        for (const name of await readdir(folder)) {
          const format = Object.values(REPORT_FILES).find((file) => file.name === name);
          if (!format) continue;
          const blob = container.getBlockBlobClient(`${runId}/${name}`);
          await blob.uploadStream(createReadStream(join(folder, name)), 4 * 1024 * 1024, 4, {
            blobHTTPHeaders: { blobContentType: format.contentType },
          });
          uploaded.push(`${runId}/${name}`);
        }
        return uploaded;
      } finally {
        await rm(folder, { recursive: true, force: true });
      }
    },
    async open(runId, format) {
      const blob = container.getBlockBlobClient(`${runId}/${REPORT_FILES[format].name}`);
      try {
        const download = await blob.download();
        if (!download.readableStreamBody) return undefined;
        return { stream: download.readableStreamBody as Readable, length: download.contentLength ?? 0 };
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode === 404) return undefined;
        throw error;
      }
    },
  };
}
