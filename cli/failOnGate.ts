import type { StatusCounts } from '../shared/catalog/types.js';
import type { EffectiveCounts, EffectiveStatus } from '../shared/governance/records.js';

/**
 * What `--fail-on` (observed statuses; EXCEPTED, an effective status only, on effective ones) and
 * `--fail-on-effective` (effective statuses) found: one line per option that matched, or none.
 * A run without governance has effective statuses equal to the observed ones.
 */
export function failOnMatches(
  run: { counts: StatusCounts; effectiveCounts?: EffectiveCounts },
  failOn: readonly EffectiveStatus[],
  failOnEffective: readonly EffectiveStatus[],
): string[] {
  const effective: EffectiveCounts = run.effectiveCounts ?? { ...run.counts, EXCEPTED: 0 };
  const observed = (status: EffectiveStatus): number =>
    status === 'EXCEPTED' ? effective.EXCEPTED : run.counts[status];
  const found = (count: (status: EffectiveStatus) => number, statuses: readonly EffectiveStatus[]) =>
    statuses.filter((status) => count(status) > 0).map((status) => `${count(status)} ${status}`);
  const lines: string[] = [];
  const onObserved = found(observed, failOn);
  if (onObserved.length > 0) lines.push(`--fail-on: found ${onObserved.join(', ')}`);
  const onEffective = found((status) => effective[status], failOnEffective);
  if (onEffective.length > 0) lines.push(`--fail-on-effective: found ${onEffective.join(', ')} (effective)`);
  return lines;
}
