import type { ClusterRow, RunMetadata } from '../../scan/scanResult.js';
import { findingGovernance, type GovernanceRecords } from '../findingGovernance.js';
import type { FindingRecord, FindingsFormatWriter, RunStart } from '../findingsFormatWriter.js';
import { AtomicTextFile, JsonSpool } from '../textFileSink.js';
import {
  attestation,
  backMatter,
  clusterOfFinding,
  finding,
  ids,
  inventoryItem,
  metadata,
  observation,
  resultHeader,
  reviewedControls,
  risk,
  type Party,
} from './oscalParts.js';

export const OSCAL_FILE_NAME = 'assessment-results.oscal.json';

const SECTIONS = ['inventory', 'attestations', 'observations', 'risks', 'findings'] as const;
type Section = (typeof SECTIONS)[number];

const ITEM_INDENT = '        ';

/** The JSON text of `value` indented to sit `depth` levels deep in the document. */
function nested(value: unknown, depth: number): string {
  return JSON.stringify(value, null, 2).replace(/\n/g, `\n${'  '.repeat(depth)}`);
}

/**
 * Writes an OSCAL Assessment Results document for one run, incrementally: each cluster and
 * finding becomes its inventory item, observation, finding (and risk or attestation) in a spool
 * file per section; `end` writes the header (metadata needs the run's end time) and splices the
 * spools in. Memory holds only the cluster IDs seen and the few people named by governance.
 */
export class OscalAssessmentResultsWriter implements FindingsFormatWriter {
  readonly fileName = OSCAL_FILE_NAME;
  private readonly spools: Record<Section, JsonSpool>;
  private readonly clusters = new Set<string>();
  private readonly parties = new Map<string, Party>();
  private readonly roles = new Set<string>();

  constructor(
    private readonly path: string,
    private readonly start: RunStart,
    private readonly records: GovernanceRecords = new Map(),
  ) {
    const suffix = `${process.pid}.${Math.random().toString(36).slice(2, 8)}.spool`;
    this.spools = Object.fromEntries(
      SECTIONS.map((section) => [section, new JsonSpool(`${path}.${section}.${suffix}`, ITEM_INDENT)]),
    ) as Record<Section, JsonSpool>;
  }

  async addCluster(cluster: ClusterRow): Promise<void> {
    const key = cluster.id.toLowerCase();
    if (this.clusters.has(key)) return;
    this.clusters.add(key);
    await this.spools.inventory.add(inventoryItem(this.start.id, cluster));
  }

  private party(name: string | undefined, role: string): string | undefined {
    if (name === undefined) return undefined;
    this.roles.add(role);
    let party = this.parties.get(name);
    if (!party) {
      party = { uuid: ids.party(this.start.id, name), name };
      this.parties.set(name, party);
    }
    return party.uuid;
  }

  async addFinding(source: FindingRecord): Promise<void> {
    if (source.status === 'NOT_APPLICABLE') return;
    if (!this.clusters.has(source.clusterId.toLowerCase())) await this.addCluster(clusterOfFinding(source));
    const governance = findingGovernance(source, this.records);
    const runId = this.start.id;
    await this.spools.observations.add(observation(runId, source, governance, this.start.startedAt));
    await this.spools.findings.add(finding(runId, source, governance));
    const accepted = risk(
      runId,
      source,
      governance,
      this.party(governance.exception?.owner, 'risk-owner'),
      this.start.startedAt,
    );
    if (accepted) await this.spools.risks.add(accepted);
    const attested = attestation(
      source,
      governance,
      this.party(governance.attestation?.attestedBy, 'attester'),
    );
    if (attested) await this.spools.attestations.add(attested);
  }

  async end(run: RunMetadata): Promise<string> {
    const out = new AtomicTextFile(this.path);
    try {
      for (const spool of Object.values(this.spools)) await spool.close();
      const document = {
        uuid: ids.document(run.id),
        metadata: metadata(run, [...this.parties.values()], [...this.roles].sort()),
        'import-ap': {
          href: `#${ids.catalog(run.id)}`,
          remarks: 'No separate assessment plan: the control catalog in the back matter is the plan.',
        },
      };
      const head = JSON.stringify(document, null, 2).replace(/\n\}$/, '');
      await out.write(
        `{\n  "assessment-results": ${head.replace(/\n/g, '\n  ')},\n    "results": [\n      {`,
      );
      const header = resultHeader(run);
      const fields = Object.entries(header).map(
        ([key, value]) => `\n        ${JSON.stringify(key)}: ${nested(value, 4)}`,
      );
      await out.write(fields.join(','));
      const section = async (key: string, spool: JsonSpool, wrap?: string): Promise<void> => {
        if (spool.count === 0) return;
        if (wrap) await out.write(`,\n        ${JSON.stringify(wrap)}: { ${JSON.stringify(key)}: [`);
        else await out.write(`,\n        ${JSON.stringify(key)}: [`);
        await out.append(spool.path);
        await out.write(wrap ? '\n        ] }' : '\n        ]');
      };
      await section('inventory-items', this.spools.inventory, 'local-definitions');
      await out.write(`,\n        "reviewed-controls": ${nested(reviewedControls(), 4)}`);
      await section('attestations', this.spools.attestations);
      await section('observations', this.spools.observations);
      await section('risks', this.spools.risks);
      await section('findings', this.spools.findings);
      await out.write(`\n      }\n    ],\n    "back-matter": ${nested(backMatter(run.id), 2)}\n  }\n}\n`);
      await out.commit();
    } catch (error) {
      await out.discard();
      throw error;
    } finally {
      await this.removeSpools();
    }
    return this.path;
  }

  private async removeSpools(): Promise<void> {
    for (const spool of Object.values(this.spools)) await spool.discard();
  }

  async abort(): Promise<void> {
    await this.removeSpools();
  }
}
