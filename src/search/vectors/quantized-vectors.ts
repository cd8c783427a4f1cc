/** Vectors quantised to 4 bits a value, and a segment's 4-bit vectors scanned in WebAssembly. */
import { type Int4Scan, int4Scan } from './int4-kernel.js';

/** A row's values as codes -7..7 (stored + 8, in 4 bits): symmetric, so that -x is the code of -value. */
const ROW_LEVELS = 7;
const CODE_OFFSET = 8;
/** A query's values as codes in 16 bits: no sum of 4,096 products with a row's codes overflows 32 bits. */
const QUERY_LEVELS = 32_767;
/** Dimensions a block of 16 code bytes holds. */
const BLOCK = 32;
const PAGE_BYTES = 65_536;

const roundUp = (value: number, multiple: number) => Math.ceil(value / multiple) * multiple;

/** Bytes of one row's codes: its dimensions padded to whole blocks of 32, two to a byte. */
export function codeBytes(dimensions: number): number {
  return roundUp(dimensions, BLOCK) / 2;
}

/**
 * Vectors in 4 bits a value, as a segment stores them beside the float vectors (written once by the
 * segment writer or merger, saved in its file): each row scaled by its own largest absolute value to
 * -7..7, its scale kept.
 *
 * - A row's codes are the same for cosine (the row made unit length first only changes its scale, by
 *   the row's length): one set of codes serves both similarities.
 * - Layout: row after row of {@link codeBytes}; each block of 32 dimensions `j..j+32` in 16 bytes, as
 *   eight 16-bit lanes, lane `l` holding dimensions `j + l`, `j + 8 + l`, `j + 16 + l`, `j + 24 + l` from
 *   its lowest 4 bits up, each code + 8 (see the kernel).
 *
 * @example quantizeRows(Float32Array.of(0.5, -1), 2, 1).scales // → Float32Array [1 / 7]
 */
export function quantizeRows(
  values: Float32Array,
  dimensions: number,
  rows: number,
): { codes: Uint8Array; scales: Float32Array } {
  const rowBytes = codeBytes(dimensions);
  // A padding dimension's code stands for 0.
  const codes = new Uint8Array(rows * rowBytes).fill(CODE_OFFSET | (CODE_OFFSET << 4));
  const scales = new Float32Array(rows);
  // Codes for dimension i of a row, 0 for those past its dimensions.
  const row = new Uint8Array(roundUp(dimensions, BLOCK)).fill(CODE_OFFSET);
  for (let r = 0; r < rows; r += 1) {
    const at = r * dimensions;
    let largest = 0;
    for (let i = 0; i < dimensions; i += 1) {
      const value = values[at + i]!;
      if (value > largest) largest = value;
      else if (-value > largest) largest = -value;
    }
    if (largest === 0) continue; // every code 0, scale 0
    scales[r] = largest / ROW_LEVELS;
    const factor = ROW_LEVELS / largest;
    // Rounded half up, as Math.round, on values made positive (1..15) by the offset.
    for (let i = 0; i < dimensions; i += 1) row[i] = (values[at + i]! * factor + CODE_OFFSET + 0.5) | 0;
    const rowAt = r * rowBytes;
    for (let block = 0; block < row.length; block += BLOCK) {
      const byteAt = rowAt + block / 2;
      for (let lane = 0; lane < 8; lane += 1) {
        codes[byteAt + 2 * lane] = row[block + lane]! | (row[block + 8 + lane]! << 4);
        codes[byteAt + 2 * lane + 1] = row[block + 16 + lane]! | (row[block + 24 + lane]! << 4);
      }
    }
  }
  return { codes, scales };
}

