import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectServedWhole } from './helpers/served-whole.js';
import { ROOT, startServe } from './helpers/serve-process.js';
import { temporaryDirectory } from './helpers/temp-archive.js';

/**
 * The README's embedding example, as a newsroom tool runs it: plain node, the package installed from
 * its tarball, no tsx and no sources.
 */
const EMBEDDING_EXAMPLE = readFileSync(join(ROOT, 'README.md'), 'utf8').match(
  /<!-- embedding example -->\s*```js\n([\s\S]*?)```/u,
)?.[1];

describe('the package, packed and installed into a fresh project', () => {
  let directory: Awaited<ReturnType<typeof temporaryDirectory>>;
  let project: string;
  const run = (command: string, args: string[]) =>
    execFileSync(command, args, { cwd: project, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

  beforeAll(async () => {
    directory = await temporaryDirectory();
    project = join(directory.path, 'newsroom-tool');
    mkdirSync(join(project, 'corpus'), { recursive: true });
    cpSync(join(ROOT, 'corpus/articles.jsonl'), join(project, 'corpus/articles.jsonl'));
    // npm pack runs the build (prepack) and packs what package.json's "files" lists.
    execFileSync('npm', ['pack', '--pack-destination', directory.path], { cwd: ROOT, stdio: 'ignore' });
    const tarball = readdirSync(directory.path).find((name) => name.endsWith('.tgz'))!;
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ name: 'newsroom-tool', type: 'module', private: true }),
    );
    // Dependencies come from npm's cache where it has them (npm ci filled it), else the registry.
    // Install scripts are skipped: better-sqlite3 would compile again for a minute, so the binding
    // this checkout built is copied in instead.
    run('npm', [
      'install',
      '--prefer-offline',
      '--ignore-scripts',
      '--no-audit',
      '--no-fund',
      join(directory.path, tarball),
    ]);
    cpSync(
      join(ROOT, 'node_modules/better-sqlite3/build'),
      join(project, 'node_modules/better-sqlite3/build'),
      {
        recursive: true,
      },
    );
  }, 180_000);
  afterAll(async () => {
    await directory?.remove();
  });

  it('ships dist/ with its types, and neither the sources nor tsx', () => {
    const installed = join(project, 'node_modules/arshif');
    expect(existsSync(join(installed, 'dist/main.js'))).toBe(true);
    expect(existsSync(join(installed, 'dist/main.d.ts'))).toBe(true);
    expect(existsSync(join(installed, 'src'))).toBe(false);
    expect(existsSync(join(project, 'node_modules/tsx'))).toBe(false);
  });

  it('runs the README’s embedding example with plain node: index, search, replicas', () => {
    expect(EMBEDDING_EXAMPLE, 'README holds the example after <!-- embedding example -->').toBeDefined();
    writeFileSync(join(project, 'example.mjs'), EMBEDDING_EXAMPLE!);
    const output = run(process.execPath, ['example.mjs']).trim().split('\n');
    expect(output[0]).toMatch(/^\d+ ارتفعت <mark>أسعار<\/mark> <mark>النفط<\/mark>$/u);
    expect(Number(output[0]!.split(' ')[0])).toBeGreaterThan(1);
    expect(output[1]).toBe('nearest: wire-2 0 related by vector');
    expect(output[2]).toMatch(/^replicas: \d+ hits$/u);
  });

  it('runs the arshif binary', () => {
    const analyzed = JSON.parse(run(join(project, 'node_modules/.bin/arshif'), ['analyze', 'الأسعار'])) as {
      tokens: { term: string }[];
    };
    expect(analyzed.tokens.map((token) => token.term)).toEqual(['اسعار']);
    const found = run(join(project, 'node_modules/.bin/arshif'), [
      'search',
      'اسعار النفط',
      '--input',
      'corpus/articles.jsonl',
      '--limit',
      '1',
    ]);
    expect(found).toMatch(/paragraphs match "اسعار النفط"/u);
  });

  it('serves from its bundled command line: the search page, the OpenAPI page and its assets, searches', async () => {
    const bundled = join(project, 'node_modules/arshif/dist/cli.js');
    const serve = await startServe(['--input', 'corpus/articles.jsonl'], {}, 20_000, 'flag', {
      entry: [bundled],
      cwd: project,
    });
    try {
      await expectServedWhole(serve);
    } finally {
      await serve.kill();
    }
  });
});
