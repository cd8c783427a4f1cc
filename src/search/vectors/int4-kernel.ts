/**
 * The one hot loop of vector search, in WebAssembly with 128-bit SIMD: the dot products of a 16-bit
 * query with every row of a block of 4-bit vectors. JavaScript has no SIMD: a scalar loop over ANT's
 * 266,714 vectors of 384 dimensions takes 140 ms, this one about 8 ms (8-bit rows took 15 ms, bound
 * by the 102 MB they read). The module is assembled here from its instructions (the WebAssembly binary
 * format is small and fixed), so there is no build step and no binary in the repository;
 * `int4-kernel.test.ts` checks it against a plain loop.
 *
 * The function `scan(query, codes, rows, rowBytes, scales, offset, queryScale, out)`:
 * - `codes`: `rows` rows of `rowBytes` bytes (a multiple of 16); byte `t` of each 16 holds, from the
 *   block of 32 dimensions `j..j+32` it covers, dimension `j + t` in its low 4 bits and `j + 16 + t` in
 *   its high 4 bits, each an unsigned value 0–15;
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
  i8x16ShrU: 0x6d,
  i16x8ExtendLowI8x16U: 0x89,
  i16x8ExtendHighI8x16U: 0x8a,
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
const END = 8; // just past the last row
const ROW = 9; // the row being summed
const AT = 10; // its next 16 bytes
const Q = 11; // the query's values for those 32 dimensions
const ROW_END = 12;
const SUM = 13; // v128: four partial sums
const LOW = 14; // v128: 16 codes, from the low halves
const HIGH = 15; // v128: 16 codes, from the high halves
const MASK = 16; // v128: 0x0f in every byte

/**
 * `i32x4.dot_i16x8_s` of 8 codes of a local, widened to 16 bits (`extend`), with the query's 8 values at
 * `offset` bytes from Q: x86's `pmaddwd`, 8 products and 4 sums in one instruction.
 */
const dot = (codes: number, extend: number, offset: number) => [
  ...get(codes), ...simd(extend), ...get(Q), ...load(offset), ...simd(V.i32x4DotI16x8S),
]; // prettier-ignore

const scanBody = [
  ...simd(V.const, ...new Array<number>(16).fill(0x0f)), ...set(MASK),
  ...get(CODES), ...get(ROWS), ...get(ROW_BYTES), I.i32Mul, I.i32Add, ...set(END),
  ...get(CODES), ...set(ROW),
  I.block, TYPE.emptyBlock,
  ...get(ROWS), I.i32Eqz, I.brIf, 0,
  I.loop, TYPE.emptyBlock,
  ...simd(V.const, ...new Array<number>(16).fill(0)), ...set(SUM),
  ...get(ROW), ...tee(AT), ...get(ROW_BYTES), I.i32Add, ...set(ROW_END),
  ...get(QUERY), ...set(Q),
  I.loop, TYPE.emptyBlock,
  ...get(AT), ...load(), ...tee(HIGH), ...get(MASK), ...simd(V.v128And), ...set(LOW),
  ...get(HIGH), ...constant(4), ...simd(V.i8x16ShrU), ...set(HIGH),
  // 32 dimensions: j..j+8, j+8..j+16 from the low halves, j+16..j+24, j+24..j+32 from the high ones
  ...get(SUM),
  ...dot(LOW, V.i16x8ExtendLowI8x16U, 0), ...dot(LOW, V.i16x8ExtendHighI8x16U, 16), ...simd(V.i32x4Add),
  ...dot(HIGH, V.i16x8ExtendLowI8x16U, 32), ...dot(HIGH, V.i16x8ExtendHighI8x16U, 48), ...simd(V.i32x4Add),
  ...simd(V.i32x4Add), ...simd(V.i32x4Add), ...set(SUM),
  ...get(Q), ...constant(64), I.i32Add, ...set(Q),
  ...get(AT), ...constant(16), I.i32Add, ...tee(AT), ...get(ROW_END), I.i32LtU, I.brIf, 0,
  I.end,
  // out[row] = (the four partial sums added - offset) × scales[row] × queryScale
  ...get(OUT),
  ...get(SUM), ...simd(V.i32x4ExtractLane, 0),
  ...get(SUM), ...simd(V.i32x4ExtractLane, 1), I.i32Add,
  ...get(SUM), ...simd(V.i32x4ExtractLane, 2), I.i32Add,
  ...get(SUM), ...simd(V.i32x4ExtractLane, 3), I.i32Add,
  ...get(OFFSET), I.i32Sub, I.f32ConvertI32S,
  ...get(SCALES), I.f32Load, 2, 0, I.f32Mul, ...get(QUERY_SCALE), I.f32Mul,
  I.f32Store, 2, 0,
  ...get(OUT), ...constant(4), I.i32Add, ...set(OUT),
  ...get(SCALES), ...constant(4), I.i32Add, ...set(SCALES),
  ...get(ROW_END), ...tee(ROW), ...get(END), I.i32LtU, I.brIf, 0,
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
  const locals = [2, 5, TYPE.i32, 4, TYPE.v128]; // 5 i32 locals, then 4 v128
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
