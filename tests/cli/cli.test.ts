import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { buildApp } from '../../src/http/app.js';
import { Archive, type SearchResponse } from '../../src/archive/archive.js';
import { loadArticleFiles } from '../../src/archive/load-articles.js';
import { startServe } from '../serve-process.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIR = mkdtempSync(join(tmpdir(), 'arshif-cli-'));
afterAll(() => rmSync(DIR, { recursive: true, force: true }));

const OIL = {
  id: 'oil',
  title: 'أسواق الطاقة',
  published: '2024-01-15',
  paragraphs: ['ارتفعت أسعار النفط في الأسواق.'],
};
const MATCH = {
  id: 'match',
  title: 'فوز المنتخب',
  body: 'فاز المنتخب الوطني في المباراة.\n\nوارتفعت أسعار التذاكر بعد الفوز.',
};
const GOLD = { id: 'gold', paragraphs: ['تراجعت أسعار الذهب اليوم.'] };

/** Writes a file under the test's temporary directory and returns its path. */
function tmpFile(name: string, content: string | Buffer): string {
  const path = join(DIR, name);
  writeFileSync(path, content);
  return path;
}

const jsonl = (values: readonly unknown[]) => values.map((value) => JSON.stringify(value)).join('\n') + '\n';

/** Runs the command line in this process with in-memory stdout and stderr. */
async function run(...argv: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return runWith({}, ...argv);
}

/** {@link run}, with stderr claiming to be a terminal or not. */
async function runWith(
  { terminal = false }: { terminal?: boolean },
  ...argv: string[]
): Promise<{ status: number; stdout: string; stderr: string }> {
  const output = { stdout: '', stderr: '' };
  const sink = (name: keyof typeof output) =>
    Object.assign(
      new Writable({
        write(chunk: Buffer | string, _encoding, done) {
          output[name] += chunk.toString();
          done();
        },
      }),
      { isTTY: name === 'stderr' && terminal },
    );
  const status = await main(argv, { stdout: sink('stdout'), stderr: sink('stderr') });
  return { status, ...output };
}

/** Asserts a usage or failure message: one line naming the problem, then at most a usage line. */
function expectErrorLine(stderr: string, pattern: RegExp): void {
  const lines = stderr.trimEnd().split('\n');
  expect(lines[0]).toMatch(pattern);
  expect(lines.length).toBeLessThanOrEqual(2);
  if (lines[1] !== undefined) expect(lines[1]).toMatch(/^Usage: /u);
  expect(stderr).not.toMatch(/^\s+at /mu);
}

describe('arshif analyze', () => {
  it('prints exactly {"normalized", "tokens": [{text, term, start, end}]} as one JSON line', async () => {
    const text = 'وقالت الخارجيةُ إنّ زعزعةَ الاستقرار مرفوضة';
    const { status, stdout, stderr } = await run('analyze', text);
    expect(status).toBe(0);
    expect(stderr).toBe('');
    expect(stdout.endsWith('\n')).toBe(true);
    expect(stdout.trimEnd().split('\n')).toHaveLength(1);
    const body = JSON.parse(stdout) as { normalized: string; tokens: Record<string, unknown>[] };
    expect(Object.keys(body).sort()).toEqual(['normalized', 'tokens']);
    expect(body.normalized).toBe('وقالت الخارجيه ان زعزعه الاستقرار مرفوضه');
    expect(body.tokens.length).toBeGreaterThan(0);
    for (const token of body.tokens) {
      expect(Object.keys(token).sort()).toEqual(['end', 'start', 'term', 'text']);
      const surface = token.text as string;
      const start = text.indexOf(surface);
      expect([token.start, token.end]).toEqual([start, start + surface.length]);
      expect(typeof token.term).toBe('string');
    }
    expect(body.tokens.map((token) => token.text)).toEqual(expect.arrayContaining(['الخارجيةُ', 'زعزعةَ']));
  });

  it('prints the same JSON as GET /analyze', async () => {
    const text = 'أعلنت الحكومةُ ٣ قرارات';
    const app = await buildApp({ archive: new Archive() });
    const response = await app.inject({ method: 'GET', url: `/analyze?${new URLSearchParams({ text })}` });
    await app.close();
    expect(JSON.parse((await run('analyze', text)).stdout)).toEqual(response.json());
  });

  it('without TEXT is a usage error (2)', async () => {
    const { status, stdout, stderr } = await run('analyze');
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expectErrorLine(stderr, /^arshif analyze: .*TEXT/u);
  });
});

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

  it('serve with a PORT that is no port: exit 1 naming it', async () => {
    process.env.PORT = 'http';
    try {
      const { status, stderr } = await run('serve', '--index', '/nonexistent/arshif');
      expect(status).toBe(1);
      expectErrorLine(stderr, /PORT must be a port number 0–65535, got "http"/u);
    } finally {
      delete process.env.PORT;
    }
  });

  it.each(['two', '-1', '65'])(
    'serve with ARSHIF_SEARCH_THREADS=%s: exit 1 naming it, before opening anything',
    async (value) => {
      process.env.ARSHIF_SEARCH_THREADS = value;
      try {
        const { status, stderr } = await run('serve', '--index', '/nonexistent/arshif');
        expect(status).toBe(1);
        expectErrorLine(
          stderr,
          new RegExp(`ARSHIF_SEARCH_THREADS must be a whole number 0–64, got "${value}"`, 'u'),
        );
      } finally {
        delete process.env.ARSHIF_SEARCH_THREADS;
      }
    },
  );

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

