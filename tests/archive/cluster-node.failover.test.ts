import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseArticle } from '../../src/article/article.js';
import { ClusterNode } from '../../src/archive/cluster-node.js';
import { PostgresStore } from '../../src/storage/postgres-store.js';
import {
  POSTGRES_MISSING,
  type PostgresServer,
  type StandbyServer,
  startPostgres,
  startStandby,
} from '../helpers/postgres.js';
import { temporaryDirectory } from '../helpers/temp-archive.js';

if (POSTGRES_MISSING) console.warn(POSTGRES_MISSING);

describe.skipIf(POSTGRES_MISSING !== undefined)('the PostgreSQL primary killed under writes', () => {
  let primary: PostgresServer;
  let standby: StandbyServer;
  beforeAll(async () => {
    primary = await startPostgres({ fsync: true });
    await primary.sql('CREATE DATABASE news');
    standby = await startStandby(primary);
  });
  afterAll(() => {
    primary?.stop();
    standby?.stop();
  });

  it('loses no acknowledged write: after the standby is promoted, each is stored and searched on every node', async () => {
    const onPrimary = await PostgresStore.connect(primary.url.replace(/\/postgres$/u, '/news'));
    const directories = [await temporaryDirectory(), await temporaryDirectory()];
    let node = await ClusterNode.open(directories[0]!.path, {
      store: onPrimary,
      autoSave: false,
      pollMs: 50,
    });
    const acknowledged = new Map<string, string>();
    let failed = 0;
    let stopped = false;
    const writer = (async () => {
      for (let n = 0; !stopped; n += 1) {
        const id = `wire-${n}`;
        try {
          await onPrimary.write([
            parseArticle({ id, title: `عاجل ${n}`, paragraphs: [`خبر zqa${n}b عن الأسواق`] }),
          ]);
          acknowledged.set(id, `عاجل ${n}`);
        } catch {
          failed += 1;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    primary.crash();
    await new Promise((resolve) => setTimeout(resolve, 200));
    stopped = true;
    await writer;
    expect(acknowledged.size).toBeGreaterThan(20);
    expect(failed).toBeGreaterThan(0);
    await node.close();
    await onPrimary.close().catch(() => undefined);

    standby.promote();
    const onStandby = await PostgresStore.connect(standby.url.replace(/\/postgres$/u, '/news'));
    try {
      // The same store (a physical copy): the node keeps its index and follows the new primary.
      expect(onStandby.storeId).toBe(onPrimary.storeId);
      node = await ClusterNode.open(directories[0]!.path, { store: onStandby, autoSave: false });
      const fresh = await ClusterNode.open(directories[1]!.path, { store: onStandby, autoSave: false });
      const { position } = await onStandby.write([
        parseArticle({ id: 'after', title: '', paragraphs: ['بعد'] }),
      ]);
      for (const each of [node, fresh]) {
        expect(await each.waitFor(position, 5_000)).toBe(true);
        for (const [id, title] of acknowledged) {
          expect(each.archive.get(id)?.title, id).toBe(title);
          const n = id.slice('wire-'.length);
          expect(each.archive.search(`zqa${n}b`).hits[0]?.id, id).toBe(id);
        }
      }
      for (const id of acknowledged.keys()) expect(await onStandby.article(id), id).toBeDefined();
      await node.close();
      await fresh.close();
    } finally {
      await onStandby.close();
      for (const directory of directories) await directory.remove();
    }
  });
});
