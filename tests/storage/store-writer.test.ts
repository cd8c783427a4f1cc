import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import type { StoreWriteOutcome } from '../../src/storage/article-store.js';
import { SqliteStore } from '../../src/storage/sqlite-store.js';
import { StoreWriter } from '../../src/storage/store-writer.js';
import { temporaryDirectory } from '../helpers/temp-archive.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function openWriter() {
  const directory = await temporaryDirectory();
  const file = join(directory.path, 'articles.sqlite');
  const store = SqliteStore.open(file);
  const writer = new StoreWriter(file);
  cleanups.push(async () => {
    await writer.close();
    store.close();
    await directory.remove();
  });
  return { store, writer };
}

describe('StoreWriter: durable writes committed by a thread of their own', () => {
  it('many writes at once are each durable, in the order made, with their positions', async () => {
    const { store, writer } = await openWriter();
    const durable: [number, StoreWriteOutcome][] = [];
    await Promise.all(
      Array.from({ length: 40 }, (_, n) =>
        writer.write({ put: [{ id: `a${n % 30}`, title: '', paragraphs: [`نص ${n}`] }] }, (outcome) =>
          durable.push([n, outcome]),
        ),
      ),
    );
    expect(durable.map(([n]) => n)).toEqual(Array.from({ length: 40 }, (_, n) => n));
    expect(durable.map(([, outcome]) => outcome.position)).toEqual(
      Array.from({ length: 40 }, (_, n) => n + 1),
    );
    const { facts, position } = store.read(0);
    expect(position).toBe(40);
    expect(facts).toHaveLength(30);
    expect(store.article('a5')?.paragraphs).toEqual(['نص 35']);
  });

  it('a removal says whether the article was stored; one that was not moves no position', async () => {
    const { store, writer } = await openWriter();
    const outcomes: StoreWriteOutcome[] = [];
    await writer.write({ put: [{ id: 'a', title: '', paragraphs: ['نص'] }] }, (outcome) =>
      outcomes.push(outcome),
    );
    await writer.write({ remove: 'missing' }, (outcome) => outcomes.push(outcome));
    await writer.write({ remove: 'a' }, (outcome) => outcomes.push(outcome));
    expect(outcomes).toEqual([
      { position: 1 },
      { position: 1, removed: false },
      { position: 2, removed: true },
    ]);
    expect(store.article('a')).toBeUndefined();
  });

  it('a store the thread cannot open fails its writes with IO_ERROR naming the store', async () => {
    const directory = await temporaryDirectory();
    cleanups.push(directory.remove);
    const file = join(directory.path, 'articles.sqlite');
    await writeFile(file, 'not a database, not an Arshif store');
    const writer = new StoreWriter(file);
    await expect(writer.write({ remove: 'a' }, () => undefined)).rejects.toMatchObject({
      code: 'IO_ERROR',
      message: expect.stringContaining(file),
    });
    await writer.close();
  });

  it('if the thread dies, the next write starts a new one: writes go on, none acknowledged is lost', async () => {
    const { store, writer } = await openWriter();
    await writer.write({ put: [{ id: 'a', title: '', paragraphs: ['نص'] }] }, () => undefined);
    // As a crash would: the thread is gone between two writes.
    await (writer as unknown as { worker: Worker }).worker.terminate();
    const outcomes: StoreWriteOutcome[] = [];
    await writer.write({ put: [{ id: 'b', title: '', paragraphs: ['نص'] }] }, (outcome) =>
      outcomes.push(outcome),
    );
    expect(outcomes).toEqual([{ position: 2 }]);
    expect(store.read(0).facts.map((facts) => facts.id)).toEqual(['a', 'b']);
  });

  it('once closed, a write is refused with IO_ERROR instead of waiting forever', async () => {
    const { writer } = await openWriter();
    await writer.close();
    await expect(writer.write({ remove: 'a' }, () => undefined)).rejects.toMatchObject({ code: 'IO_ERROR' });
  });
});