describe('arshif commands and help', () => {
  it('an unknown command is a usage error (2)', async () => {
    const { status, stdout, stderr } = await run('frobnicate');
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.split('\n')[0]).toBe('arshif: unknown command "frobnicate"');
  });

  it('no command prints the usage on stderr and exits 2', async () => {
    const { status, stderr } = await run();
    expect(status).toBe(2);
    expect(stderr).toMatch(/^Usage:/u);
  });

  it.each([['--help'], ['analyze'], ['index'], ['search'], ['serve'], ['eval']])(
    '%s --help exits 0 and prints Usage:',
    async (name) => {
      const { status, stdout, stderr } = await run(...(name === '--help' ? ['--help'] : [name, '--help']));
      expect(status).toBe(0);
      expect(stderr).toBe('');
      expect(stdout).toMatch(/^Usage: arshif /u);
      if (name !== '--help') expect(stdout).toContain(`arshif ${name}`);
    },
  );
});

describe('arshif eval', () => {
  const articles = tmpFile('eval-articles.jsonl', jsonl([OIL, MATCH, GOLD]));
  const KEYS = [
    'indexMs',
    'mrr10',
    'ndcg10',
    'queries',
    'queryP50Ms',
    'queryP99Ms',
    'recall1',
    'recall10',
    'recall100',
  ];

  it('--json prints exactly the SPEC keys; MRR@10 is 1 when every relevant paragraph ranks first', async () => {
    const queries = tmpFile(
      'eval-first.jsonl',
      jsonl([
        { qid: 'q1', query: 'النفط', relevant: [{ id: 'oil', para: 0 }] },
        { qid: 'q2', query: 'المنتخب المباراة', relevant: [{ id: 'match', para: 0 }] },
      ]),
    );
    const { status, stdout, stderr } = await run(
      'eval',
      '--articles',
      articles,
      '--queries',
      queries,
      '--json',
    );
    expect(stderr).toBe('');
    expect(status).toBe(0);
    const report = JSON.parse(stdout) as Record<string, number>;
    expect(Object.keys(report).sort()).toEqual(KEYS);
    for (const key of KEYS) expect(typeof report[key], key).toBe('number');
    expect(report).toMatchObject({ queries: 2, mrr10: 1, ndcg10: 1, recall1: 1, recall10: 1, recall100: 1 });
    expect(report.queryP99Ms).toBeGreaterThanOrEqual(report.queryP50Ms!);
  });

  it('averages over queries: a query whose relevant paragraph is never found scores 0', async () => {
    const queries = tmpFile(
      'eval-half.jsonl',
      jsonl([
        { qid: 'q1', query: 'الذهب', relevant: [{ id: 'gold', para: 0 }] },
        { qid: 'q2', query: 'الفيضانات', relevant: [{ id: 'oil', para: 0 }] },
      ]),
    );
    const report = JSON.parse(
      (await run('eval', '--articles', articles, '--queries', queries, '--json')).stdout,
    );
    expect(report).toMatchObject({ queries: 2, mrr10: 0.5, recall1: 0.5, recall100: 0.5 });
  });
});

describe('arshif serve (a real process)', () => {
  it('serves the sample corpus until SIGTERM, then exits 0, listening where PORT and HOST say', async () => {
    const serve = await startServe([], {}, 20_000, 'environment');
    try {
      const health = await (await fetch(`${serve.base}/health`)).json();
      expect(health).toEqual({ status: 'ok', articles: 36, paragraphs: expect.any(Number) });

      const response = await fetch(`${serve.base}/search?${new URLSearchParams({ q: 'زعزعة', limit: '3' })}`);
      expect(response.status).toBe(200);
      const body = (await response.json()) as SearchResponse;
      expect(body.hits.map((hit) => hit.id)).toContain(
        'arshif-sample-002-politics-arab-summit-water-security',
      );

      expect(serve.child.kill('SIGTERM')).toBe(true);
      expect(await serve.exited).toEqual({ code: 0, signal: null });
    } finally {
      await serve.kill();
    }
  }, 30_000);
});

describe('arshif with vectors', () => {
  const withVectors = tmpFile(
    'vectors.jsonl',
    jsonl([
      { ...OIL, vectors: [[1, 0, 0]] },
      { ...GOLD, vectors: [[0, 1, 0]] },
      { id: 'sport', paragraphs: ['فاز الفريق بالكأس'], vectors: [[0, 0.2, 1]] },
    ]),
  );
  const queryVector = tmpFile('query-vector.json', JSON.stringify([0, 0.1, 1]));
  const queryLine = tmpFile('query-line.json', JSON.stringify({ qid: 'q', query: 'x', vector: [1, 0.1, 0] }));

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

  it('eval --ranking vector and hybrid rank by each query’s vector', async () => {
    const queries = tmpFile(
      'eval-vectors.jsonl',
      jsonl([
        { qid: 'q1', query: 'الكأس', relevant: [{ id: 'sport', para: 0 }], vector: [0, 0, 1] },
        { qid: 'q2', query: 'الذهب', relevant: [{ id: 'oil', para: 0 }], vector: [1, 0, 0] },
      ]),
    );
    const report = (ranking: string) =>
      run('eval', '--articles', withVectors, '--queries', queries, '--ranking', ranking, '--json').then(
        ({ stdout }) => JSON.parse(stdout) as Record<string, number>,
      );
    // By words q2 finds gold, not oil; by vector both find theirs first.
    expect((await report('words')).mrr10).toBe(0.5);
    expect((await report('vector')).mrr10).toBe(1);
    expect((await report('hybrid')).recall10).toBe(1);
  });
});
