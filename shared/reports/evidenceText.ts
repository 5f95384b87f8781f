import type { Evidence } from '../catalog/types.js';

/** An observed value as text: strings as they are, null as "(absent)", anything else as JSON. */
export function observedText(value: unknown): string {
  if (value === null || value === undefined) return '(absent)';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** `path=observed; path=observed` over every check. */
export function compactObserved(evidence: Evidence): string {
  return evidence.checks.map((check) => `${check.path}=${observedText(check.observed)}`).join('; ');
}

/** `path: expected; path: expected` over every check. */
export function compactExpected(evidence: Evidence): string {
  return evidence.checks.map((check) => `${check.path}: ${check.expected}`).join('; ');
}
