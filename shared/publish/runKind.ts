/**
 * What a run covers: `fleet` is a scan of a whole scope (live or snapshot), `cluster` the live
 * re-check of one cluster. Single-cluster checks are stored and reported like any run, but they
 * are not mailed out and plan no notification events (a re-check is asked for by a person).
 */
export type RunKind = 'fleet' | 'cluster';

export const RUN_KINDS: readonly RunKind[] = ['fleet', 'cluster'];
