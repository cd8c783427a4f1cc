/**
 * Resident memory of `serve` under a stream of distinct searches: its whole process (threads included),
 * after the first search and every `--every` searches after it, one search after another.
 *
 *   npm run bench:serve-memory -- --index DIR --queries FILE [--every 2500] [--limit 10000]
 *
 * - `--queries`: an evaluation set's `queries.jsonl` (its `query` fields), such as the known items
 *   `npm run tool:known-item-queries -- ARTICLES --count 10000 --out FILE` writes;
 * - `serve` runs as a checkout installs it (`node bin/arshif.js serve`), with its default search threads;
 * - memory is `VmRSS` of `/proc/PID/status` (Linux), read three seconds after start-up settles and then
 *   after each step.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { readQueries } from '../src/evaluation/evaluate.js';
import { freePort } from './lib/serve-child.js';

const { values } = parseArgs({
  options: {
    index: { type: 'string' },
    queries: { type: 'string' },
    every: { type: 'string', default: '2500' },
    limit: { type: 'string', default: '10000' },
  },
});
if (values.index === undefined || values.queries === undefined) {
  console.error(
    'usage: npm run bench:serve-memory -- --index DIR --queries FILE [--every 2500] [--limit 10000]',
  );
  process.exit(2);
}

const queries = [...new Set((await readQueries(values.queries)).map(({ query }) => query))].slice(
  0,
  Number(values.limit),
);
const port = await freePort();
const child = spawn(
  process.execPath,
  ['bin/arshif.js', 'serve', '--index', values.index, '--port', String(port)],
  {
    env: { ...process.env, ARSHIF_LOG_LEVEL: 'warn', ARSHIF_RATE_LIMIT: '0' },
    stdio: ['ignore', 'inherit', 'inherit'],
  },
);
const base = `http://127.0.0.1:${port}`;
const residentMb = () =>
  Number(/VmRSS:\s+(\d+)/u.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))![1]) / 1024;

try {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`serve exited with ${child.exitCode}`);
    try {
      await (await fetch(`${base}/health`)).text();
      break;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  // The search threads load beside the first answers: memory is read once they have.
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const search = async (query: string) => {
    const response = await fetch(`${base}/search?q=${encodeURIComponent(query)}`);
    if (!response.ok) throw new Error(`search answered ${response.status}: ${await response.text()}`);
    await response.text();
  };
  const every = Number(values.every);
  const rows: [number, number][] = [];
  for (let at = 0; at < queries.length; at += 1) {
    await search(queries[at]!);
    if (at === 0 || (at + 1) % every === 0 || at === queries.length - 1) rows.push([at + 1, residentMb()]);
  }
  for (const [searches, mb] of rows)
    console.log(`after ${String(searches).padStart(6)} searches: ${mb.toFixed(0)} MB`);
  const [first, last] = [rows[0]![1], rows.at(-1)![1]];
  console.log(`growth after the first: ${(((last - first) / first) * 100).toFixed(1)} %`);
} finally {
  child.kill();
}
