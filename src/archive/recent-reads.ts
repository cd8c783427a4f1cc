/** A small cache of what was read back from the store most recently, least recently used dropped first. */

/**
 * Values read back most recently, by key, up to a limit (least recently used dropped first): news
 * searches return the same articles again and again, and each read is a SQLite look-up.
 */
export class RecentReads<T> {
  private readonly values = new Map<string, T>();

  constructor(private readonly limit: number) {}

  /** The value of a key, read through `read` unless it is at hand. */
  get(key: string, read: (key: string) => T | undefined): T | undefined {
    const known = this.values.get(key);
    if (known !== undefined) {
      // Map keeps insertion order: moved to the end, it is the most recently used.
      this.values.delete(key);
      this.values.set(key, known);
      return known;
    }
    const value = read(key);
    if (value === undefined) return undefined;
    this.values.set(key, value);
    if (this.values.size > this.limit) this.values.delete(this.values.keys().next().value!);
    return value;
  }

  /** Forgets a value that changed at its source. */
  forget(key: string): void {
    this.values.delete(key);
  }
}
