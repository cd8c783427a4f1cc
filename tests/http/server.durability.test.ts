import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchResponse } from '../../src/archive/archive-search.js';
import { PersistentArchive } from '../../src/archive/persistent-archive.js';
import { type ServeProcess, startServe } from '../helpers/serve-process.js';
import { temporaryDirectory } from '../helpers/temp-archive.js';

const TOKEN = 'crash-test-token';
const WRITERS = 4;

/** A word no other article holds, Latin letters so analysis keeps it whole: `zq` + base-26 of n. */
function marker(n: number): string {
  let word = '';
  for (let rest = n; ; rest = Math.floor(rest / 26) - 1) {
    word = String.fromCharCode(97 + (rest % 26)) + word;
    if (rest < 26) break;
  }
  return `zq${word}`;
}

interface Written {
  id: string;
  title: string;
  paragraphs: string[];
  /** The first paragraph's: a direction of its own for each write, so a search by it finds that write first. */
  vectors: [number[], null];
}

/** A unit vector of four dimensions, its own for each n. */
function vectorOf(n: number): number[] {
  const [a, b] = [n * 2.399963, n * 0.618034];
  return [Math.cos(a), Math.sin(a), Math.cos(b), Math.sin(b)].map((value) => value / Math.SQRT2);
}

/** What the client knows: the last acknowledged version of each id, and what may have landed unacknowledged. */
class Ledger {
  readonly acknowledged = new Map<string, Written | null>();
  readonly inFlight = new Map<string, Written | null>();

  /** The versions of `id` the server may hold after a crash. */
  allowed(id: string): (Written | null)[] {
    const versions = [this.acknowledged.get(id) ?? null];
    if (this.inFlight.has(id)) versions.push(this.inFlight.get(id)!);
    return versions;
  }
}

async function post(base: string, article: Written): Promise<boolean> {
  const response = await fetch(`${base}/articles`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(article),
  });
  return response.status === 200;
}

async function remove(base: string, id: string): Promise<boolean> {
  const response = await fetch(`${base}/articles/${encodeURIComponent(id)}`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  return response.status === 200;
}

/**
 * Streams writes from several concurrent clients until `stop()`: new articles, and from writer 0
 * replacements and deletions of earlier ones. Records only what the server acknowledged.
 */
function streamWrites(base: string, ledger: Ledger, round: number) {
  let stopped = false;
  let sequence = 0;
  const writer = async (w: number) => {
    for (let n = 0; !stopped; n += 1) {
      const key = round * 1_000_000 + w * 100_000 + n;
      const ids = [...ledger.acknowledged.keys()];
      const target = w === 0 && n % 3 === 2 && ids.length > 0 ? ids[(n * 7) % ids.length]! : undefined;
      const id = target ?? `r${round}-w${w}-${n}`;
      const version: Written | null =
        target !== undefined && n % 2 === 0
          ? null
          : {
              id,
              title: `خبر رقم ${key}`,
              paragraphs: [`نص الخبر ${marker(key)} عن الأسواق والطاقة.`, `فقرة ثانية رقم ${++sequence}.`],
              vectors: [vectorOf(key), null],
            };
      ledger.inFlight.set(id, version);
      try {
        const ok = version === null ? await remove(base, id) : await post(base, version);
        if (ok) ledger.acknowledged.set(id, version);
      } catch {
        return; // the server is gone: this write was never acknowledged
      }
      ledger.inFlight.delete(id);
    }
  };
  const running = Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
  return {
    stop: async () => {
      stopped = true;
      await running;
    },
  };
}

/** Checks that the server holds, for every id the client wrote, a version it may hold. */
async function expectLedgerHeld(base: string, ledger: Ledger): Promise<void> {
  for (const [id] of ledger.acknowledged) {
    const allowed = ledger.allowed(id);
    const response = await fetch(`${base}/articles/${encodeURIComponent(id)}?vectors=true`);
    const held = response.status === 200 ? ((await response.json()) as Written) : null;
    expect(response.status === 200 || response.status === 404, `GET ${id}: ${response.status}`).toBe(true);
    // Vectors come back as the 32-bit floats they are stored as.
    const rounded = (version: Written | null) =>
      version && { ...version, vectors: [version.vectors[0].map(Math.fround), null] };
    expect(allowed.map(rounded), `article ${id}`).toContainEqual(rounded(held));
    if (held !== null) {
      const nearest = (await (
        await fetch(`${base}/search`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ vector: held.vectors[0], k: 1 }),
        })
      ).json()) as SearchResponse;
      expect(`${nearest.hits[0]?.id}#${nearest.hits[0]?.para}`, `vector of ${id}`).toBe(`${id}#0`);
      const word = held.paragraphs[0]!.split(' ').find((token) => token.startsWith('zq'))!;
      const search = (await (
        await fetch(`${base}/search?${new URLSearchParams({ q: word })}`)
      ).json()) as SearchResponse;
      // Other markers can match as prefixes or one edit away, but the exact word ranks first.
      expect(`${search.hits[0]?.id}#${search.hits[0]?.para}`, `search ${word}`).toBe(`${id}#0`);
    }
  }
}

