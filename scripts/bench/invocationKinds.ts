/**
 * The kinds of Functions invocation the benchmark tells apart, each measured in a process of its
 * own (as on a cold instance): the peak RSS of a process recorded under the role
 * `Functions invocation: KIND` is that of one invocation of that kind.
 */
export const INVOCATION_ROLE_PREFIX = 'Functions invocation: ';

/** In the order of a run; a kind measured that is not listed here is shown after them. */
export const INVOCATION_KINDS = [
  'scan start',
  'batch read',
  'batch evaluation',
  'finalisation and publishing',
  'poison batch',
] as const;

/** The kind of a queue message's invocation, from the message's `kind`. */
export function invocationKindOfMessage(kind: unknown): string {
  if (kind === 'scan-batch') return 'batch read';
  if (kind === 'evaluate-batch') return 'batch evaluation';
  return typeof kind === 'string' && kind !== '' ? kind : 'unreadable message';
}

export const invocationRole = (kind: string): string => `${INVOCATION_ROLE_PREFIX}${kind}`;
