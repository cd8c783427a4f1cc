/** The table test of every normalizer in `src/analysis/normalizers/`, one row per rule as Lucene's are. */
import { describe, expect, it } from 'vitest';

/** One rule: what it shows, the input, and what the normalizer makes of it. */
export type Row = [name: string, input: string, expected: string];

/** Rows every rule's table has: the empty string, a non-Arabic pass-through, plain Arabic unchanged. */
const COMMON_ROWS: Row[] = [
  ['empty string', '', ''],
  ['latin passes through', 'reuters 2024', 'reuters 2024'],
  ['plain arabic must not change', 'كتب مراسل', 'كتب مراسل'],
];

/**
 * A describe block per normalizer, named after it: a test per row, the common rows first, and a test
 * that normalizing its rows twice changes nothing.
 */
export function describeNormalizers(tables: [string, (text: string) => string, Row[]][]): void {
  describe.each(tables)('%s', (_name, normalizer, rows) => {
    it.each([...COMMON_ROWS, ...rows])('%s', (_row, input, expected) => {
      expect(normalizer(input)).toBe(expected);
    });

    it('is idempotent on its own rows', () => {
      for (const [, input] of rows) expect(normalizer(normalizer(input))).toBe(normalizer(input));
    });
  });
}
