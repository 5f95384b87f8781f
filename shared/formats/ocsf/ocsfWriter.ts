import type { ClusterRow, RunMetadata } from '../../scan/scanResult.js';
import type { FindingRecord, FindingsFormatWriter, RunStart } from '../findingsFormatWriter.js';
import { AtomicTextFile } from '../textFileSink.js';
import { ocsfComplianceFinding, type ClusterPlace } from './ocsfComplianceFinding.js';

export const OCSF_FILE_NAME = 'findings.ocsf.json';

/**
 * findings.ocsf.json: a JSON array with one Compliance Finding event per finding, written as the
 * findings arrive. Only each cluster's region (and tags, when known) is kept between calls.
 */
export class OcsfFindingsWriter implements FindingsFormatWriter {
  readonly fileName = OCSF_FILE_NAME;
  private readonly out: AtomicTextFile;
  private readonly places = new Map<string, ClusterPlace>();
  private count = 0;

  constructor(
    path: string,
    private readonly start: RunStart,
  ) {
    this.out = new AtomicTextFile(path);
  }

  async addCluster(cluster: ClusterRow): Promise<void> {
    const tags = (cluster as ClusterRow & { tags?: unknown }).tags;
    const stringTags =
      tags && typeof tags === 'object' && !Array.isArray(tags)
        ? Object.fromEntries(Object.entries(tags).filter(([, value]) => typeof value === 'string'))
        : undefined;
    this.places.set(cluster.id.toLowerCase(), {
      location: cluster.location,
      ...(stringTags && Object.keys(stringTags).length > 0
        ? { tags: stringTags as Record<string, string> }
        : {}),
    });
  }

  async addFinding(finding: FindingRecord): Promise<void> {
    const event = ocsfComplianceFinding(
      finding,
      this.start,
      this.places.get(finding.clusterId.toLowerCase()),
    );
    await this.out.write(`${this.count === 0 ? '[' : ','}\n  ${JSON.stringify(event)}`);
    this.count++;
  }

  async end(_run: RunMetadata): Promise<string> {
    try {
      await this.out.write(this.count === 0 ? '[]\n' : '\n]\n');
      await this.out.commit();
    } catch (error) {
      await this.out.discard();
      throw error;
    }
    return this.out.finalPath;
  }

  async abort(): Promise<void> {
    await this.out.discard();
  }
}
