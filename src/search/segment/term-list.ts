/**
 * A compact segment's sorted terms kept as their UTF-16 code units, one term after another, rather than
 * as an array of strings: two typed arrays, shared by every thread that holds the segment and viewed
 * straight from its file, where strings would be a copy in each thread (ANT's dictionaries: 670,000
 * strings, 29 MB of each thread's heap).
 */
export class TermList {
  readonly length: number;

  /**
   * @param text every term's code units, in order
   * @param ends where each term ends in `text`: term `i` is `text[ends[i - 1] .. ends[i])`
   */
  constructor(
    readonly text: Uint16Array,
    readonly ends: Uint32Array,
  ) {
    this.length = ends.length;
  }

  /** The arrays of a list of terms (sorted by UTF-16 code units, as JavaScript sorts strings). */
  static encode(terms: readonly string[]): { termText: Uint16Array; termEnds: Uint32Array } {
    const termEnds = new Uint32Array(terms.length);
    let end = 0;
    terms.forEach((term, index) => {
      end += term.length;
      termEnds[index] = end;
    });
    const termText = new Uint16Array(end);
    let at = 0;
    for (const term of terms)
      for (let unit = 0; unit < term.length; unit += 1) termText[at++] = term.charCodeAt(unit);
    return { termText, termEnds };
  }

  /** The term at `index`, as a string. */
  term(index: number): string {
    const start = index === 0 ? 0 : this.ends[index - 1]!;
    const end = this.ends[index]!;
    // In chunks, so that a very long term cannot pass more arguments than a call takes.
    let term = '';
    for (let from = start; from < end; from += DECODE_CHUNK) {
      const units = this.text.subarray(from, Math.min(end, from + DECODE_CHUNK));
      term += String.fromCharCode.apply(null, units as unknown as number[]);
    }
    return term;
  }

  /** The terms of `[from, to)`, as strings. */
  terms(from = 0, to = this.length): string[] {
    const terms = new Array<string>(to - from);
    for (let index = from; index < to; index += 1) terms[index - from] = this.term(index);
    return terms;
  }

  /** The length of the term at `index`, in code units. */
  termLength(index: number): number {
    return this.ends[index]! - (index === 0 ? 0 : this.ends[index - 1]!);
  }

  /** The code unit at `depth` of the term at `index`, or -1 past its end. */
  unitAt(index: number, depth: number): number {
    const start = index === 0 ? 0 : this.ends[index - 1]!;
    return start + depth < this.ends[index]! ? this.text[start + depth]! : -1;
  }

  /** Negative, zero or positive as the term at `index` sorts before, as or after `key`. */
  compare(index: number, key: string): number {
    const start = index === 0 ? 0 : this.ends[index - 1]!;
    const length = this.ends[index]! - start;
    const shared = length < key.length ? length : key.length;
    const { text } = this;
    for (let unit = 0; unit < shared; unit += 1) {
      const difference = text[start + unit]! - key.charCodeAt(unit);
      if (difference !== 0) return difference;
    }
    return length - key.length;
  }

  /** Whether the term at `index` starts with `prefix`. */
  startsWith(index: number, prefix: string): boolean {
    const start = index === 0 ? 0 : this.ends[index - 1]!;
    if (this.ends[index]! - start < prefix.length) return false;
    for (let unit = 0; unit < prefix.length; unit += 1) {
      if (this.text[start + unit] !== prefix.charCodeAt(unit)) return false;
    }
    return true;
  }
}

/** Code units decoded by one call. */
const DECODE_CHUNK = 4096;
