import type { CollectionStats } from './collectionStats.js';
import { parseResetsAfter } from './httpFailure.js';
import { sleep } from './sleep.js';

/**
 * Paces Resource Graph requests from the quota headers of earlier responses
 * (`x-ms-user-quota-remaining`, `x-ms-user-quota-resets-after`): when the remaining quota is
 * spent, every caller waits for the window to reset (plus jitter) instead of drawing a 429.
 * Shared by all concurrent readers of one run.
 */
export class QuotaPacer {
  private remaining: number | undefined;
  private resetAt = 0;

  constructor(
    private readonly stats: CollectionStats,
    private readonly random: () => number = Math.random,
    private readonly now: () => number = Date.now,
  ) {}

  async beforeRequest(signal: AbortSignal): Promise<void> {
    while (this.remaining !== undefined && this.remaining <= 0) {
      const wait = this.resetAt - this.now();
      if (wait <= 0) {
        this.remaining = undefined;
        break;
      }
      const jittered = wait + Math.round(this.random() * Math.min(1000, wait * 0.2 + 50));
      this.stats.quotaPauses++;
      this.stats.throttleWaitMs += jittered;
      await sleep(jittered, signal);
    }
    if (this.remaining !== undefined) this.remaining--;
  }

  observe(header: (name: string) => string | undefined): void {
    const remaining = Number(header('x-ms-user-quota-remaining'));
    const resetsAfter = parseResetsAfter(header('x-ms-user-quota-resets-after'));
    if (header('x-ms-user-quota-remaining') === undefined || !Number.isFinite(remaining)) return;
    this.remaining = remaining;
    this.resetAt = this.now() + (resetsAfter ?? 5000);
  }
}
