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

/**
 * A segment's vectors in 4 bits a value, in WebAssembly memory of this thread: where the nearest rows
 * of a large segment are looked for before the best of them are scored exactly on their float values
 * (as Elasticsearch's `int4_flat`, Faiss's `IndexScalarQuantizer` with re-ranking).
 *
 * - Each row is scaled by its own largest absolute value to -7..7 and keeps its scale; for cosine it is
 *   made unit length first. The query is scaled to 16 bits. The error on a similarity (about 0.006 for
 *   unit vectors of 384 dimensions) is far below the gap between the 10th and the 100th neighbours of
 *   ANT's paragraphs (0.04), so rescoring a few dozen candidates exactly finds the exact neighbours
 *   (`bench/vector-search.ts` measures the recall).
 * - Made per thread from the segment's float vectors (one thread's memory cannot be shared with the
 *   kernel's scratch space of another): an eighth of the float vectors.
 *
 * @example
 * const quantized = QuantizedVectors.of(values, 384, rows, norms);
 * const approximate = quantized.similarities(unitQuery); // one per row
 */
export class QuantizedVectors {
  /** Bytes of a row: dimensions padded to whole blocks, two a byte. */
  private readonly rowBytes: number;
  private readonly queryAt = 0;
  private readonly outAt: number;
  private readonly scalesAt: number;
  private readonly codesAt: number;
  private readonly scan: Int4Scan;
  private readonly memory: WebAssembly.Memory;

  private constructor(
    readonly dimensions: number,
    readonly rows: number,
  ) {
    this.rowBytes = roundUp(dimensions, BLOCK) / 2;
    this.outAt = roundUp(this.rowBytes * 4, 16);
    this.scalesAt = this.outAt + roundUp(rows * 4, 16);
    this.codesAt = this.scalesAt + roundUp(rows * 4, 16);
    const bytes = this.codesAt + rows * this.rowBytes;
    this.memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(bytes / PAGE_BYTES)) });
    this.scan = int4Scan(this.memory);
  }

  /**
   * Quantizes `rows` vectors of `dimensions` values, row after row in `values`; with `norms` (each
   * row's length), each made unit length first, for cosine.
   */
  static of(
    values: Float32Array,
    dimensions: number,
    rows: number,
    norms: Float32Array | undefined,
  ): QuantizedVectors {
    const quantized = new QuantizedVectors(dimensions, rows);
    const { rowBytes } = quantized;
    const scales = new Float32Array(quantized.memory.buffer, quantized.scalesAt, rows);
    const codes = new Uint8Array(quantized.memory.buffer, quantized.codesAt, rows * rowBytes);
    // A padding dimension's code stands for 0; the query's padding is 0 anyway.
    codes.fill(CODE_OFFSET | (CODE_OFFSET << 4));
    for (let row = 0; row < rows; row += 1) {
      const at = row * dimensions;
      let largest = 0;
      for (let i = 0; i < dimensions; i += 1) largest = Math.max(largest, Math.abs(values[at + i]!));
      if (largest === 0) continue; // every code 0, scale 0
      const length = norms === undefined ? 1 : norms[row]! || 1;
      scales[row] = largest / length / ROW_LEVELS;
      const factor = ROW_LEVELS / largest;
      const rowAt = row * rowBytes;
      for (let i = 0; i < dimensions; i += 1) {
        const code = Math.round(values[at + i]! * factor) + CODE_OFFSET;
        // Dimension j + t of a block goes in the low half of byte t, j + 16 + t in its high half.
        const block = i - (i % BLOCK);
        const t = i - block;
        const byte = rowAt + block / 2 + (t % 16);
        codes[byte] = t < 16 ? (codes[byte]! & 0xf0) | code : (codes[byte]! & 0x0f) | (code << 4);
      }
    }
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
    const { queryAt, codesAt, rows, rowBytes, scalesAt, outAt } = this;
    this.scan(queryAt, codesAt, rows, rowBytes, scalesAt, offset, queryScale, outAt);
    return approximate;
  }
}
