import { describe, expect, it } from 'vitest';

import { BENCHMARK_MAPPINGS } from '../../shared/catalog/benchmarkMappings.js';
import { controlRange, CONTROLS } from '../../shared/catalog/controls.js';
import { benchmarksOf, buildFrameworkIndex } from '../../shared/catalog/frameworkIndex.js';
import { FRAMEWORKS, frameworkNamed, frameworkShortNames } from '../../shared/catalog/frameworks.js';
import { RECOMMENDATION_TITLES } from '../../shared/catalog/recommendations.js';
import { CLUSTER_KINDS, CONTROL_IDS, OUTCOME_SCOPES } from '../../shared/catalog/types.js';
import { CONTROL_EVALUATORS } from '../../shared/evaluation/evaluatorRegistry.js';

describe('control catalog integrity', () => {
  it('has each control ID exactly once, in catalog order', () => {
    expect(CONTROLS.map((control) => control.id)).toEqual([...CONTROL_IDS]);
    expect(new Set(CONTROLS.map((control) => control.title)).size).toBe(CONTROLS.length);
  });

  it('maps only controls that exist, and every control maps to at least one recommendation', () => {
    expect(Object.keys(BENCHMARK_MAPPINGS).sort()).toEqual([...CONTROL_IDS].sort());
    for (const id of CONTROL_IDS) expect(BENCHMARK_MAPPINGS[id].length).toBeGreaterThan(0);
  });

  it('gives every mapping a known framework and a recommendation title, without duplicates', () => {
    const frameworkKeys = new Set<string>(FRAMEWORKS.map((framework) => framework.key));
    for (const [controlId, mappings] of Object.entries(BENCHMARK_MAPPINGS)) {
      const seen = new Set<string>();
      for (const mapping of mappings) {
        expect(frameworkKeys.has(mapping.framework), `${controlId} → ${mapping.framework}`).toBe(true);
        expect(
          RECOMMENDATION_TITLES[mapping.framework][mapping.id],
          `${controlId} → ${mapping.id}`,
        ).toBeTruthy();
        const key = `${mapping.framework}|${mapping.id}`;
        expect(seen.has(key), `${controlId} maps ${key} twice`).toBe(false);
        seen.add(key);
      }
    }
  });

  it('names each framework once for reports: a short name, a findings.csv label and a valid sheet name', () => {
    for (const field of ['name', 'shortName', 'label', 'sheetName'] as const)
      expect(new Set(FRAMEWORKS.map((framework) => framework[field])).size, field).toBe(FRAMEWORKS.length);
    for (const framework of FRAMEWORKS) {
      expect(framework.sheetName.length, framework.key).toBeLessThanOrEqual(31);
      expect(framework.sheetName, framework.key).not.toMatch(/[[\]:*?/\\]/);
      expect(framework.label, framework.key).toMatch(/^[A-Z0-9-]+$/);
    }
    for (const id of CONTROL_IDS)
      for (const ref of benchmarksOf(id)) expect(frameworkNamed(ref.framework), ref.framework).toBeDefined();
    for (const framework of FRAMEWORKS) expect(frameworkShortNames()).toContain(framework.shortName);
    expect(controlRange()).toBe(`${CONTROL_IDS[0]} … ${CONTROL_IDS[CONTROL_IDS.length - 1]}`);
  });

  it('keeps no recommendation title that no control maps to', () => {
    const used = new Set(
      Object.values(BENCHMARK_MAPPINGS).flatMap((mappings) => mappings.map((m) => `${m.framework}|${m.id}`)),
    );
    for (const [framework, titles] of Object.entries(RECOMMENDATION_TITLES)) {
      for (const id of Object.keys(titles))
        expect(used.has(`${framework}|${id}`), `${framework} ${id}`).toBe(true);
    }
  });

  it('derives the framework index as the exact inverse of the per-control mappings', () => {
    const forward = Object.entries(BENCHMARK_MAPPINGS)
      .flatMap(([controlId, mappings]) =>
        mappings.map((m) => `${m.framework}|${m.id}|${controlId}|${m.relation}`),
      )
      .sort();
    const inverse = buildFrameworkIndex()
      .flatMap((framework) =>
        framework.recommendations.flatMap((recommendation) =>
          recommendation.controls.map(
            (c) => `${framework.key}|${recommendation.id}|${c.controlId}|${c.relation}`,
          ),
        ),
      )
      .sort();
    expect(inverse).toEqual(forward);
  });

  it('has an evaluator for every control and no evaluator without a control', () => {
    expect(Object.keys(CONTROL_EVALUATORS).sort()).toEqual([...CONTROL_IDS].sort());
  });

  it('says how to fix every kind that can fail and what to attest for every kind that can be MANUAL', () => {
    for (const control of CONTROLS) {
      for (const kind of CLUSTER_KINDS) {
        const outcomes = control.outcomes[kind];
        expect(outcomes.length, `${control.id} ${kind}`).toBeGreaterThan(0);
        if (outcomes.includes('FAIL'))
          expect(control.remediation[kind], `${control.id} ${kind} remediation`).toBeTruthy();
      }
      for (const scope of OUTCOME_SCOPES) {
        if (control.outcomes[scope].includes('MANUAL'))
          expect(control.attestation[scope], `${control.id} ${scope} attestation`).toBeTruthy();
      }
    }
  });

  it('declares for agentless Arc connections exactly the one verdict the evaluator gives them, never PASS, FAIL or ERROR', () => {
    for (const control of CONTROLS) {
      const evaluator = CONTROL_EVALUATORS[control.id];
      expect(control.outcomes['arc-agentless'], control.id).toEqual([evaluator.agentless.status]);
      expect(['MANUAL', 'NOT_APPLICABLE']).toContain(evaluator.agentless.status);
      expect(evaluator.agentless.because.length, control.id).toBeGreaterThan(20);
    }
  });
});
