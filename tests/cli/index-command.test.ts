import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SearchResponse } from '../../src/archive/archive-search.js';
import {
  expectErrorLine,
  GOLD,
  jsonl,
  MATCH,
  OIL,
  run,
  runWith,
  temporaryFiles,
  vectorFiles,
} from './cli-fixture.js';

const { DIR, tmpFile } = temporaryFiles();

describe('arshif index, and search --index', () => {
  const SUMMARY =
    /^indexed (\d+) articles \((\d+) paragraphs\), (\d+) rejected lines, in [\d.]+ s; (.+) holds (\d+) articles, (\d+) paragraphs$/u;

  it('builds an archive: one summary line, no progress bar off a terminal; search --index finds it', async () => {
    const out = join(DIR, 'archive-a');
    const { status, stdout, stderr } = await run(
      'index',
      tmpFile('a.jsonl', jsonl([OIL, MATCH])),
      '--out',
      out,
    );
    expect(status).toBe(0);
    expect(stderr).toBe('');
    expect(stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(SUMMARY.exec(stdout.trimEnd())?.slice(1)).toEqual(['2', '3', '0', out, '2', '3']);

    const found = JSON.parse(
      (await run('search', 'أسعار', '--index', out, '--json')).stdout,
    ) as SearchResponse;
    expect(found.hits.map(({ id, para }) => `${id}#${para}`).sort()).toEqual(['match#1', 'oil#0']);
  });

  it('indexing into an existing archive adds and replaces by id', async () => {
    const out = join(DIR, 'archive-b');
    await run('index', tmpFile('b1.jsonl', jsonl([OIL, MATCH])), '--out', out);
    const replacement = { ...OIL, paragraphs: ['انخفضت أسعار الغاز.'] };
    const { status, stdout } = await run(
      'index',
      tmpFile('b2.jsonl', jsonl([replacement, GOLD])),
      '--out',
      out,
    );
    expect(status).toBe(0);
    expect(SUMMARY.exec(stdout.trimEnd())?.slice(1)).toEqual(['2', '2', '0', out, '3', '4']);
    const search = async (query: string) =>
      (JSON.parse((await run('search', query, '--index', out, '--json')).stdout) as SearchResponse).hits.map(
        (hit) => hit.id,
      );
    expect(await search('النفط')).toEqual([]);
    expect(await search('الغاز')).toEqual(['oil']);
    expect(await search('الذهب')).toEqual(['gold']);
  });

  it('reports bad lines with file and line, indexes the rest, and exits 1', async () => {
    const file = tmpFile(
      'bad.jsonl',
      `${JSON.stringify(OIL)}\n{"id": 5}\nnot json\n${JSON.stringify(GOLD)}\n`,
    );
    const { status, stdout, stderr } = await run('index', file, '--out', join(DIR, 'archive-c'));
    expect(status).toBe(1);
    expect(stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(
        new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&')}:2: field "id"`, 'u'),
      ),
      expect.stringMatching(/bad\.jsonl:3: not valid JSON/u),
    ]);
    expect(SUMMARY.exec(stdout.trimEnd())?.slice(1, 4)).toEqual(['2', '2', '2']);
  });

  it('--format ninjs reads items per line, as an array or one per file; skips pictures; bad ones named', async () => {
    const item = (n: number, version = '1', first = 'أولى') => ({
      uri: `urn:wire:${n}`,
      type: 'text',
      version,
      versionCreated: '2024-03-01T09:30:00Z',
      headlines: [{ role: 'main', value: `خبر ${n}` }],
      bodies: [
        { role: 'main', contentType: 'text/html', value: `<p>فقرة ${first} ${n}</p><p>فقرة ثانية</p>` },
      ],
    });
    const picture = { uri: 'urn:pic', type: 'picture', headlines: [{ value: 'صورة' }] };
    const lines = tmpFile('items.jsonl', jsonl([item(1), picture, { type: 'text' }, item(2)]));
    const array = tmpFile('items.json', JSON.stringify([item(3), item(1, '0', 'قديمة')], null, 2));
    const single = tmpFile('item.json', JSON.stringify(item(4), null, 2));
    const out = join(DIR, 'archive-ninjs');
    const { status, stdout, stderr } = await run(
      'index',
      lines,
      array,
      single,
      '--out',
      out,
      '--format',
      'ninjs',
    );
    expect(status).toBe(1);
    expect(stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/items\.jsonl:3: a ninjs item needs "uri"/u),
    ]);
    expect(stdout).toMatch(/, 1 items without text skipped,/u);
    // Version 0 of urn:wire:1 came after version 1: ignored.
    const found = await run('search', 'أولى قديمة', '--index', out, '--json', '--limit', '10');
    const hits = (JSON.parse(found.stdout) as SearchResponse).hits;
    expect(hits.map((hit) => hit.id).sort()).toEqual([
      'urn:wire:1',
      'urn:wire:2',
      'urn:wire:3',
      'urn:wire:4',
    ]);
    expect(hits.every((hit) => hit.para === 0)).toBe(true);
    expect(hits.find((hit) => hit.id === 'urn:wire:1')?.text).toBe('فقرة أولى 1');
    expect((await run('index', lines, '--out', out, '--format', 'xml')).status).toBe(2);
  });

  it('draws a progress bar on a terminal, ending at 100%', async () => {
    const { status, stderr } = await runWith(
      { terminal: true },
      'index',
      tmpFile('tty.jsonl', jsonl([OIL, MATCH, GOLD])),
      '--out',
      join(DIR, 'archive-d'),
    );
    expect(status).toBe(0);
    const frames = stderr.split('\r').filter((frame) => frame !== '');
    expect(frames.at(-1)).toMatch(/^\[#{30}\] 100% {2}3 articles, 4 paragraphs, 0 rejected/u);
    expect(stderr.endsWith('\n')).toBe(true);
  });

  it.each([
    ['index without --out', ['index', 'a.jsonl'], 2, /^arshif index: .*--out/u],
    ['index without FILE', ['index', '--out', 'x'], 2, /^arshif index: .*FILE/u],
    ['search with --index and --input', ['search', 'q', '--index', 'x', '--input', 'y'], 2, /not both/u],
    ['serve with --index and --input', ['serve', '--index', 'x', '--input', 'y'], 2, /not both/u],
    [
      'search --index of a directory with no archive',
      ['search', 'q', '--index', '/nonexistent/arshif'],
      1,
      /no archive in \/nonexistent\/arshif/u,
    ],
    [
      'serve --index of a directory with no archive',
      ['serve', '--index', '/nonexistent/arshif'],
      1,
      /no archive in/u,
    ],
    [
      'index of a missing file',
      ['index', '/nonexistent/a.jsonl', '--out', join(DIR, 'archive-e')],
      1,
      /\/nonexistent\/a\.jsonl/u,
    ],
    [
      'index of a missing file of ninjs items',
      ['index', '/nonexistent/items.json', '--format', 'ninjs', '--out', join(DIR, 'archive-f')],
      1,
      /^arshif index: \/nonexistent\/items\.json: ENOENT/u,
    ],
  ])('%s: exit %i, one error line', async (_name, argv, expected, pattern) => {
    const { status, stderr } = await run(...argv);
    expect(status).toBe(expected);
    expectErrorLine(stderr, pattern);
  });
});

