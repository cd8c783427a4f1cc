/** How two vectors are compared: the cosine of their angle, or their dot product as they are. */
export type VectorSimilarity = 'cosine' | 'dot';

export const VECTOR_SIMILARITIES: readonly VectorSimilarity[] = ['cosine', 'dot'];

/**
 * The dot product of `dimensions` values of `a` from `aAt` and of `b` from `bAt`, in four running sums
 * (which lets the loop run without waiting on one addition after another).
 */
export function dot(a: Float32Array, aAt: number, b: Float32Array, bAt: number, dimensions: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 3 < dimensions; i += 4) {
    s0 += a[aAt + i]! * b[bAt + i]!;
    s1 += a[aAt + i + 1]! * b[bAt + i + 1]!;
    s2 += a[aAt + i + 2]! * b[bAt + i + 2]!;
    s3 += a[aAt + i + 3]! * b[bAt + i + 3]!;
  }
  for (; i < dimensions; i += 1) s0 += a[aAt + i]! * b[bAt + i]!;
  return s0 + s1 + (s2 + s3);
}

/** The Euclidean length of `dimensions` values of `vector` from `at`. */
export function norm(vector: Float32Array, at = 0, dimensions = vector.length - at): number {
  return Math.sqrt(dot(vector, at, vector, at, dimensions));
}

/**
 * The query as it is compared: for cosine, made unit length (so that a row's cosine is its dot product
 * with it divided by the row's own length); for the dot product, as given.
 */
export function comparable(vector: Float32Array, similarity: VectorSimilarity): Float32Array {
  if (similarity === 'dot') return vector;
  const length = norm(vector);
  return length === 0 ? vector : vector.map((value) => value / length);
}

/** Whether a vector cannot be compared by a similarity: all zeros has no direction for cosine. */
export function lacksDirection(vector: Float32Array, similarity: VectorSimilarity): boolean {
  return similarity === 'cosine' && vector.every((value) => value === 0);
}
