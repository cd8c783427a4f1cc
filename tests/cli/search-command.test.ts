import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import { Archive } from '../../src/archive/archive.js';
import { type SearchResponse } from '../../src/archive/archive-search.js';
import { loadArticleFiles } from '../../src/archive/load-articles.js';
import { expectErrorLine, GOLD, jsonl, MATCH, OIL, run, temporaryFiles, vectorFiles } from './cli-fixture.js';

const { DIR, tmpFile } = temporaryFiles();

describe('arshif search', () => {
  it('--facets counts every match by section and year, in JSON and on the terminal', async () => {
    const json = await run('search', 'الحكومة', '--facets', 'section,year', '--json', '--limit', '1');
    const body = JSON.parse(json.stdout) as SearchResponse;
    const sections = body.facets!.section!;
    expect(sections.reduce((sum, { count }) => sum + count, 0)).toBe(body.total);
    const text = await run('search', 'الحكومة', '--facets', 'section');
    expect(text.stdout).toContain(
      `section: ${sections.map(({ value, count }) => `${value} (${count})`).join(', ')}`,
    );
    const bad = await run('search', 'الحكومة', '--facets', 'colour');
    expect(bad.status).toBe(2);
    expectErrorLine(bad.stderr, /^arshif search: --facets takes source, section, year, got "colour"/u);
  });

  it('--json searches the sample corpus when no input is given', async () => {
    const { status, stdout, stderr } = await run('search', 'زعزعة', '--json');
    expect(status).toBe(0);
    expect(stderr).toBe('');
    const body = JSON.parse(stdout) as SearchResponse;
    expect(body.query).toBe('زعزعة');
    expect(body.total).toBeGreaterThan(0);
    const hit = body.hits.find(
      (candidate) => candidate.id === 'arshif-sample-002-politics-arab-summit-water-security',
    );
    expect(hit).toBeDefined();
    const start = hit!.text.indexOf('زعزعةَ');
    expect(hit!.highlights).toContainEqual([start, start + 'زعزعةَ'.length]);
    expect(hit!.snippet).toContain('<mark>زعزعةَ</mark>');
  });

  it('--limit caps the hits', async () => {
    const body = JSON.parse(
      (await run('search', 'الحكومة', '--limit', '2', '--json')).stdout,
    ) as SearchResponse;
    expect(body.hits).toHaveLength(2);
    expect(body.total).toBeGreaterThan(2);
  });

  it.each([
    ['.jsonl', 'plain.jsonl', (text: string) => text],
    ['.jsonl.gz', 'packed.jsonl.gz', (text: string) => gzipSync(text)],
  ])('--input reads a %s file', async (_name, fileName, encode) => {
    const file = tmpFile(fileName, encode(jsonl([OIL, MATCH, GOLD])));
    const { status, stdout, stderr } = await run(
      'search',
      'أسعار',
      '--input',
      file,
      '--json',
      '--limit',
      '100',
    );
    expect(stderr).toBe('');
    expect(status).toBe(0);
    const body = JSON.parse(stdout) as SearchResponse;
    expect(body.hits.map(({ id, para }) => `${id}#${para}`).sort()).toEqual(['gold#0', 'match#1', 'oil#0']);
  });

  it('--input may be repeated', async () => {
    const first = tmpFile('first.jsonl', jsonl([OIL]));
    const second = tmpFile('second.jsonl.gz', gzipSync(jsonl([GOLD])));
    const body = JSON.parse(
      (await run('search', 'أسعار', '--input', first, '--input', second, '--json')).stdout,
    );
    expect((body as SearchResponse).hits.map((hit) => hit.id).sort()).toEqual(['gold', 'oil']);
  });

  it('--json prints the response GET /search gives for the same articles', async () => {
    const file = tmpFile('same.jsonl', jsonl([OIL, MATCH, GOLD]));
    const archive = new Archive();
    await loadArticleFiles(archive, [file]);
    const app = await buildApp({ archive });
    const http = (
      await app.inject({ method: 'GET', url: `/search?${new URLSearchParams({ q: 'أسعار' })}` })
    ).json();
    await app.close();
    const cli = JSON.parse(
      (await run('search', 'أسعار', '--input', file, '--json')).stdout,
    ) as SearchResponse;
    expect({ ...cli, tookMs: 0 }).toEqual({ ...(http as SearchResponse), tookMs: 0 });
  });

  it('prints readable hits without --json', async () => {
    const file = tmpFile('readable.jsonl', jsonl([OIL]));
    const { status, stdout } = await run('search', 'النفط', '--input', file);
    expect(status).toBe(0);
    expect(stdout).toContain('oil#0');
    expect(stdout).toContain('[النفط]');
  });

  it('reports each bad line as file:line: reason, searches the other lines and exits 1', async () => {
    const file = tmpFile(
      'mixed.jsonl',
      [
        JSON.stringify(OIL),
        '{"id": "broken",',
        JSON.stringify({ title: 'بلا معرّف', paragraphs: ['أسعار'] }),
        '',
        JSON.stringify(MATCH),
      ].join('\n'),
    );
    const { status, stdout, stderr } = await run('search', 'أسعار', '--input', file, '--json');
    expect(status).toBe(1);
    const lines = stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]!.startsWith(`${file}:2: `)).toBe(true);
    expect(lines[1]!.startsWith(`${file}:3: `)).toBe(true);
    expect(lines[1]).toMatch(/id/u);
    const body = JSON.parse(stdout) as SearchResponse;
    expect(body.hits.map(({ id, para }) => `${id}#${para}`).sort()).toEqual(['match#1', 'oil#0']);
  });

  it('a missing input file is a failure (1) in one line', async () => {
    const { status, stderr } = await run('search', 'أسعار', '--input', join(DIR, 'absent.jsonl'));
    expect(status).toBe(1);
    expectErrorLine(stderr, /absent\.jsonl/u);
  });

  it.each([
    ['--limit 0', ['search', 'أسعار', '--limit', '0'], /^arshif search: --limit .*"0"/u],
    ['--limit 101', ['search', 'أسعار', '--limit', '101'], /^arshif search: --limit .*"101"/u],
    ['--limit abc', ['search', 'أسعار', '--limit', 'abc'], /^arshif search: --limit .*"abc"/u],
    ['no query', ['search'], /^arshif search: .*QUERY/u],
    ['an unknown option', ['search', 'أسعار', '--bogus'], /^arshif search: .*--bogus/u],
    ['eval without --queries', ['eval', '--articles', 'x.jsonl'], /^arshif eval: .*--queries/u],
    ['serve on port 70000', ['serve', '--port', '70000'], /^arshif serve: --port .*"70000"/u],
  ])('%s is a usage error: exit 2, one error line', async (_name, argv, pattern) => {
    const { status, stdout, stderr } = await run(...argv);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expectErrorLine(stderr, pattern);
  });
});

