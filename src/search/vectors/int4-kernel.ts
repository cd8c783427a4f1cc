/**
 * The one hot loop of vector search, in WebAssembly with 128-bit SIMD: the dot products of a 16-bit
 * query with every row of a block of 4-bit vectors. JavaScript has no SIMD: a scalar loop over ANT's
 * 266,714 vectors of 384 dimensions takes 140 ms, this one 7-10 ms (8-bit rows took 15 ms, bound by
 * the 102 MB they read; 4-bit ones unpacked byte by byte 9.5 ms). Two rows are summed at a time, so
 * that they share the query's loads and the loop's. The module is assembled here from its instructions
 * (the WebAssembly binary format is small and fixed), so there is no build step and no binary in the
 * repository; `int4-kernel.test.ts` checks it against a plain loop.
 *
 * The function `scan(query, codes, rows, rowBytes, scales, offset, queryScale, out)`:
 * - `codes`: `rows` rows (an even number: pad with a row of zeros) of `rowBytes` bytes (a multiple of
 *   16); each 16 bytes hold a block of 32 dimensions `j..j+32` as eight little-endian 16-bit lanes, lane
 *   `l` holding dimension `j + l` in bits 0–3, `j + 8 + l` in bits 4–7, `j + 16 + l` in bits 8–11 and
 *   `j + 24 + l` in bits 12–15, each an unsigned value 0–15;
 * - `query`: `2 × rowBytes` signed 16-bit integers, one per dimension, in order;
 * - `scales`: `rows` 32-bit floats;
 * - writes to `out`, for each row, the 32-bit float `(Σ query × code - offset) × scale × queryScale`.
 *   Every address is a byte offset in the memory imported as `env.memory`. A sum of `d` products is at
 *   most `d × 15 × 32,768` in size: below 2³¹ up to 4,369 dimensions.
 */

/** Core instructions used, by their WebAssembly names. */
const I = {
  block: 0x02,
  loop: 0x03,
  end: 0x0b,
  brIf: 0x0d,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  i32Store: 0x36,
  i32Const: 0x41,
  i32Eqz: 0x45,
  i32LtU: 0x49,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32Mul: 0x6c,
  f32Load: 0x2a,
  f32Store: 0x38,
  f32Mul: 0x94,
  f32ConvertI32S: 0xb2,
} as const;

/** SIMD instructions used (after the 0xfd prefix), by their WebAssembly names. */
const V = {
  load: 0x00,
  const: 0x0c,
  i32x4ExtractLane: 0x1b,
  v128And: 0x4e,
  i16x8ShrU: 0x8d,
  i32x4Add: 0xae,
  i32x4DotI16x8S: 0xba,
} as const;

const TYPE = { i32: 0x7f, f32: 0x7d, v128: 0x7b, func: 0x60, emptyBlock: 0x40 } as const;

function unsignedLeb(value: number): number[] {
  const bytes: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (value !== 0);
  return bytes;
}

function signedLeb(value: number): number[] {
  const bytes: number[] = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    if ((value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0)) {
      bytes.push(byte);
      return bytes;
    }
    bytes.push(byte | 0x80);
  }
}

const simd = (op: number, ...immediates: number[]) => [0xfd, ...unsignedLeb(op), ...immediates];
/** `v128.load` with no alignment promise and a constant offset. */
const load = (offset = 0) => simd(V.load, 0, ...unsignedLeb(offset));
const get = (local: number) => [I.localGet, local];
const set = (local: number) => [I.localSet, local];
const tee = (local: number) => [I.localTee, local];
const constant = (value: number) => [I.i32Const, ...signedLeb(value)];

// Parameters and locals of scan, by number.
const QUERY = 0;
const CODES = 1;
const ROWS = 2;
const ROW_BYTES = 3;
const SCALES = 4;
const OFFSET = 5;
const QUERY_SCALE = 6; // f32
const OUT = 7;
const END = 8; // just past the last pair of rows
const ROW = 9; // the first row of the pair being summed
const AT = 10; // its next 16 bytes
const AT_SECOND = 11; // the second row's
const Q = 12; // the query's values for those 32 dimensions
const ROW_END = 13;
const FIRST = 14; // v128: four partial sums of the first row
const SECOND = 15; // v128: and of the second
const MASK = 16; // v128: 0x000f in every 16-bit lane
const Q0 = 17; // v128 × 4: the query's 32 values, 8 by 8
const CODES_A = 21; // v128: 16 bytes of the first row
const CODES_B = 22; // v128: and of the second

/**
 * Adds to a row's sums (`sum`) the 32 products of its 16 code bytes (`codes`, four 4-bit codes to a
 * 16-bit lane) with the query's values Q0..Q3: each quarter of the lanes' bits shifted down and masked
 * (`i16x8.shr_u`, `v128.and`: one instruction each on x86), then `i32x4.dot_i16x8_s` (`pmaddwd`: 8
 * products and 4 sums in one instruction).
 */
