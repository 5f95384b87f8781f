/**
 * Checks a parsed findings.json against docs/findings.md and the catalog, field by field, with
 * vitest assertions. Used on the output of `findingsJsonChunks` and on files the CLI wrote.
 */
import { readFileSync } from 'node:fs';

import { expect } from 'vitest';

export const STATUSES = ['PASS', 'FAIL', 'MANUAL', 'NOT_APPLICABLE', 'ERROR'] as const;
export type Status = (typeof STATUSES)[number];
export const KINDS = ['arc', 'aks-arc', 'aks'] as const;

export interface DocBenchmark {
  framework: string;
  version: string;
  id: string;
  title: string;
  relation: string;
}

export interface DocFinding {
  clusterId: string;
  clusterName: string;
  clusterKind: string;
  controlId: string;
  controlTitle: string;
  severity: string;
  status: Status;
  reason: string;
  evidence: {
    checks: Array<{ path: string; observed: unknown; expected: unknown; source?: string }>;
    sourceIds: string[];
    stale: boolean;
    inferred: boolean;
    [key: string]: unknown;
  };
  benchmarks: DocBenchmark[];
  [key: string]: unknown;
}

export interface DocCluster {
  id: string;
  name: string;
  kind: string;
  subscriptionId: string;
  resourceGroup: string;
  location: string;
  distribution: string;
  kubernetesVersion: string;
  connectivityStatus: string;
  [key: string]: unknown;
}

export interface FindingsDocument {
  schemaVersion: number;
  catalogVersion: string;
  run: {
    id: string;
    startedAt: string;
    finishedAt: string;
    source: string;
    complete: boolean;
    clusterCount: number;
    counts: Record<Status, number>;
    score: number;
    inventoryWarnings: Array<{ where: string; message: string }>;
    [key: string]: unknown;
  };
  clusters: DocCluster[];
  findings: DocFinding[];
}

export interface SpecControl {
  id: string;
  title: string;
  severity: string;
}

const CONTRACT = JSON.parse(
  readFileSync(new URL('../fixtures/contract/controls.json', import.meta.url), 'utf8'),
) as { controls: SpecControl[]; frameworks: Record<string, string> };

/** Control IDs, titles and severities as the control contract states them (test/fixtures/contract). */
export function specControls(): SpecControl[] {
  return CONTRACT.controls.map((control) => ({ ...control }));
}

/** Framework names and versions as the control contract states them. */
export function specFrameworks(): Map<string, string> {
  return new Map(Object.entries(CONTRACT.frameworks));
}

const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export function tally(findings: readonly { status: string }[]): Record<Status, number> {
  const counts = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
  for (const finding of findings) counts[finding.status as Status]++;
  return counts;
}

export function expectedScore(counts: Record<Status, number>): number {
  const denominator = counts.PASS + counts.FAIL + counts.MANUAL + counts.ERROR;
  return denominator === 0 ? 0 : counts.PASS / denominator;
}

function expectString(value: unknown, label: string): void {
  expect(typeof value, `${label} should be a string`).toBe('string');
}

