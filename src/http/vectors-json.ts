/**
 * Stored vectors as JSON numbers: each 32-bit float in the fewest digits that read back as that float
 * (`0.1`, not `0.10000000149011612`), so a client gets back what it sent, to float precision.
 *
 * @example jsonVectors([Float32Array.of(0.1, -2), null]) // → [[0.1, -2], null]
 */
export function jsonVectors(vectors: readonly (Float32Array | null)[]): (number[] | null)[] {
  return vectors.map((vector) => (vector === null ? null : Array.from(vector, shortestFloat)));
}

function shortestFloat(value: number): number {
  for (let digits = 6; digits < 9; digits += 1) {
    const shorter = Number(value.toPrecision(digits));
    if (Math.fround(shorter) === value) return shorter;
  }
  return Number(value.toPrecision(9));
}
