/** An article's vectors as bytes, the same in every store: which paragraphs have one, and their floats. */
import type { Article } from '../article/article.js';

/** An article's vectors as stored: the dimension, one byte per paragraph (1: it has a vector), the floats. */
export interface VectorBytes {
  dimensions: number;
  present: Uint8Array;
  data: Uint8Array;
}

/**
 * The bytes of an article's vectors (little-endian 32-bit floats of the paragraphs that have one, in
 * order); `undefined` when it has none.
 */
export function encodeVectors(vectors: Article['vectors']): VectorBytes | undefined {
  const rows = vectors?.filter((vector): vector is Float32Array => vector !== null) ?? [];
  if (rows.length === 0) return undefined;
  const dimensions = rows[0]!.length;
  const data = new Float32Array(rows.length * dimensions);
  rows.forEach((vector, at) => data.set(vector, at * dimensions));
  return {
    dimensions,
    present: Uint8Array.from(vectors!, (vector) => (vector === null ? 0 : 1)),
    data: new Uint8Array(data.buffer),
  };
}

/** An article's vectors from their bytes, one per paragraph (`null` for none). */
export function decodeVectors({ dimensions, present, data }: VectorBytes): (Float32Array | null)[] {
  // Copied: the bytes a database hands back need not be aligned for 32-bit floats.
  const values = new Float32Array(new Uint8Array(data).buffer);
  let row = 0;
  return Array.from(present, (has) =>
    has === 1 ? values.slice(dimensions * row, dimensions * ++row) : null,
  );
}
