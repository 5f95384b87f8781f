/**
 * Every property an evaluator reads is one it declares, and every declaration is read: the inventory
 * rows are wrapped so that each property read is recorded while one evaluator runs. A control that
 * reads a path it does not declare fails here, so the mutation suite (which takes its paths from the
 * declarations) covers every control, including new ones.
 */
import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { CLUSTER_KINDS, CONTROL_IDS, type ClusterKind, type ControlId } from '../../shared/catalog/types.js';
import { EXTENSION_TYPES, type ExtensionCapability } from '../../shared/evaluation/clusterExtensions.js';
import { offlineState, STALENESS_READS } from '../../shared/evaluation/connectivity.js';
import type { ControlEvaluator } from '../../shared/evaluation/controlEvaluator.js';
import { CONTROL_EVALUATORS } from '../../shared/evaluation/evaluatorRegistry.js';
import { buildEvaluationContext } from '../../shared/evaluation/evaluationContext.js';
import type { PropertyRead } from '../../shared/evaluation/propertyReads.js';
import { buildFleet } from '../../shared/inventory/buildFleet.js';
import { mergeResources } from '../../shared/inventory/mergeResources.js';
import { DEFAULT_SETTINGS } from '../../shared/settings/scanSettings.js';
import type { Row } from '../support/azureRows.js';
import { NOW } from '../support/clock.js';
import { PLACEMENTS, buildFixture, type Fixture } from './declaredReadFixtures.js';

interface ReadLog {
  active: boolean;
  reads: Set<string>;
}

/** The kind of row a read was made on, as the declarations name subjects. */
function subjectOf(row: Row): string {
  const type = String(row['type']).toLowerCase();
  if (type.endsWith('/connectedclusters') || type.endsWith('/managedclusters')) return 'cluster';
  if (type.endsWith('/extensions')) return 'extension';
  if (type.endsWith('/fluxconfigurations')) return 'fluxConfiguration';
  if (type.endsWith('/securitysettings')) return 'securitySettings';
  return 'other';
}

/** `row`, wrapped so that each property read while `log.active` is recorded as subject|a.b.[].c. */
function recording(row: Row, log: ReadLog): Row {
  const subject = subjectOf(row);
  const wrap = (value: object, path: string[]): object =>
    new Proxy(value, {
      get(target, key, receiver) {
        const inner: unknown = Reflect.get(target, key, receiver);
        if (typeof key === 'symbol' || !Object.hasOwn(target, key)) return inner;
        if (Array.isArray(target) && key === 'length') return inner;
        const segment = Array.isArray(target) ? '[]' : key.toLowerCase();
        const next = [...path, segment];
        if (log.active) log.reads.add(`${subject}|${next.join('.')}`);
        return typeof inner === 'object' && inner !== null ? wrap(inner, next) : inner;
      },
    });
  return wrap(row, []) as Row;
}

/** Every recorded form of a declared read (extension and Flux keys may sit at the top level). */
function declaredForms(read: PropertyRead): string[] {
  const path = read.path.map((key) => key.toLowerCase()).join('.');
  switch (read.subject) {
    case 'cluster':
      return [`cluster|properties.${path}`];
    case 'agentPool':
      return [`cluster|properties.agentpoolprofiles.[].${path}`];
    case 'securitySettings':
      return [`securitySettings|properties.${path}`];
    case 'extension':
    case 'fluxConfiguration':
      return [`${read.subject}|properties.${path}`, `${read.subject}|${path}`];
  }
}

/** A recorded read is declared when it is a declared path or one of its parents. */
function isDeclared(recorded: string, declared: readonly string[]): boolean {
  return declared.some((form) => form === recorded || form.startsWith(`${recorded}.`));
}

/** The fixtures a control is run on: each placement, each alternative on its own, each capability left out. */
function variants(controlId: ControlId, kind: ClusterKind): Fixture[] {
  const base = buildFixture(controlId, kind);
  const capabilities = Object.keys(EXTENSION_TYPES) as ExtensionCapability[];
  return [
    ...PLACEMENTS.map((placement) => buildFixture(controlId, kind, { placement })),
    ...base.reads.map((focus) => buildFixture(controlId, kind, { focus })),
    ...capabilities.map((without) => buildFixture(controlId, kind, { without })),
  ];
}