/**
 * A segment's 4-bit vectors (see {@link quantizeRows}) in WebAssembly memory of this thread: where the
 * nearest rows of a large segment are looked for before the best of them are scored exactly on their
 * float values (as Elasticsearch's `int4_flat`, Faiss's `IndexScalarQuantizer` with re-ranking).
 *
 * - The query is scaled to 16 bits. The error on a similarity (about 0.006 for unit vectors of 384
 *   dimensions) is far below the gap between the 10th and the 100th neighbours of ANT's paragraphs
 *   (0.04), so rescoring a few dozen candidates exactly finds the exact neighbours
 *   (`bench/vector-search.ts` measures the recall).
 * - A copy per thread (one thread's memory cannot hold another's scratch space): an eighth of the float
 *   vectors, made in milliseconds from the segment's codes.
 *
 * @example
 * const quantized = QuantizedVectors.of(codes, scales, 384, norms);
 * const approximate = quantized.similarities(unitQuery); // one per row
 */
export class QuantizedVectors {
  private readonly rowBytes: number;
  private readonly queryAt = 0;
  private readonly outAt: number;
  private readonly scalesAt: number;
  private readonly codesAt: number;
  private readonly scan: Int4Scan;
  private readonly memory: WebAssembly.Memory;

  /** Rows the kernel sums: an even number (it sums two at a time), the last maybe a row of zeros. */
  private readonly scanned: number;

  private constructor(
    readonly dimensions: number,
    readonly rows: number,
  ) {
    this.rowBytes = codeBytes(dimensions);
    this.scanned = roundUp(rows, 2);
    this.outAt = roundUp(this.rowBytes * 4, 16);
    this.scalesAt = this.outAt + roundUp(this.scanned * 4, 16);
    this.codesAt = this.scalesAt + roundUp(this.scanned * 4, 16);
    const bytes = this.codesAt + this.scanned * this.rowBytes;
    this.memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(bytes / PAGE_BYTES)) });
    this.scan = int4Scan(this.memory);
  }

  /**
   * The codes and scales of `quantizeRows` for rows of `dimensions` values; with `norms` (each row's
   * length), each row's scale divided by its length, which compares by cosine.
   */
  static of(
    codes: Uint8Array,
    scales: Float32Array,
    dimensions: number,
    norms: Float32Array | undefined,
  ): QuantizedVectors {
    const quantized = new QuantizedVectors(dimensions, scales.length);
    const { buffer } = quantized.memory;
    new Uint8Array(buffer, quantized.codesAt, codes.length).set(codes);
    const ownScales = new Float32Array(buffer, quantized.scalesAt, scales.length);
    ownScales.set(scales);
    if (norms !== undefined)
      for (let row = 0; row < scales.length; row += 1) ownScales[row]! /= norms[row]! || 1;
    return quantized;
  }

  /** Bytes it holds: its WebAssembly memory. */
  get bytes(): number {
    return this.memory.buffer.byteLength;
  }

  /**
   * The approximate similarity (dot product) of a query, already as it is compared (unit length for
   * cosine), with every row: a view of this object's memory, overwritten by the next call.
   */
  similarities(query: Float32Array): Float32Array {
    let largest = 0;
    for (let i = 0; i < this.dimensions; i += 1) largest = Math.max(largest, Math.abs(query[i]!));
    const approximate = new Float32Array(this.memory.buffer, this.outAt, this.rows);
    if (largest === 0) return approximate.fill(0);
    const queryScale = largest / QUERY_LEVELS;
    const codes = new Int16Array(this.memory.buffer, this.queryAt, this.rowBytes * 2);
    let codeSum = 0;
    for (let i = 0; i < this.dimensions; i += 1) {
      const code = Math.round(query[i]! / queryScale);
      codes[i] = code;
      codeSum += code;
    }
    // The stored codes are offset by 8: Σ q·(c + 8) - 8·Σ q = Σ q·c.
    const offset = CODE_OFFSET * codeSum;
    const { queryAt, codesAt, scanned, rowBytes, scalesAt, outAt } = this;
    this.scan(queryAt, codesAt, scanned, rowBytes, scalesAt, offset, queryScale, outAt);
    return approximate;
  }
}
