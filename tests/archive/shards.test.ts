import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chooseShardHolders, type ShardHolder, shardReplication } from '../../src/archive/shard-routing.js';
import { recordedShards, SHARD_COUNT, shardOf, ShardSet } from '../../src/archive/shards.js';

describe('shardOf', () => {
  it('is fixed: the same shard for an id in every process (FNV-1a of UTF-8, modulo 256)', () => {
    // Known values: a change of the hash would put every node's articles in other shards.
    expect([shardOf('arshif-sample-001'), shardOf('خبر-١')]).toEqual([53, 49]);
    expect(shardOf('a')).toBe(0xe40c292c % SHARD_COUNT);
  });

  it('spreads ids over the shards', () => {
    const counts = new Array<number>(SHARD_COUNT).fill(0);
    for (let n = 0; n < 25_600; n += 1) counts[shardOf(`article-${n}`)]! += 1;
    expect(Math.min(...counts)).toBeGreaterThan(50);
    expect(Math.max(...counts)).toBeLessThan(160);
  });
});

describe('ShardSet', () => {
  it('reads and writes ranges', () => {
    expect(ShardSet.parse(' 0-3, 7,5 ').toString()).toBe('0-3,5,7');
    expect(ShardSet.parse('all').toString()).toBe('all');
    expect(ShardSet.parse('0-255').isAll()).toBe(true);
    expect(ShardSet.parse('0-127').disjoint(ShardSet.parse('128-255'))).toBe(true);
    expect(ShardSet.parse('0-128').disjoint(ShardSet.parse('128-255'))).toBe(false);
  });

  it('refuses what is not a set of shards, naming it', () => {
    expect(() => ShardSet.parse('0-300')).toThrow(/from 0 to 255, got 256/u);
    expect(() => ShardSet.parse('7-3')).toThrow(/"7-3" runs backwards/u);
    expect(() => ShardSet.parse('half')).toThrow(/"all" or numbers and ranges .* got "half"/u);
    expect(() => ShardSet.parse('')).toThrow(/got ""/u);
  });

  it('round-trips any set through its text', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.nat({ max: SHARD_COUNT - 1 }), { minLength: 1 }), (shards) => {
        const set = ShardSet.of(shards);
        expect(ShardSet.parse(set.toString()).equals(set)).toBe(true);
        expect(set.shards()).toEqual([...shards].sort((a, b) => a - b));
      }),
    );
  });
});

describe('chooseShardHolders', () => {
  const holder = (id: string, shards: string, lagging = false): ShardHolder => ({
    id,
    shards: ShardSet.parse(shards),
    lagging,
  });

  it('chooses disjoint holders of every shard, in the order given', () => {
    const holders = [holder('a', '0-127'), holder('b', '128-255'), holder('c', 'all')];
    expect(chooseShardHolders(holders)).toEqual({ ids: ['a', 'b'], missing: [] });
    expect(chooseShardHolders([holders[2]!, ...holders.slice(0, 2)])).toEqual({ ids: ['c'], missing: [] });
    expect(chooseShardHolders([holders[0]!, holders[2]!])).toEqual({ ids: ['c'], missing: [] });
  });

  it('asks a lagging node only when no other holds its shards', () => {
    expect(chooseShardHolders([holder('a', 'all', true), holder('b', 'all')]).ids).toEqual(['b']);
    expect(chooseShardHolders([holder('a', '0-127', true), holder('b', '128-255')]).ids).toEqual(['a', 'b']);
  });

  it('names the shards no live node holds, covering the rest', () => {
    const { ids, missing } = chooseShardHolders([holder('a', '0-99'), holder('b', '200-255')]);
    expect(ids).toEqual(['a', 'b']);
    expect(missing).toEqual(Array.from({ length: 100 }, (_, at) => 100 + at));
    expect(chooseShardHolders([]).missing).toHaveLength(SHARD_COUNT);
  });

  it('never asks two nodes for one shard', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc
            .tuple(fc.nat({ max: 255 }), fc.nat({ max: 255 }))
            .map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`),
          { maxLength: 8 },
        ),
        (sets) => {
          const holders = sets.map((shards, at) => holder(`n${at}`, shards));
          const { ids, missing } = chooseShardHolders(holders);
          const seen = new Set<number>();
          for (const id of ids) {
            for (const shard of holders.find((candidate) => candidate.id === id)!.shards.shards()) {
              expect(seen.has(shard)).toBe(false);
              seen.add(shard);
            }
          }
          expect(seen.size + missing.length).toBe(SHARD_COUNT);
          // A shard no node holds is always missing.
          for (let shard = 0; shard < SHARD_COUNT; shard += 1) {
            if (!holders.some((candidate) => candidate.shards.has(shard))) expect(missing).toContain(shard);
          }
        },
      ),
    );
  });
});

describe('shardReplication', () => {
  const sets = (...texts: string[]) => texts.map((text) => ShardSet.parse(text));

  it('names the shards no live node holds, and those one holds while two or more are live', () => {
    expect(shardReplication(sets('0-127', '0-127', '128-255', '128-255'))).toEqual({
      unheld: '',
      singlyHeld: '',
    });
    expect(shardReplication(sets('0-127', '0-127', '128-255'))).toEqual({
      unheld: '',
      singlyHeld: '128-255',
    });
    expect(shardReplication(sets('0-85', '86-170'))).toEqual({ unheld: '171-255', singlyHeld: '0-170' });
  });

  it('asks nothing more of a single node than to hold what it can', () => {
    expect(shardReplication(sets('all'))).toEqual({ unheld: '', singlyHeld: '' });
    expect(shardReplication(sets('0-127'))).toEqual({ unheld: '128-255', singlyHeld: '' });
    expect(shardReplication([])).toEqual({ unheld: 'all', singlyHeld: '' });
  });
});

describe('recordedShards', () => {
  it('reads what a node recorded, and nothing from a record it cannot read', () => {
    expect(recordedShards('0-127')?.toString()).toBe('0-127');
    expect(recordedShards('all')?.isAll()).toBe(true);
    for (const text of ['', 'half', '9-3', '0-999']) expect(recordedShards(text), text).toBeUndefined();
  });
});