/**
 * For the tests of a describe block: an empty archive directory, and the `serve` processes they start
 * on it (`start`), the last one killed and the directory removed afterwards.
 */
function archiveUnderTest() {
  const context: { directory?: Awaited<ReturnType<typeof temporaryDirectory>>; serve?: ServeProcess } = {};
  beforeAll(async () => {
    context.directory = await temporaryDirectory();
    await (await PersistentArchive.open(context.directory.path)).close();
  });
  afterAll(async () => {
    await context.serve?.kill();
    await context.directory?.remove();
  });
  return {
    get path() {
      return context.directory!.path;
    },
    async start(env: Record<string, string>): Promise<ServeProcess> {
      context.serve = await startServe(['--index', context.directory!.path], env);
      return context.serve;
    },
  };
}

/** Waits (at most 10 s) until the server has acknowledged `count` writes of the ledger. */
async function untilAcknowledged(ledger: Ledger, count: number): Promise<void> {
  for (const deadline = Date.now() + 10_000; Date.now() < deadline;) {
    if (ledger.acknowledged.size >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('acknowledged writes, vectors too, survive kill -9 of the server, during seals of fresh writes too', () => {
  const archive = archiveUnderTest();

  it('SIGKILL while clients stream writes, twice: every acknowledged article is served and found', async () => {
    const ledger = new Ledger();
    for (let round = 0; round < 2; round += 1) {
      // Fresh writes are sealed into segment files every 15 articles, so kills land in and between seals.
      const serve = await archive.start({ ARSHIF_TOKEN: TOKEN, ARSHIF_SEAL_AFTER_WRITES: '15' });
      await expectLedgerHeld(serve.base, ledger);
      const acknowledgedBefore = ledger.acknowledged.size;
      const writes = streamWrites(serve.base, ledger, round);
      await untilAcknowledged(ledger, acknowledgedBefore + 120);
      serve.child.kill('SIGKILL');
      await writes.stop();
      expect(await serve.exited).toEqual({ code: null, signal: 'SIGKILL' });
      expect(ledger.acknowledged.size).toBeGreaterThan(acknowledgedBefore + 100);
    }
    expect((await readdir(join(archive.path, 'segments'))).length).toBeGreaterThan(0);
    const serve = await archive.start({ ARSHIF_TOKEN: TOKEN });
    await expectLedgerHeld(serve.base, ledger);
    const deleted = [...ledger.acknowledged.values()].filter((version) => version === null).length;
    expect(deleted).toBeGreaterThan(0);
    // Writes in flight at the kill may or may not have landed; everything else is exact.
    const health = (await (await fetch(`${serve.base}/health`)).json()) as { articles: number };
    const surely = [...ledger.acknowledged].filter(
      ([id, version]) => version !== null && !ledger.inFlight.has(id),
    );
    const maybe = [...ledger.inFlight].filter(
      ([id, version]) => version !== null && !ledger.acknowledged.get(id),
    );
    expect(health.articles).toBeGreaterThanOrEqual(surely.length);
    expect(health.articles).toBeLessThanOrEqual(surely.length + maybe.length + WRITERS);
  }, 90_000);
});

describe('SIGTERM while clients write and search', () => {
  const archive = archiveUnderTest();

  it('answers what it took in, exits 0, and every acknowledged write is there after a restart', async () => {
    const ledger = new Ledger();
    const serve = await archive.start({ ARSHIF_TOKEN: TOKEN, ARSHIF_SEAL_AFTER_WRITES: '15' });
    const writes = streamWrites(serve.base, ledger, 0);
    const statuses: number[] = [];
    let searching = true;
    const searcher = async () => {
      while (searching) {
        try {
          const response = await fetch(`${serve.base}/search?q=${encodeURIComponent('الأسواق')}`);
          statuses.push(response.status);
          await response.arrayBuffer();
        } catch {
          return; // closed: no new connection is taken
        }
      }
    };
    const searches = Promise.all([searcher(), searcher()]);
    await untilAcknowledged(ledger, 60);
    const signalled = performance.now();
    serve.child.kill('SIGTERM');
    const exited = await serve.exited;
    // Drained, not cut at the 10 s drain limit (nor held by idle keep-alive connections).
    expect(performance.now() - signalled).toBeLessThan(5_000);
    searching = false;
    await Promise.all([writes.stop(), searches]);
    expect(exited, serve.stderr()).toEqual({ code: 0, signal: null });
    expect(ledger.acknowledged.size).toBeGreaterThanOrEqual(60);
    // Searches were answered, 200 while open and 503 once closing: never a 5xx of another kind.
    expect(statuses.filter((status) => status === 200).length).toBeGreaterThan(10);
    expect(statuses.filter((status) => status !== 200 && status !== 503)).toEqual([]);
    const restarted = await archive.start({ ARSHIF_TOKEN: TOKEN });
    await expectLedgerHeld(restarted.base, ledger);
  }, 60_000);
});
