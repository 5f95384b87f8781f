import fc from 'fast-check';

/**
 * A number of batches from `min` to `max`, and a batch for each of `subscriptions` subscriptions
 * (by position): how a run's subscriptions may be dealt out to batches.
 */
export function batchAssignment(
  subscriptions: number,
  min: number,
  max: number,
): fc.Arbitrary<[number, number[]]> {
  return fc.integer({ min, max }).chain((count) =>
    fc.tuple(
      fc.constant(count),
      fc.array(fc.integer({ min: 0, max: count - 1 }), {
        minLength: subscriptions,
        maxLength: subscriptions,
      }),
    ),
  );
}
