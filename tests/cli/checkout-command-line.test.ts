import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectServedWhole } from '../helpers/served-whole.js';
import { ROOT, startServe } from '../helpers/serve-process.js';

/** The newest modification time of the sources, as bin/bundle.js names a checkout's bundle by it. */
function newestSource(): number {
  let newest = 0;
  const visit = (path: string) => {
    const stat = statSync(path);
    if (stat.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const path of ['src', 'package.json', 'package-lock.json']) visit(join(ROOT, path));
  return newest;
}

describe('bin/arshif.js in a checkout (npm start)', () => {
  it('runs a bundle of the sources as they are now', () => {
    const output = execFileSync(process.execPath, ['bin/arshif.js', 'analyze', 'الأسعار'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect((JSON.parse(output) as { tokens: { term: string }[] }).tokens.map((token) => token.term)).toEqual([
      'اسعار',
    ]);
    const bundle = join(ROOT, 'node_modules/.cache/arshif', `cli-${Math.round(newestSource())}`);
    expect(existsSync(join(bundle, 'cli.js'))).toBe(true);
    expect(existsSync(join(bundle, 'search-replica-worker.js'))).toBe(true);
  });

  it('serves from it with a search thread, the search page and the OpenAPI page', async () => {
    const serve = await startServe(['--input', 'corpus/articles.jsonl'], {}, 30_000, 'flag', {
      entry: ['bin/arshif.js'],
    });
    try {
      await expectServedWhole(serve);
    } finally {
      await serve.kill();
    }
  });
});
