/**
 * One copy of each distinct string value: the values a run repeats over and over (statuses,
 * control titles, subscription and cluster IDs, dates) held once however many findings, changes or
 * rows carry them. Strings read from JSON or storage are otherwise a copy each.
 */
export class ValuePool {
  private readonly values = new Map<string, string>();

  /** The pool's copy of `value` (`value` itself the first time). */
  hold<T extends string | undefined>(value: T): T {
    if (value === undefined) return value;
    const held = this.values.get(value);
    if (held !== undefined) return held as T;
    this.values.set(value, value);
    return value;
  }
}
