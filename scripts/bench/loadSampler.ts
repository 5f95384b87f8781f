import { loadavg } from 'node:os';

/** The machine's load averages (1, 5 and 15 minutes) before and after a phase. */
export interface PhaseLoad {
  before: number[];
  after: number[];
}

const rounded = (load: number[]): number[] => load.map((n) => Number(n.toFixed(2)));

/**
 * Samples the load average every second, so the load around any phase of the run — also one known
 * only afterwards from a child's timestamped output — can be looked up by its start and end.
 */
export class LoadSampler {
  private readonly samples: Array<{ at: number; load: number[] }> = [];
  private readonly timer: NodeJS.Timeout;

  constructor(intervalMs = 1000) {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  private sample(): void {
    this.samples.push({ at: performance.now(), load: rounded(loadavg()) });
  }

  /** The sample nearest to `at` (a `performance.now()` time). */
  at(at: number): number[] {
    let nearest = this.samples[0];
    for (const sample of this.samples)
      if (nearest === undefined || Math.abs(sample.at - at) < Math.abs(nearest.at - at)) nearest = sample;
    return nearest?.load ?? rounded(loadavg());
  }

  around(from: number, to: number): PhaseLoad {
    this.sample();
    return { before: this.at(from), after: this.at(to) };
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
