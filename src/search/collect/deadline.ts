/**
 * When a search must stop finding matches: scorers ask {@link Deadline.passed} between units of work
 * (a posting list, a few thousand documents) and, once it has passed, rank what they found so far —
 * Elasticsearch's search `timeout`. Once passed it stays passed, so a search cut short is cut once.
 */
export class Deadline {
  private reached = false;

  /** `at`: a time of `now` (by default `performance.now()`, ms); `Infinity` never passes. */
  constructor(
    private readonly at: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  static readonly NEVER = new Deadline(Number.POSITIVE_INFINITY);

  /** A deadline `ms` from now; `undefined` or `Infinity` never passes. */
  static after(ms: number | undefined): Deadline {
    return ms === undefined || ms === Number.POSITIVE_INFINITY
      ? Deadline.NEVER
      : new Deadline(performance.now() + ms);
  }

  /** Whether the time is up (and the work it asks about should not be done). */
  passed(): boolean {
    if (!this.reached && this.at !== Number.POSITIVE_INFINITY && this.now() >= this.at) {
      this.reached = true;
    }
    return this.reached;
  }

  /** Milliseconds left (`Infinity` for a deadline that never passes; 0 once passed). */
  remainingMs(): number {
    return Math.max(0, this.at - this.now());
  }

  /** Whether a search asked it and found the time up. */
  get wasReached(): boolean {
    return this.reached;
  }
}

/**
 * Documents a scorer goes through between two looks at the clock: a phrase or an article filter may
 * cost microseconds a document, and a common word matches tens of thousands.
 */
export const DEADLINE_STRIDE = 1024;