const addProducts = (sum: number, codes: number) => [
  ...get(sum),
  ...get(codes), ...get(MASK), ...simd(V.v128And), ...get(Q0), ...simd(V.i32x4DotI16x8S),
  ...get(codes), ...constant(4), ...simd(V.i16x8ShrU), ...get(MASK), ...simd(V.v128And), ...get(Q0 + 1), ...simd(V.i32x4DotI16x8S),
  ...simd(V.i32x4Add),
  ...get(codes), ...constant(8), ...simd(V.i16x8ShrU), ...get(MASK), ...simd(V.v128And), ...get(Q0 + 2), ...simd(V.i32x4DotI16x8S),
  ...get(codes), ...constant(12), ...simd(V.i16x8ShrU), ...get(Q0 + 3), ...simd(V.i32x4DotI16x8S),
  ...simd(V.i32x4Add),
  ...simd(V.i32x4Add), ...simd(V.i32x4Add), ...set(sum),
]; // prettier-ignore

/** Stores `(the four sums added - offset) × scales[row] × queryScale` at OUT, and moves OUT and SCALES on. */
const storeRow = (sum: number) => [
  ...get(OUT),
  ...get(sum), ...simd(V.i32x4ExtractLane, 0),
  ...get(sum), ...simd(V.i32x4ExtractLane, 1), I.i32Add,
  ...get(sum), ...simd(V.i32x4ExtractLane, 2), I.i32Add,
  ...get(sum), ...simd(V.i32x4ExtractLane, 3), I.i32Add,
  ...get(OFFSET), I.i32Sub, I.f32ConvertI32S,
  ...get(SCALES), I.f32Load, 2, 0, I.f32Mul, ...get(QUERY_SCALE), I.f32Mul,
  I.f32Store, 2, 0,
  ...get(OUT), ...constant(4), I.i32Add, ...set(OUT),
  ...get(SCALES), ...constant(4), I.i32Add, ...set(SCALES),
]; // prettier-ignore

const ZERO = simd(V.const, ...new Array<number>(16).fill(0));

const scanBody = [
  ...simd(V.const, ...[0x0f, 0x00, 0x0f, 0x00, 0x0f, 0x00, 0x0f, 0x00, 0x0f, 0x00, 0x0f, 0x00, 0x0f, 0x00, 0x0f, 0x00]),
  ...set(MASK),
  ...get(CODES), ...get(ROWS), ...get(ROW_BYTES), I.i32Mul, I.i32Add, ...set(END),
  ...get(CODES), ...set(ROW),
  I.block, TYPE.emptyBlock,
  ...get(ROWS), I.i32Eqz, I.brIf, 0,
  I.loop, TYPE.emptyBlock,
  ...ZERO, ...set(FIRST), ...ZERO, ...set(SECOND),
  ...get(ROW), ...tee(AT), ...get(ROW_BYTES), I.i32Add, ...tee(ROW_END), ...set(AT_SECOND),
  ...get(QUERY), ...set(Q),
  I.loop, TYPE.emptyBlock,
  ...get(Q), ...load(0), ...set(Q0), ...get(Q), ...load(16), ...set(Q0 + 1),
  ...get(Q), ...load(32), ...set(Q0 + 2), ...get(Q), ...load(48), ...set(Q0 + 3),
  ...get(AT), ...load(), ...set(CODES_A), ...get(AT_SECOND), ...load(), ...set(CODES_B),
  ...addProducts(FIRST, CODES_A),
  ...addProducts(SECOND, CODES_B),
  ...get(Q), ...constant(64), I.i32Add, ...set(Q),
  ...get(AT_SECOND), ...constant(16), I.i32Add, ...set(AT_SECOND),
  ...get(AT), ...constant(16), I.i32Add, ...tee(AT), ...get(ROW_END), I.i32LtU, I.brIf, 0,
  I.end,
  ...storeRow(FIRST),
  ...storeRow(SECOND),
  ...get(AT_SECOND), ...tee(ROW), ...get(END), I.i32LtU, I.brIf, 0,
  I.end,
  I.end,
  I.end,
]; // prettier-ignore

function section(id: number, content: readonly number[]): number[] {
  return [id, ...unsignedLeb(content.length), ...content];
}

function name(text: string): number[] {
  const bytes = [...Buffer.from(text, 'utf8')];
  return [...unsignedLeb(bytes.length), ...bytes];
}

/** The module's bytes: one function type, the imported memory, `scan` and its export. */
function moduleBytes(): Uint8Array {
  const locals = [2, 6, TYPE.i32, 9, TYPE.v128]; // 6 i32 locals, then 9 v128
  const body = [...locals, ...scanBody];
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00], // "\0asm", version 1
    ...section(1, [1, TYPE.func, 8, ...new Array<number>(6).fill(TYPE.i32), TYPE.f32, TYPE.i32, 0]),
    ...section(2, [1, ...name('env'), ...name('memory'), 0x02, 0x00, 0x01]), // memory, min 1 page
    ...section(3, [1, 0]),
    ...section(7, [1, ...name('scan'), 0x00, 0]),
    ...section(10, [1, ...unsignedLeb(body.length), ...body]),
  ]);
}

let compiled: WebAssembly.Module | undefined;

/** The scan function of a new instance working in `memory`. */
export function int4Scan(memory: WebAssembly.Memory): Int4Scan {
  compiled ??= new WebAssembly.Module(moduleBytes());
  const instance = new WebAssembly.Instance(compiled, { env: { memory } });
  return instance.exports.scan as Int4Scan;
}

/** See the module's comment. */
export type Int4Scan = (
  query: number,
  codes: number,
  rows: number,
  rowBytes: number,
  scales: number,
  offset: number,
  queryScale: number,
  out: number,
) => void;
