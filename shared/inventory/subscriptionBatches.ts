import { getCi } from './caseInsensitive.js';
import { subscriptionOf } from './resourceId.js';

/**
 * Deals inventory rows out to `count` batches by subscription, keeping the batches about the same
 * size: a subscription goes, when first seen, to the batch holding the fewest bytes so far, and
 * every later row of it (its ID's subscription compared ignoring case) to the same batch. Rows
 * without a subscription in their `id` go to batch 0. A fleet of equal subscriptions fills every
 * batch alike, however many batches there are, so the largest batch — what judging a batch holds —
 * does not grow with the fleet, as it does when subscriptions are hashed to batches.
 */
export class SubscriptionBatches {
  private readonly bySubscription = new Map<string, number>();
  private readonly bytes: number[];

  constructor(readonly count: number) {
    this.bytes = Array.from({ length: count }, () => 0);
  }

  /** The batch of a row whose JSON text is `size` characters long. */
  batchOf(value: unknown, size: number): number {
    const batch = this.count <= 1 ? 0 : this.assign(value);
    this.bytes[batch] = (this.bytes[batch] ?? 0) + size;
    return batch;
  }

  private assign(value: unknown): number {
    const id = getCi(value, 'id');
    const subscription = typeof id === 'string' ? subscriptionOf(id)?.toLowerCase() : undefined;
    if (subscription === undefined) return 0;
    const known = this.bySubscription.get(subscription);
    if (known !== undefined) return known;
    let lightest = 0;
    for (let batch = 1; batch < this.count; batch++)
      if ((this.bytes[batch] ?? 0) < (this.bytes[lightest] ?? 0)) lightest = batch;
    this.bySubscription.set(subscription, lightest);
    return lightest;
  }
}
