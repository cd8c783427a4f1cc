/** A memo of bounded size that keeps what was used lately, for the analysis of words. */

/**
 * Remembers values by string key, at most `2 × limit` of them: two generations, the current one
 * taking every new key until it holds `limit`, when it becomes the previous one and the oldest is
 * dropped whole. A key found in the previous generation moves to the current one, so what is used keeps
 * being remembered (about as well as least-recently-used order, at the cost of a map look-up), and
 * memory stays flat however many distinct words a process meets.
 */
export class BoundedMemo<V> {
  private current = new Map<string, V>();
  private previous = new Map<string, V>();

  /** @param limit the size of a generation; it may be changed later, taking effect at the next new key. */
  constructor(public limit: number) {}

  get(key: string): V | undefined {
    const value = this.current.get(key);
    if (value !== undefined) return value;
    const older = this.previous.get(key);
    if (older !== undefined) this.set(key, older);
    return older;
  }

  set(key: string, value: V): void {
    if (this.current.size >= this.limit) {
      this.previous = this.current;
      this.current = new Map();
    }
    this.current.set(key, value);
  }

  /** Values remembered now, of both generations (at most `2 × limit`). */
  get size(): number {
    return this.current.size + this.previous.size;
  }
}
