/** The distinct written words of a segment build, each found again by one hash probe. */
import { GrowableArray, growableInt32, growableUint32 } from './growable.js';

/**
 * The distinct written words of a build, each with the token types it yields, found by one hash probe
 * over the text's code units: no string is cut out of the text for a word already seen, and no
 * general-purpose map is consulted for the millions of words a large build reads.
 */
export class WrittenWords {
  private slots = new Int32Array(1 << 16).fill(-1);
  private readonly hashes = growableInt32();
  private readonly starts = growableUint32();
  private readonly lengths = growableUint32();
  private readonly typeStarts = growableUint32();
  private readonly units = new GrowableArray((size) => new Uint16Array(size));
  /** The token types of every word, word after word. */
  readonly types = growableUint32();

  /**
   * The number of the word `text[start..end)`, adding it with the types `typesOf` gives when new.
   * Its types are `types[typeStart(word) .. typeEnd(word))`.
   */
  find(text: string, start: number, end: number, typesOf: (word: string) => readonly number[]): number {
    let hash = 0x811c9dc5;
    for (let at = start; at < end; at += 1) hash = Math.imul(hash ^ text.charCodeAt(at), 0x01000193);
    const { slots } = this;
    const mask = slots.length - 1;
    const length = end - start;
    const hashes = this.hashes.values;
    const lengths = this.lengths.values;
    const starts = this.starts.values;
    const units = this.units.values;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const word = slots[slot]!;
      if (word === -1) return this.add(slot, hash, text, start, end, typesOf);
      if (hashes[word] !== hash || lengths[word] !== length) continue;
      const from = starts[word]!;
      let same = true;
      for (let at = 0; at < length && same; at += 1) same = units[from + at] === text.charCodeAt(start + at);
      if (same) return word;
    }
  }

  typeStart(word: number): number {
    return this.typeStarts.values[word]!;
  }

  typeEnd(word: number): number {
    return word + 1 < this.typeStarts.length ? this.typeStarts.values[word + 1]! : this.types.length;
  }

  private add(
    slot: number,
    hash: number,
    text: string,
    start: number,
    end: number,
    typesOf: (word: string) => readonly number[],
  ): number {
    const word = this.hashes.length;
    this.hashes.push(hash);
    this.starts.push(this.units.length);
    this.lengths.push(end - start);
    for (let at = start; at < end; at += 1) this.units.push(text.charCodeAt(at));
    this.typeStarts.push(this.types.length);
    for (const type of typesOf(text.slice(start, end))) this.types.push(type);
    this.slots[slot] = word;
    if (2 * this.hashes.length > this.slots.length) this.grow();
    return word;
  }

  /** Doubles the table, placing every word again: kept at most half full, so probes stay short. */
  private grow(): void {
    const slots = new Int32Array(this.slots.length * 2).fill(-1);
    const mask = slots.length - 1;
    for (let word = 0; word < this.hashes.length; word += 1) {
      let slot = this.hashes.at(word) & mask;
      while (slots[slot] !== -1) slot = (slot + 1) & mask;
      slots[slot] = word;
    }
    this.slots = slots;
  }
}
