/** A cluster's location, for the findings of one part (its key is the cluster ID in lower case). */
export interface PartLocation {
  part: number;
  key: string;
  location: string;
}

/**
 * The locations of a run's clusters, read in step with its parts: `load(n)` before the findings of
 * part n, then `get` the location of each finding's cluster. Holds one part's clusters at a time;
 * parts are loaded in increasing order.
 */
export class ClusterLocations {
  private current = new Map<string, string>();
  private pending: PartLocation | undefined;
  private done = false;

  constructor(private readonly items: AsyncGenerator<PartLocation>) {}

  /** Loads the locations of part `part`'s clusters, dropping those of earlier parts. */
  async load(part: number): Promise<void> {
    this.current = new Map();
    while (!this.done) {
      if (this.pending === undefined) {
        const next = await this.items.next();
        if (next.done) {
          this.done = true;
          break;
        }
        this.pending = next.value;
      }
      if (this.pending.part > part) break;
      if (this.pending.part === part) this.current.set(this.pending.key, this.pending.location);
      this.pending = undefined;
    }
  }

  /** The location of the cluster whose ID in lower case is `key`, in the part loaded. */
  get(key: string): string | undefined {
    return this.current.get(key);
  }

  /** Stops reading (closes the files being read). */
  async close(): Promise<void> {
    this.done = true;
    await this.items.return(undefined);
  }
}