describe('arshif with vectors', () => {
  const { withVectors, queryVector, queryLine } = vectorFiles(tmpFile);

  it('search --vector FILE finds the nearest paragraphs, from a JSON array or an object with "vector"', async () => {
    const byArray = await run('search', '--input', withVectors, '--vector', queryVector, '--json');
    expect(byArray.status).toBe(0);
    expect((JSON.parse(byArray.stdout) as SearchResponse).hits.map((hit) => hit.id)).toEqual([
      'sport',
      'gold',
      'oil',
    ]);
    const byLine = await run('search', '--input', withVectors, '--vector', queryLine, '--k', '1', '--json');
    expect((JSON.parse(byLine.stdout) as SearchResponse).hits.map((hit) => hit.id)).toEqual(['oil']);
    const readable = await run('search', '--input', withVectors, '--vector', queryVector, '--limit', '1');
    expect(readable.stdout.split('\n')[0]).toBe('3 paragraphs are nearest the vector');
  });

  it('search QUERY --vector FILE blends both, as POST /search does', async () => {
    const cli = await run(
      'search',
      'أسعار',
      '--input',
      withVectors,
      '--vector',
      queryVector,
      '--semantic-ratio',
      '0.5',
      '--json',
    );
    const archive = new Archive();
    await loadArticleFiles(archive, [withVectors]);
    const app = await buildApp({ archive });
    const http = await app.inject({
      method: 'POST',
      url: '/search',
      payload: { q: 'أسعار', vector: [0, 0.1, 1], semanticRatio: 0.5 },
    });
    await app.close();
    expect((JSON.parse(cli.stdout) as SearchResponse).hits).toEqual(http.json().hits);
  });

  it.each([
    ['--k without --vector', ['search', 'النفط', '--k', '3'], /^arshif search: --k needs --vector FILE/u],
    [
      'a vector file that is not JSON',
      ['search', '--vector', tmpFile('bad-vector.json', 'نص')],
      /^arshif search: --vector .*bad-vector\.json: /u,
    ],
    [
      'a vector file without an array',
      ['search', '--vector', tmpFile('object.json', '{"a": 1}')],
      /must hold a JSON array of numbers/u,
    ],
    [
      'a semantic ratio past 1',
      ['search', 'x', '--vector', queryVector, '--semantic-ratio', '3'],
      /--semantic-ratio must be a number from 0 to 1, got "3"/u,
    ],
    [
      'an unknown similarity',
      ['index', withVectors, '--out', join(DIR, 'x'), '--similarity', 'l2'],
      /--similarity must be cosine or dot, got "l2"/u,
    ],
  ])('%s is a usage error (2)', async (_name, argv, message) => {
    const { status, stderr } = await run(...argv);
    expect(status).toBe(2);
    expectErrorLine(stderr, message);
  });

  it('a vector of another dimension than the archive’s fails (1) naming both', async () => {
    const { status, stderr } = await run(
      'search',
      '--input',
      withVectors,
      '--vector',
      tmpFile('two.json', '[1, 2]'),
    );
    expect(status).toBe(1);
    expectErrorLine(stderr, /^arshif search: vector has 2 dimensions; this archive's have 3$/u);
  });
});
