/**
 * How long `serve` takes to be ready: from spawning the process to the first 200 on `/health`, as an
 * operator or a container platform sees it. Each way of starting it (`--way`, repeated) runs in turn,
 * round after round; prints every run and the medians.
 *
 *   npm run bench:serve-ready -- --index DIR [--runs 5] [--way dist] [--way tsx] [--way npm-start]
 *
 * - `dist`: `node dist/cli.js serve` (run `npm run build` first);
 * - `tsx`: `node --import tsx src/cli.ts serve`, the sources as a checkout runs them;
 * - `bin`: `node bin/arshif.js serve`, the command a checkout installs;
 * - `npm-start`: `npm start` (the sample archive; `--index` is not passed).
 * - `node:FILE`: `node FILE serve`, another build to compare with (a copy of dist/ made before a change).
 *
 * ARSHIF_SEARCH_THREADS is left as the service defaults it, so worker threads count.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { freePort } from './lib/serve-child.js';

const { values } = parseArgs({
  options: {
    index: { type: 'string' },
    runs: { type: 'string', default: '5' },
    way: { type: 'string', multiple: true },
  },
});
const ways = values.way ?? ['dist', 'tsx'];
if (values.index === undefined && ways.some((way) => way !== 'npm-start')) {
  console.error(
    'usage: npm run bench:serve-ready -- --index DIR [--runs 5] [--way dist|tsx|bin|npm-start]...',
  );
  process.exit(2);
}

function command(way: string, port: number): [string, string[]] {
  const serve = ['serve', '--index', values.index!, '--port', String(port)];
  switch (way) {
    case 'dist':
      return [process.execPath, ['dist/cli.js', ...serve]];
    case 'tsx':
      return [process.execPath, ['--import', 'tsx', 'src/cli.ts', ...serve]];
    case 'bin':
      return [process.execPath, ['bin/arshif.js', ...serve]];
    case 'npm-start':
      return ['npm', ['start', '--silent', '--', '--port', String(port)]];
    default:
      // Another build to compare with, such as a copy of dist/ from before a change.
      if (way.startsWith('node:')) return [process.execPath, [way.slice('node:'.length), ...serve]];
      throw new Error(`unknown way "${way}": dist, tsx, bin, npm-start or node:FILE`);
  }
}

/** Milliseconds from spawn to the first 200 on /health, polling every 5 ms. */
async function readyMs(way: string): Promise<number> {
  const port = await freePort();
  const [file, args] = command(way, port);
  const started = performance.now();
  const child: ChildProcess = spawn(file, args, {
    env: { ...process.env, ARSHIF_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true,
  });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${way}: serve exited with ${child.exitCode}`);
      try {
        const response = await fetch(`http://127.0.0.1:${port}/health`);
        if (response.status === 200) return performance.now() - started;
      } catch {
        // Not listening yet.
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  } finally {
    // The whole group: npm start's shell and node alike.
    process.kill(-child.pid!, 'SIGTERM');
    if (child.exitCode === null) await once(child, 'exit');
  }
}

const median = (numbers: number[]) => [...numbers].sort((a, b) => a - b)[Math.floor(numbers.length / 2)]!;
const times = new Map<string, number[]>(ways.map((way) => [way, []]));
for (let run = 1; run <= Number(values.runs); run += 1) {
  for (const way of ways) {
    const ms = await readyMs(way);
    times.get(way)!.push(ms);
    console.log(`run ${run} ${way}: ready in ${ms.toFixed(0)} ms`);
  }
}
for (const [way, runs] of times) {
  console.log(
    `${way}: median ${median(runs).toFixed(0)} ms, fastest ${Math.min(...runs).toFixed(0)} ms, over ${runs.length} runs`,
  );
}