describe('arshif with vectors', () => {
  const { queryLine } = vectorFiles(tmpFile);

  it('index reports a line whose vectors have another dimension like any bad line, and keeps the rest', async () => {
    const mixed = tmpFile(
      'mixed-vectors.jsonl',
      jsonl([{ ...OIL, vectors: [[1, 0, 0]] }, { ...GOLD, vectors: [[0, 1]] }, { ...MATCH }]),
    );
    const out = join(DIR, 'vector-archive');
    const { status, stderr } = await run('index', mixed, '--out', out, '--similarity', 'dot');
    expect(status).toBe(1);
    expect(stderr.trimEnd()).toBe(
      `${mixed}:2: the vector of paragraph 1 (para 0) has 2 dimensions; this archive's have 3`,
    );
    const found = await run('search', '--index', out, '--vector', queryLine, '--json');
    expect((JSON.parse(found.stdout) as SearchResponse).hits.map((hit) => [hit.id, hit.score])).toEqual([
      ['oil', 1],
    ]);
    // Its vectors are compared by dot product from now on: another similarity is refused.
    const refused = await run('search', '--index', out, '--vector', queryLine, '--similarity', 'cosine');
    expect(refused.status).toBe(1);
    expectErrorLine(refused.stderr, /compared by dot similarity; it cannot be opened for cosine/u);
  });
});
