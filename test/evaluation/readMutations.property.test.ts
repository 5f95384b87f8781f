/**
 * The mutation suite: every property path any control reads (declared by its evaluator, see
 * shared/evaluation/propertyReads.ts), and each parent object on the way, is changed to each wrong
 * JSON type, to absent, to null and to out-of-range or implausible values. The verdict of that
 * control is never PASS, and its reason names the value, unless the catalog documents what absence
 * means (a default, information only). Paths come from the declarations, so a new control is
 * covered as soon as it declares what it reads (declaredReads.test.ts fails when it does not).
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';

import { controlById } from '../../shared/catalog/controls.js';
import { CLUSTER_KINDS, CONTROL_IDS, type Finding } from '../../shared/catalog/types.js';
import type { PropertyRead, ValueShape } from '../../shared/evaluation/propertyReads.js';
import { showValue } from '../../shared/evaluation/valueText.js';
import { NOW } from '../support/clock.js';
import { findingOf, scan } from '../support/scan.js';
import {
  ABSENT,
  PLACEMENTS,
  buildFixture,
  readsUnder,
  targetsOf,
  type Placement,
  type Target,
} from './declaredReadFixtures.js';

const RUNS_PER_CLASS = 8;

type MutationClass = 'absent' | 'null' | 'wrong-type' | 'implausible';

const figures = {
  /** Distinct declared property paths (subject, capability, keys), whatever control reads them. */
  leafPaths: new Set<string>(),
  paths: new Set<string>(),
  targets: 0,
  mutations: 0,
  passOnMutated: 0,
  passOnDocumentedAbsence: 0,
  byClass: { absent: 0, null: 0, 'wrong-type': 0, implausible: 0 } as Record<MutationClass, number>,
};

const DAY_MS = 86_400_000;

// ---------------------------------------------------------------------------------------------
// Values of each class

// Text that does not start with "{" (an export's `properties` given as JSON text is parsed back).
const anyString = fc.string({ maxLength: 30 }).filter((text) => !text.trim().startsWith('{'));
const jsonObject = fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 });
const jsonArray = fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 });
const jsonNumber = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }));

/** JSON values whose type the shape does not accept (null and absence are their own classes). */
function wrongTypes(shape: ValueShape | 'container'): fc.Arbitrary<unknown> {
  const powershellText = fc.constantFrom(
    '@{rotationPollIntervalInSeconds=7200}',
    '@{enabled=True}',
    'System.Object[]',
  );
  switch (shape) {
    case 'enum':
    case 'timestamp':
    case 'agentVersion':
    case 'text':
      return fc.oneof(jsonNumber, fc.boolean(), jsonObject, jsonArray);
    case 'boolean':
      return fc.oneof(jsonNumber, jsonObject, jsonArray);
    case 'seconds':
      return fc.oneof(fc.boolean(), jsonObject, jsonArray);
    case 'object':
    case 'container':
      return fc.oneof(powershellText, anyString, jsonNumber, fc.boolean(), jsonArray);
    case 'list':
      return fc.oneof(anyString, jsonNumber, fc.boolean(), jsonObject);
  }
}

function isoOf(ms: number): string {
  return new Date(ms).toISOString();
}