/** Runs `evaluate` on the cluster of each fixture and returns what it read. */
function readsOfEvaluator(evaluate: ControlEvaluator['evaluate'], fixtures: readonly Fixture[]): Set<string> {
  const log: ReadLog = { active: false, reads: new Set() };
  for (const fixture of fixtures) {
    const rows = fixture.rows.map((row) => recording(row, log));
    const inventory = mergeResources([rows.map((value) => ({ value, where: 'test' }))]);
    const fleet = buildFleet({ ...inventory, gaps: [] }, DEFAULT_SETTINGS.azureLocalHosts);
    const context = buildEvaluationContext(fleet, DEFAULT_SETTINGS.thresholds, NOW);
    const cluster = fleet.clusters.find((c) => c.id.toLowerCase() === fixture.clusterId.toLowerCase());
    if (!cluster) throw new Error(`fixture has no cluster ${fixture.clusterId}`);
    log.active = true;
    evaluate(cluster, context);
    log.active = false;
  }
  return log.reads;
}

function undeclared(recorded: Iterable<string>, reads: readonly PropertyRead[]): string[] {
  const declared = reads.flatMap(declaredForms);
  return [...recorded].filter((read) => !isDeclared(read, declared)).sort();
}

describe('each evaluator reads exactly the properties it declares', () => {
  for (const controlId of CONTROL_IDS) {
    for (const kind of CLUSTER_KINDS) {
      it(`${controlId} on ${kind}`, () => {
        const evaluator = CONTROL_EVALUATORS[controlId];
        const own = evaluator.reads.filter((read) => read.kinds.includes(kind));
        const recorded = readsOfEvaluator(evaluator.evaluate.bind(evaluator), variants(controlId, kind));
        expect(undeclared(recorded, own), 'read but not declared').toEqual([]);
        const unread = own.filter((read) => !declaredForms(read).some((form) => recorded.has(form)));
        expect(
          unread.map((read) => `${read.subject} ${read.path.join('.')}`),
          'declared but never read',
        ).toEqual([]);
      });
    }
  }

  it('records the connectivity the engine reads to mark verdicts stale, and nothing else', () => {
    for (const kind of ['arc', 'aks-arc'] as const) {
      const fixture = buildFixture('DS-01', kind);
      const offline = fixture.rows.map((row) => structuredClone(row));
      const properties = offline[0]?.['properties'] as Row;
      properties['connectivityStatus'] = 'Offline';
      const recorded = readsOfEvaluator(
        (cluster, context) => {
          offlineState(cluster, context.now);
          return {
            status: 'PASS',
            reason: '',
            evidence: { checks: [], sourceIds: [], stale: false, inferred: false },
          };
        },
        [{ ...fixture, rows: offline }],
      );
      expect(undeclared(recorded, STALENESS_READS)).toEqual([]);
      expect([...recorded].sort()).toEqual([
        'cluster|properties.connectivitystatus',
        'cluster|properties.lastconnectivitytime',
      ]);
    }
  });

  it('fails for an evaluator that reads a property it does not declare', () => {
    const sneaky: ControlEvaluator = {
      ...CONTROL_EVALUATORS['DS-10'],
      evaluate(cluster, context) {
        void (cluster.properties?.['kubernetesVersion'] ?? cluster.properties?.['infrastructure']);
        return CONTROL_EVALUATORS['DS-10'].evaluate(cluster, context);
      },
    };
    const recorded = readsOfEvaluator(sneaky.evaluate.bind(sneaky), variants('DS-10', 'arc'));
    expect(undeclared(recorded, sneaky.reads)).toContain('cluster|properties.kubernetesversion');
  });

  it('lists every declared path in docs/verdict-integrity.md', () => {
    const doc = readFileSync(new URL('../../docs/verdict-integrity.md', import.meta.url), 'utf8');
    const reads = [
      ...Object.values(CONTROL_EVALUATORS).flatMap((evaluator) => evaluator.reads),
      ...STALENESS_READS,
    ];
    const missing = reads.map((read) => `\`${read.path.join('.')}\``).filter((path) => !doc.includes(path));
    expect(missing).toEqual([]);
  });
});