/** Asserts every field docs/findings.md lists and the one-finding-per-cluster-per-control rule. */
export function checkFindingsDocument(parsed: unknown): FindingsDocument {
  const doc = parsed as FindingsDocument;
  expect(doc.schemaVersion).toBe(1);
  expect(doc.catalogVersion).toBe('1');
  expect(Array.isArray(doc.clusters)).toBe(true);
  expect(Array.isArray(doc.findings)).toBe(true);

  const { run } = doc;
  expectString(run.id, 'run.id');
  expect(run.id.length).toBeGreaterThan(0);
  expect(run.startedAt).toMatch(ISO_8601);
  expect(run.finishedAt).toMatch(ISO_8601);
  expect(Date.parse(run.finishedAt)).toBeGreaterThanOrEqual(Date.parse(run.startedAt));
  expect(['snapshot', 'resource-graph']).toContain(run.source);
  expect(typeof run.complete).toBe('boolean');
  expect(Number.isInteger(run.clusterCount)).toBe(true);
  expect(run.clusterCount).toBe(doc.clusters.length);
  expect(Object.keys(run.counts).sort()).toEqual([...STATUSES].sort());
  for (const status of STATUSES) expect(Number.isInteger(run.counts[status])).toBe(true);
  expect(run.counts).toEqual(tally(doc.findings));
  expect(STATUSES.reduce((sum, s) => sum + run.counts[s], 0)).toBe(doc.findings.length);
  expect(typeof run.score).toBe('number');
  expect(run.score).toBeGreaterThanOrEqual(0);
  expect(run.score).toBeLessThanOrEqual(1);
  expect(Math.abs(run.score - expectedScore(run.counts))).toBeLessThanOrEqual(0.0001);
  expect(Array.isArray(run.inventoryWarnings)).toBe(true);
  for (const warning of run.inventoryWarnings) {
    expectString(warning.where, 'inventoryWarnings[].where');
    expectString(warning.message, 'inventoryWarnings[].message');
    expect(warning.message.length).toBeGreaterThan(0);
  }

  const clusterById = new Map<string, DocCluster>();
  for (const cluster of doc.clusters) {
    for (const key of [
      'id',
      'name',
      'kind',
      'subscriptionId',
      'resourceGroup',
      'location',
      'distribution',
      'kubernetesVersion',
      'connectivityStatus',
    ] as const) {
      expectString(cluster[key], `clusters[].${key} of ${cluster.id}`);
    }
    expect(KINDS).toContain(cluster.kind);
    expect(clusterById.has(cluster.id.toLowerCase()), `duplicate cluster ${cluster.id}`).toBe(false);
    clusterById.set(cluster.id.toLowerCase(), cluster);
  }

  const controls = specControls();
  const controlById = new Map(controls.map((c) => [c.id, c]));
  const frameworks = specFrameworks();
  const perCluster = new Map<string, string[]>();
  const benchmarksByControl = new Map<string, string>();
  for (const finding of doc.findings) {
    const label = `${finding.clusterId} ${finding.controlId}`;
    const cluster = clusterById.get(String(finding.clusterId).toLowerCase());
    expect(cluster, `${label}: clusterId names a listed cluster`).toBeDefined();
    expect(finding.clusterId).toBe(cluster?.id);
    expect(finding.clusterName).toBe(cluster?.name);
    expect(finding.clusterKind).toBe(cluster?.kind);
    const control = controlById.get(finding.controlId);
    expect(control, `${label}: a control of the catalog`).toBeDefined();
    expect(finding.controlTitle).toBe(control?.title);
    expect(finding.severity).toBe(control?.severity);
    expect(STATUSES).toContain(finding.status);
    expectString(finding.reason, `${label} reason`);
    expect(finding.reason.trim().length, `${label} reason`).toBeGreaterThan(0);
    const evidence = finding.evidence;
    expect(typeof evidence).toBe('object');
    expect(Array.isArray(evidence.checks), `${label} evidence.checks`).toBe(true);
    for (const check of evidence.checks) {
      expectString(check.path, `${label} evidence.checks[].path`);
      expect(check.path.length).toBeGreaterThan(0);
      expect(Object.hasOwn(check, 'observed'), `${label} evidence.checks[].observed`).toBe(true);
      expect(Object.hasOwn(check, 'expected'), `${label} evidence.checks[].expected`).toBe(true);
    }
    expect(Array.isArray(evidence.sourceIds), `${label} evidence.sourceIds`).toBe(true);
    for (const id of evidence.sourceIds) expectString(id, `${label} evidence.sourceIds[]`);
    if (finding.status !== 'NOT_APPLICABLE') {
      // The catalog: an auditor must be able to re-check a verdict from the evidence's source IDs.
      expect(evidence.sourceIds.length, `${label} evidence.sourceIds of a ${finding.status}`).toBeGreaterThan(
        0,
      );
    }
    expect(typeof evidence.stale, `${label} evidence.stale`).toBe('boolean');
    expect(typeof evidence.inferred, `${label} evidence.inferred`).toBe('boolean');
    expect(Array.isArray(finding.benchmarks)).toBe(true);
    expect(finding.benchmarks.length, `${label} benchmarks`).toBeGreaterThan(0);
    for (const ref of finding.benchmarks) {
      for (const key of ['framework', 'version', 'id', 'title'] as const) {
        expectString(ref[key], `${label} benchmarks[].${key}`);
        expect(ref[key].length).toBeGreaterThan(0);
      }
      expect(['direct', 'related']).toContain(ref.relation);
      expect(frameworks.get(ref.framework), `${label}: framework ${ref.framework} of the catalog`).toBe(
        ref.version,
      );
    }
    const refs = JSON.stringify(finding.benchmarks);
    expect(benchmarksByControl.get(finding.controlId) ?? refs, `${label}: same benchmarks per control`).toBe(
      refs,
    );
    benchmarksByControl.set(finding.controlId, refs);
    const list = perCluster.get(finding.clusterId.toLowerCase()) ?? [];
    list.push(finding.controlId);
    perCluster.set(finding.clusterId.toLowerCase(), list);
  }
  const allControls = controls.map((c) => c.id).sort();
  for (const cluster of doc.clusters) {
    expect(
      (perCluster.get(cluster.id.toLowerCase()) ?? []).sort(),
      `one finding per control for ${cluster.id}`,
    ).toEqual(allControls);
  }
  expect(doc.findings).toHaveLength(doc.clusters.length * controls.length);
  return doc;
}
