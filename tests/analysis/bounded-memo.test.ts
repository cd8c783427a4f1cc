import { describe, expect, it } from 'vitest';
import { BoundedMemo } from '../../src/analysis/bounded-memo.js';

describe('BoundedMemo', () => {
  it('holds at most twice its limit, however many keys it is given', () => {
    const memo = new BoundedMemo<number>(100);
    for (let key = 0; key < 10_000; key += 1) {
      memo.set(`k${key}`, key);
      expect(memo.size).toBeLessThanOrEqual(200);
    }
    expect(memo.get('k9999')).toBe(9999);
    expect(memo.get('k0')).toBeUndefined();
  });

  it('keeps a key used lately through every turn of generations, and drops one left unused', () => {
    const memo = new BoundedMemo<string>(10);
    memo.set('used', 'kept');
    memo.set('unused', 'dropped');
    for (let key = 0; key < 100; key += 1) {
      memo.set(`k${key}`, 'filler');
      // Read once a generation, the key moves to the current one each time.
      if (key % 5 === 0) expect(memo.get('used')).toBe('kept');
    }
    expect(memo.get('used')).toBe('kept');
    expect(memo.get('unused')).toBeUndefined();
  });

  it('takes a new limit at its next new key, larger or smaller', () => {
    const memo = new BoundedMemo<number>(10);
    memo.limit = 1_000;
    for (let key = 0; key < 1_000; key += 1) memo.set(`k${key}`, key);
    expect(memo.size).toBe(1_000);
    memo.limit = 10;
    for (let key = 1_000; key < 1_100; key += 1) memo.set(`k${key}`, key);
    expect(memo.size).toBeLessThanOrEqual(20);
    expect(memo.get('k1099')).toBe(1099);
  });
});
