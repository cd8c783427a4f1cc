/**
 * Do snapshot saves stall searches? In-process search latency while idle, while a worker-thread
 * refresh runs, and the time an in-thread save() blocks the event loop, on a copy of an archive.
 *
 *   npm run bench:refresh-impact -- --index DIR [--rounds 3]
 *
 * Queries are two or three words of article titles. Each round: searches for as long as a refresh
 * takes, idle first, then during `refresh()`; then one `save()` in this thread. Prints per-round
 * p50/p99 and the medians.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { quantile } from '../src/evaluation/metrics.js';
import { titleQueries } from './lib/title-queries.js';
import { PersistentArchive } from '../src/archive/persistent-archive.js';

const { values } = parseArgs({
  options: { index: { type: 'string' }, rounds: { type: 'string', default: '3' } },
});
if (values.index === undefined) {
  console.error('usage: npm run bench:refresh-impact -- --index DIR [--rounds 3]');
  process.exit(2);
}

const copy = mkdtempSync(join(tmpdir(), 'arshif-refresh-bench-'));
cpSync(values.index, copy, { recursive: true });
const archive = await PersistentArchive.open(copy, { autoSave: false });
const queries = titleQueries(
  [...archive.archive.all()].map((article) => article.title),
  50,
);

/** Runs searches one after another, yielding to the event loop between them, until `done` settles. */
async function searchUntil(done: Promise<unknown>): Promise<number[]> {
  let finished = false;
  void done.finally(() => (finished = true));
  const latencies: number[] = [];
  for (let index = 0; !finished; index += 1) {
    const started = performance.now();
    archive.search(queries[index % queries.length]!);
    latencies.push(performance.now() - started);
    // A macrotask turn, as a server gets between requests: the worker's messages can arrive.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return latencies;
}

const median = (numbers: number[]) => [...numbers].sort((a, b) => a - b)[Math.floor(numbers.length / 2)]!;
const rows: { idle: number[]; refresh: number[]; refreshMs: number; saveMs: number }[] = [];
try {
  for (let round = 1; round <= Number(values.rounds); round += 1) {
    const refreshStarted = performance.now();
    const refreshing = archive.refresh();
    const during = await searchUntil(refreshing);
    const refreshMs = performance.now() - refreshStarted;
    const idle = await searchUntil(new Promise((resolve) => setTimeout(resolve, refreshMs)));
    const saveStarted = performance.now();
    await archive.save();
    const saveMs = performance.now() - saveStarted;
    const stats = (ms: number[]) => ({ p50: quantile(ms, 0.5), p99: quantile(ms, 0.99), n: ms.length });
    rows.push({ idle, refresh: during, refreshMs, saveMs });
    console.log(
      `round ${round}: idle ${JSON.stringify(stats(idle))}; during refresh (${(refreshMs / 1000).toFixed(1)} s) ${JSON.stringify(stats(during))}; in-thread save blocked ${(saveMs / 1000).toFixed(1)} s`,
    );
  }
  const p = (pick: (row: (typeof rows)[number]) => number[], q: number) =>
    median(rows.map((row) => quantile(pick(row), q)));
  const idle = { p50: p((row) => row.idle, 0.5), p99: p((row) => row.idle, 0.99) };
  const during = { p50: p((row) => row.refresh, 0.5), p99: p((row) => row.refresh, 0.99) };
  console.log(
    `median search p50/p99: idle ${idle.p50.toFixed(1)}/${idle.p99.toFixed(1)} ms, during a worker refresh ${during.p50.toFixed(1)}/${during.p99.toFixed(1)} ms (p99 ×${(during.p99 / idle.p99).toFixed(2)}); worker refresh ${(median(rows.map((row) => row.refreshMs)) / 1000).toFixed(1)} s; an in-thread save would block every search for ${(median(rows.map((row) => row.saveMs)) / 1000).toFixed(1)} s`,
  );
} finally {
  await archive.close();
  rmSync(copy, { recursive: true, force: true });
}
