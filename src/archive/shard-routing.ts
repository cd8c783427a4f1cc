/** Which nodes a clustered search asks: one live holder of every shard, each asked for all it holds. */
import { SHARD_COUNT, ShardSet } from './shards.js';

/** A node a search may ask. */
export interface ShardHolder {
  id: string;
  shards: ShardSet;
  /** Behind the store by more than a search should wait for: asked only when no other holds its shards. */
  lagging: boolean;
}

/** The nodes chosen, and the shards none of them holds. */
export interface ShardChoice {
  ids: string[];
  missing: number[];
}

/** Choices tried before the best partial cover is taken: a cluster has tens of nodes, not thousands. */
const MAX_STEPS = 10_000;

/**
 * Chooses nodes whose shard sets are disjoint and together hold every shard, so that each is asked for
 * everything it holds and the archive's statistics are summed once per shard (a node's statistics
 * cannot be split by shard). Nodes are tried in the order given (this node first saves a hop; the
 * caller rotates the others to spread the load), those not lagging before those lagging.
 *
 * - When no such set exists among the live nodes (overlapping sets: a node of `0-170` beside one of
 *   `86-255`), the disjoint set holding most shards is chosen and the rest are `missing`. Shard sets
 *   are therefore best made as groups: a node's set equal to, within, or apart from another's.
 */
export function chooseShardHolders(holders: readonly ShardHolder[]): ShardChoice {
  const ordered = [
    ...holders.filter((holder) => !holder.lagging),
    ...holders.filter((holder) => holder.lagging),
  ];
  const owner = new Int32Array(SHARD_COUNT).fill(-1);
  const chosen: number[] = [];
  let best: { ids: string[]; covered: number } = { ids: [], covered: -1 };
  let covered = 0;
  let steps = 0;
  const fits = (at: number) => ordered[at]!.shards.shards().every((shard) => owner[shard] === -1);
  const take = (at: number, add: boolean) => {
    for (const shard of ordered[at]!.shards.shards()) owner[shard] = add ? at : -1;
    covered += (add ? 1 : -1) * ordered[at]!.shards.size;
    if (add) chosen.push(at);
    else chosen.pop();
  };
  const search = (): boolean => {
    if (covered > best.covered) best = { ids: chosen.map((at) => ordered[at]!.id), covered };
    if (covered === SHARD_COUNT) return true;
    if ((steps += 1) > MAX_STEPS) return false;
    const first = owner.indexOf(-1);
    // Every shard chosen or held by none: this cover is as good as it gets.
    if (first === -1) return false;
    let any = false;
    for (let at = 0; at < ordered.length; at += 1) {
      if (!ordered[at]!.shards.has(first) || !fits(at)) continue;
      any = true;
      take(at, true);
      if (search()) return true;
      take(at, false);
    }
    if (!any) {
      // No live node holds this shard: cover the rest around it.
      owner[first] = -2;
      const found = search();
      owner[first] = -1;
      return found;
    }
    return false;
  };
  search();
  const held = new Uint8Array(SHARD_COUNT);
  const byId = new Map(ordered.map((holder) => [holder.id, holder]));
  for (const id of best.ids) for (const shard of byId.get(id)!.shards.shards()) held[shard] = 1;
  const missing: number[] = [];
  held.forEach((isHeld, shard) => isHeld === 0 && missing.push(shard));
  return { ids: best.ids, missing };
}

/** How many live nodes hold each shard, as ranges: what `/cluster` tells an operator to fix. */
export interface ShardReplication {
  /** Shards no live node holds: searches answer `partial`. */
  unheld: string;
  /**
   * Shards a single live node holds while two or more are live: one failure away from `partial`.
   * Empty when one node is live (it holds what it can).
   */
  singlyHeld: string;
}

/** The replication of the shards over the live nodes' shard sets. */
export function shardReplication(liveSets: readonly ShardSet[]): ShardReplication {
  const holders = new Array<number>(SHARD_COUNT).fill(0);
  for (const set of liveSets) for (const shard of set.shards()) holders[shard]! += 1;
  const where = (count: (holding: number) => boolean) =>
    ShardSet.of(holders.flatMap((holding, shard) => (count(holding) ? [shard] : []))).toString();
  return {
    unheld: where((holding) => holding === 0),
    singlyHeld: liveSets.length >= 2 ? where((holding) => holding === 1) : '',
  };
}