/** Values of the right type that are impossible, implausible or out of range; undefined when none. */
function implausible(read: PropertyRead): fc.Arbitrary<unknown> | undefined {
  const blank = fc.constantFrom('', '   ');
  switch (read.shape) {
    case 'enum': {
      const known = (read.values ?? []).map((value) => value.toLowerCase());
      return read.values
        ? fc.oneof(
            blank,
            anyString.filter((text) => !known.includes(text.trim().toLowerCase())),
          )
        : blank;
    }
    case 'boolean':
      return fc.oneof(
        fc.constantFrom('yes', 'on', '1', '@{enabled=True}', ''),
        anyString.filter((text) => !['true', 'false'].includes(text.trim().toLowerCase())),
      );
    case 'seconds':
      return fc.oneof(
        fc.constantFrom(
          '0',
          '-5',
          '-0.5',
          '1e400',
          '',
          'abc',
          '@{rotationPollIntervalInSeconds=7200}',
          0,
          -1,
        ),
        fc.integer({ max: 0 }),
        fc.integer({ min: -1_000_000, max: 0 }).map(String),
        fc.integer({ min: 3601, max: 2_000_000_000 }),
        anyString.filter((text) => !/^\s*\d+(\.\d+)?\s*$/.test(text)),
      );
    case 'timestamp': {
      const past = fc.integer({ min: Date.UTC(2019, 0, 1), max: NOW.getTime() - DAY_MS });
      return fc.oneof(
        // No zone: read in the host's zone, the verdict would depend on TZ.
        past.map((ms) => isoOf(ms).replace(/Z$/, '')),
        past.map((ms) => isoOf(ms).slice(0, 16)),
        // Later than the as-of time plus a day of collection lag.
        fc.integer({ min: NOW.getTime() + 2 * DAY_MS, max: Date.UTC(2100, 0, 1) }).map(isoOf),
        fc.constantFrom(
          '2026-02-30T00:00:00Z',
          '2026-13-01T00:00:00Z',
          '2026-06-01T25:00:00Z',
          '2026-06-01T00:00:00+25:00',
          'yesterday',
          '',
          '1749988800',
        ),
        anyString,
      );
    }
    case 'agentVersion':
      return fc.oneof(
        fc.constantFrom(
          '999999999999999999999.0.0',
          `1.${'9'.repeat(5000)}.0`,
          'latest',
          '',
          '1',
          '1.2.3.4',
          '-1.0.0',
        ),
        fc.bigInt({ min: 100_000n, max: 10n ** 30n }).map((major) => `${major}.0.0`),
        fc.bigInt({ min: 100_000n, max: 10n ** 30n }).map((minor) => `1.${minor}.0`),
        anyString.filter((text) => !/^\s*v?\d{1,5}\.\d{1,5}(\.\d{1,5})?\s*$/.test(text)),
      );
    case 'object':
    case 'list':
    case 'text':
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// What each mutation must give

function namesValue(reason: string, value: unknown): boolean {
  if (value === ABSENT) return /missing/i.test(reason);
  if (reason.includes(showValue(value))) return true;
  return typeof value === 'string' && value.trim() !== '' && reason.includes(value.trim());
}

interface Expectation {
  /** PASS is a documented outcome of this mutation (absence with a documented meaning). */
  passAllowed: boolean;
  /** The verdict must be ERROR. */
  error: boolean;
  /** The reason must name the value (or say "missing"). */
  named: boolean;
}

function expectationOf(target: Target, reads: readonly PropertyRead[], mutation: MutationClass): Expectation {
  const reached = readsUnder(target, reads);
  const full = target.depth === target.read.path.length;
  if (mutation === 'wrong-type') return { passAllowed: false, error: true, named: true };
  if (mutation === 'implausible') return { passAllowed: false, error: false, named: true };
  // A null where a declared read does not accept one is malformed.
  const atPrefix = reached.filter((read) => read.path.length === target.depth);
  if (mutation === 'null' && atPrefix.some((read) => !read.nullIsAbsent)) {
    return { passAllowed: false, error: true, named: true };
  }
  // Absent, or a null read as absent: what the declarations of every read it reaches say.
  const passAllowed = reached.every((read) => read.whenAbsent === 'allowed');
  const error = reached.some((read) => read.whenAbsent === 'error');
  return { passAllowed, error, named: !passAllowed || (!full && error) };
}

function runMutation(target: Target, mutation: MutationClass, value: unknown, placement: Placement): void {
  const fixture = buildFixture(target.controlId, target.kind, {
    placement,
    focus: target.read,
    mutation: { target, value: mutation === 'absent' ? ABSENT : value },
  });
  const finding: Finding = findingOf(scan(fixture.rows), fixture.clusterId, target.controlId);
  const expectation = expectationOf(target, fixture.reads, mutation);
  const label = `${target.controlId} ${target.kind} ${target.read.subject}:${target.read.path.slice(0, target.depth).join('.')} ← ${mutation} ${mutation === 'absent' ? '' : showValue(value)} (${placement}) → ${finding.status}: ${finding.reason}`;
  figures.mutations++;
  figures.byClass[mutation]++;
  if (finding.status === 'PASS') {
    if (expectation.passAllowed) figures.passOnDocumentedAbsence++;
    else figures.passOnMutated++;
  }
  if (!expectation.passAllowed) expect(finding.status, label).not.toBe('PASS');
  if (expectation.error) expect(finding.status, label).toBe('ERROR');
  if (expectation.named && finding.status !== 'PASS') {
    expect(
      namesValue(finding.reason, mutation === 'absent' ? ABSENT : value) ||
        (mutation === 'null' && /missing/.test(finding.reason)),
      label,
    ).toBe(true);
  }
  if (expectation.passAllowed && mutation === 'absent' && finding.status === 'PASS') {
    const mentions = target.read.absentReasonMentions;
    if (mentions && target.depth === target.read.path.length)
      expect(finding.reason, label).toContain(mentions);
  }
}

const placement = fc.constantFrom(...PLACEMENTS);

describe('mutation suite: a value of the wrong type or an impossible value is never a PASS', () => {
  for (const controlId of CONTROL_IDS) {
    for (const kind of CLUSTER_KINDS) {
      const targets = targetsOf(controlId, kind);
      if (targets.length === 0) continue;
      describe(`${controlId} on ${kind}`, () => {
        it('passes (or reaches its only documented outcome) on the well-formed cluster built from its declarations', () => {
          const outcomes = controlById(controlId).outcomes[kind];
          const focuses = [undefined, ...targets.map((target) => target.read)];
          for (const focus of focuses) {
            for (const where of PLACEMENTS) {
              const fixture = buildFixture(controlId, kind, { placement: where, focus });
              const finding = findingOf(scan(fixture.rows), fixture.clusterId, controlId);
              const wanted = outcomes.includes('PASS') ? 'PASS' : outcomes[0];
              expect(finding.status, `${where} ${focus?.path.join('.') ?? ''}: ${finding.reason}`).toBe(
                wanted,
              );
            }
          }
        });

        for (const target of targets) {
          const path =
            target.depth === 0 ? '(properties)' : target.read.path.slice(0, target.depth).join('.');
          const full = target.depth === target.read.path.length;
          it(`${target.read.subject} ${path}${target.read.capability ? ` (${target.read.capability})` : ''}`, () => {
            figures.paths.add(
              `${controlId}|${kind}|${target.read.subject}|${target.read.capability ?? ''}|${path}`.toLowerCase(),
            );
            figures.targets++;
            if (full) {
              figures.leafPaths.add(
                `${target.read.subject}|${target.read.capability ?? ''}|${path}`.toLowerCase(),
              );
            }
            runMutation(target, 'absent', ABSENT, 'arm');
            for (const where of PLACEMENTS) runMutation(target, 'null', null, where);
            fc.assert(
              fc.property(wrongTypes(full ? target.read.shape : 'container'), placement, (value, where) => {
                runMutation(target, 'wrong-type', value, where);
              }),
              { numRuns: RUNS_PER_CLASS },
            );
            const odd = full ? implausible(target.read) : undefined;
            if (odd) {
              fc.assert(
                fc.property(odd, placement, (value, where) => {
                  runMutation(target, 'implausible', value, where);
                }),
                { numRuns: RUNS_PER_CLASS },
              );
            }
          });
        }
      });
    }
  }

  afterAll(() => {
    expect(figures.passOnMutated).toBe(0);
    process.stdout.write(
      `mutation suite: ${figures.leafPaths.size} distinct property paths; ${figures.paths.size} (control, kind, path or parent) targets over ${CONTROL_IDS.length} controls; ` +
        `${figures.mutations} mutations (absent ${figures.byClass.absent}, null ${figures.byClass.null}, ` +
        `wrong type ${figures.byClass['wrong-type']}, implausible ${figures.byClass.implausible}); ` +
        `PASS on mutated input: ${figures.passOnMutated}; PASS on documented absence: ${figures.passOnDocumentedAbsence}\n`,
    );
  });
});
