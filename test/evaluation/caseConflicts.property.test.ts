/**
 * A row that gives a property twice, in different letter case and with different values, is
 * ambiguous: Azure keys are matched ignoring case, so which value was meant cannot be known. For
 * every path (and parent) any control reads, in ARM, Resource Graph and `az` CLI shapes, adding
 * such a twin makes the control's verdict ERROR, never PASS, with a reason naming the path.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { CLUSTER_KINDS, CONTROL_IDS } from '../../shared/catalog/types.js';
import { showValue } from '../../shared/evaluation/valueText.js';
import { findingOf, scan } from '../support/scan.js';
import { PLACEMENTS, buildFixture, targetsOf } from './declaredReadFixtures.js';

const twinValue = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom('Succeeded', 'Failed', 'Connected', 'Offline', 'true', 'false', '60', '7200', '1.99.0'),
);

describe('a property given twice in different letter case with different values is ERROR', () => {
  for (const controlId of CONTROL_IDS) {
    for (const kind of CLUSTER_KINDS) {
      const targets = targetsOf(controlId, kind).filter((target) => target.depth > 0);
      for (const target of targets) {
        const path = target.read.path.slice(0, target.depth);
        it(`${controlId} ${kind} ${target.read.subject}:${path.join('.')}`, () => {
          const full = target.depth === target.read.path.length;
          fc.assert(
            fc.property(twinValue, fc.constantFrom(...PLACEMENTS), (value, placement) => {
              // A twin holding the same value as the key it doubles is not a conflict.
              fc.pre(
                full
                  ? JSON.stringify(value) !== JSON.stringify(target.read.example)
                  : JSON.stringify(value) !== '{}',
              );
              const fixture = buildFixture(controlId, kind, {
                placement,
                focus: target.read,
                mutation: { target, value, caseVariant: true },
              });
              const finding = findingOf(scan(fixture.rows), fixture.clusterId, controlId);
              const label = `${placement} ${path.join('.')} twin ${showValue(value)} → ${finding.status}: ${finding.reason}`;
              expect(finding.status, label).toBe('ERROR');
              expect(finding.reason, label).toContain('different letter case');
              expect(finding.reason.toLowerCase(), label).toContain(path[path.length - 1]?.toLowerCase());
            }),
            { numRuns: 6 },
          );
        });
      }
    }
  }
});
