/** Virtual shards: an article's shard by a hash of its id, and the sets of shards a node holds. */
import { ArshifError } from '../errors.js';

/**
 * Virtual shards an archive is cut into, by a hash of the article id ({@link shardOf}): fixed for the
 * life of a store, so that a node's set of shards is enough to know which articles it holds. Far more
 * than there will be nodes, so that sets can be moved and balanced in small steps.
 */
export const SHARD_COUNT = 256;

/**
 * The shard of an article: FNV-1a of its id's UTF-8 bytes, modulo {@link SHARD_COUNT}. Never change
 * it: every node's archive was built by it.
 */
export function shardOf(articleId: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(articleId, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % SHARD_COUNT;
}

/** A set of shards, written as ranges: `0-127`, `0-63,128-191`, `all`. */
export class ShardSet {
  private readonly members: Uint8Array;
  readonly size: number;

  private constructor(members: Uint8Array) {
    this.members = members;
    this.size = members.reduce((sum, member) => sum + member, 0);
  }

  /** Every shard. */
  static all(): ShardSet {
    return new ShardSet(new Uint8Array(SHARD_COUNT).fill(1));
  }

  /** The shards listed. */
  static of(shards: Iterable<number>): ShardSet {
    const members = new Uint8Array(SHARD_COUNT);
    for (const shard of shards) {
      if (!Number.isInteger(shard) || shard < 0 || shard >= SHARD_COUNT) {
        throw new ArshifError(
          'BAD_PARAMETER',
          `a shard is a number from 0 to ${SHARD_COUNT - 1}, got ${shard}`,
        );
      }
      members[shard] = 1;
    }
    return new ShardSet(members);
  }

  /**
   * Parses `all` or comma-separated shards and ranges (`0-127,200`); throws `BAD_PARAMETER` naming what
   * is wrong.
   */
  static parse(text: string): ShardSet {
    const trimmed = text.trim();
    if (trimmed === 'all') return ShardSet.all();
    const shards: number[] = [];
    for (const part of trimmed.split(',')) {
      const range = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
      if (range === null) {
        throw new ArshifError(
          'BAD_PARAMETER',
          `shards are "all" or numbers and ranges from 0 to ${SHARD_COUNT - 1} such as "0-127,200", got "${text}"`,
        );
      }
      const from = Number(range[1]);
      const to = range[2] === undefined ? from : Number(range[2]);
      if (to < from) throw new ArshifError('BAD_PARAMETER', `shard range "${part.trim()}" runs backwards`);
      for (let shard = from; shard <= to; shard += 1) shards.push(shard);
    }
    const set = ShardSet.of(shards);
    if (set.size === 0) throw new ArshifError('BAD_PARAMETER', 'a node must hold at least one shard');
    return set;
  }

  has(shard: number): boolean {
    return this.members[shard] === 1;
  }

  /** Whether the set holds the article's shard. */
  holds(articleId: string): boolean {
    return this.has(shardOf(articleId));
  }

  /** The shards, ascending. */
  shards(): number[] {
    const shards: number[] = [];
    this.members.forEach((member, shard) => member === 1 && shards.push(shard));
    return shards;
  }

  isAll(): boolean {
    return this.size === SHARD_COUNT;
  }

  /** Whether no shard is in both sets. */
  disjoint(other: ShardSet): boolean {
    return this.members.every((member, shard) => member === 0 || other.members[shard] === 0);
  }

  equals(other: ShardSet): boolean {
    return this.members.every((member, shard) => member === other.members[shard]);
  }

  /** As {@link parse} reads it: `all`, or ascending ranges. */
  toString(): string {
    if (this.isAll()) return 'all';
    const ranges: string[] = [];
    const shards = this.shards();
    for (let at = 0; at < shards.length;) {
      let end = at;
      while (end + 1 < shards.length && shards[end + 1] === shards[end]! + 1) end += 1;
      ranges.push(end === at ? `${shards[at]}` : `${shards[at]}-${shards[end]}`);
      at = end + 1;
    }
    return ranges.join(',');
  }
}

/**
 * The shard set a node recorded in the store (`arshif_nodes.shards`), or `undefined` when it is not one
 * this version reads: such a node is asked nothing and counted as holding nothing.
 */
export function recordedShards(text: string): ShardSet | undefined {
  try {
    return ShardSet.parse(text);
  } catch {
    return undefined;
  }
}
