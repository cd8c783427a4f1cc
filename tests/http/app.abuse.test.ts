import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_ANALYZE_LENGTH } from '../../src/http/schemas.js';
import { ARTICLE_LIMITS } from '../../src/article/article.js';
import { PersistentArchive } from '../../src/archive/persistent-archive.js';
import { type ServeProcess, startServe } from '../helpers/serve-process.js';
import { temporaryDirectory } from '../helpers/temp-archive.js';

const TOKEN = 'abuse-table-token';
const AUTH = { authorization: `Bearer ${TOKEN}` };
const JSON_TYPE = { 'content-type': 'application/json' };

/** An article of the archive the table runs against: one of them is asked for after the table. */
const STORED = Array.from({ length: 40 }, (_, n) => ({
  id: `stored-${n}`,
  title: `خبر رقم ${n}`,
  published: `2024-0${1 + (n % 9)}-1${n % 10}`,
  source: n % 2 === 0 ? 'وكالة الأنباء' : 'الجريدة',
  paragraphs: [
    `أعلنت الحكومة في بيان رسمي عن خطة جديدة للاقتصاد والطاقة رقم ${n}`,
    `وقال الوزير إن أسعار النفط في الأسواق العالمية ستؤثر على الميزانية`,
  ],
  vectors: [[Math.cos(n), Math.sin(n), 1, n % 3], null],
}));

/** Common words of the archive, repeated into a query of about `length` characters. */
function commonWords(length: number, prefix = ''): string {
  const words = STORED[0]!.paragraphs.join(' ').split(' ');
  let query = '';
  for (let n = 0; ; n += 1) {
    const next = `${query}${query ? ' ' : ''}${prefix}${words[n % words.length]}`;
    if (next.length > length) return query;
    query = next;
  }
}

/** A request of the table: sent with fetch, or as raw bytes on a socket (`raw`) for malformed HTTP. */
interface Abuse {
  name: string;
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  raw?: string;
  status: number;
  /** The error code, when an error. */
  code?: string;
  /** What the message must say, when an error. */
  message?: RegExp;
}

const q = (query: string, rest = '') => `/search?q=${encodeURIComponent(query)}${rest}`;
const post = (body: unknown, headers: Record<string, string> = AUTH) => ({
  method: 'POST',
  path: '/articles',
  headers: { ...JSON_TYPE, ...headers },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});
const article = { id: 'abuse-new', title: 'عنوان', paragraphs: ['نص الخبر'] };

/** Bytes of a text in Windows-1256 (Arabic letters and ASCII only). */
function windows1256(text: string): Buffer {
  const decoder = new TextDecoder('windows-1256');
  const table = new Map<string, number>();
  for (let byte = 0; byte < 256; byte += 1) table.set(decoder.decode(Uint8Array.of(byte)), byte);
  return Buffer.from([...text].map((char) => table.get(char) ?? 0x3f));
}

/** Every hostile request the hardening issue names, grouped as it lists them. */
const TABLE: Abuse[] = [
  // 1. Costly queries: answered (bounded), never stalling the service.
  { name: 'q of 1,000 characters of common words', path: q(commonWords(1000)), status: 200 },
  {
    name: 'the same, sorted by date',
    path: q(commonWords(1000), '&sort=date'),
    status: 200,
  },
  { name: 'q of 200 required common words', path: q(commonWords(1000, '+')), status: 200 },
  { name: 'q of one long phrase', path: q(`"${commonWords(998)}"`), status: 200 },
  {
    name: 'q of 300 numbers',
    path: q(
      Array.from({ length: 300 }, (_, n) => n)
        .join(' ')
        .slice(0, 1000),
    ),
    status: 200,
  },
  {
    name: 'q of every two-letter pair',
    path: q('اب ات اث اج اح اخ اد اذ ار از اس اش'.repeat(27).slice(0, 1000)),
    status: 200,
  },
  { name: 'q of only operators', path: q('+ - " « » “ ” - + "'), status: 200 },
  { name: 'q of only punctuation and marks', path: q('؟!،؛ ـــ ً ٌ ٍ ...'), status: 200 },
  { name: 'q of invisible characters', path: q('\u200b\u200c\u200d\u2066\ufeff'), status: 200 },
  {
    name: 'q of 1,001 characters',
    path: q('ن'.repeat(1001)),
    status: 400,
    code: 'BAD_PARAMETER',
    message: /q/u,
  },
  { name: 'an empty q', path: '/search?q=', status: 400, code: 'BAD_PARAMETER', message: /q/u },
  { name: 'no q', path: '/search', status: 400, code: 'BAD_PARAMETER', message: /q/u },
  { name: 'q given twice', path: '/search?q=a&q=b', status: 400, code: 'BAD_PARAMETER', message: /q/u },
  // 2. Encodings: refused, never stored mangled.
  {
    name: 'a body in another charset',
    ...post(JSON.stringify(article), { ...AUTH, 'content-type': 'application/json; charset=iso-8859-1' }),
    status: 415,
    message: /charset "iso-8859-1"/u,
  },
  {
    name: 'Windows-1256 bytes sent as UTF-8',
    ...post('', AUTH),
    body: windows1256(JSON.stringify(article)),
    status: 400,
    message: /not valid UTF-8: byte \d+, in article 1 \(id "abuse-new"\)/u,
  },
  {
    name: 'a lone continuation byte',
    ...post('', AUTH),
    body: Buffer.concat([Buffer.from('{"id":"x","paragraphs":["'), Buffer.from([0x80]), Buffer.from('"]}')]),
    status: 400,
    message: /not valid UTF-8/u,
  },
  {
    name: 'a UTF-16 body',
    ...post('', { ...AUTH, 'content-type': 'application/json; charset=utf-16' }),
    body: Buffer.from(JSON.stringify(article), 'utf16le'),
    status: 415,
    message: /utf-16/iu,
  },
  // 3. Sizes.
  {
    name: 'a paragraph over the limit',
    ...post({ ...article, paragraphs: ['ن'.repeat(ARTICLE_LIMITS.paragraphLength + 1)] }),
    status: 400,
    code: 'INVALID_ARTICLE',
    message: /abuse-new/u,
  },
  {
    name: 'too many paragraphs',
    ...post({ ...article, paragraphs: Array.from({ length: ARTICLE_LIMITS.paragraphs + 1 }, () => 'نص') }),
    status: 400,
    code: 'INVALID_ARTICLE',
    message: /paragraphs/u,
  },
  {
    name: 'an article over the total size',
    ...post({
      ...article,
      paragraphs: Array.from({ length: 11 }, () => 'ن'.repeat(ARTICLE_LIMITS.paragraphLength)),
    }),
    status: 400,
    code: 'INVALID_ARTICLE',
    message: /abuse-new/u,
  },
  {
    name: 'a title over the limit',
    ...post({ ...article, title: 'ع'.repeat(ARTICLE_LIMITS.fieldLength + 1) }),
    status: 400,
    code: 'INVALID_ARTICLE',
    message: /title/u,
  },
  {
    // Declared, not sent: the server answers from Content-Length and closes, and a client still
    // writing 11 MiB would meet a closed socket (EPIPE) before it reads the answer.
    name: 'a body over 10 MiB',
    raw: `POST /articles HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: application/json\r\nContent-Length: ${11 * 1024 * 1024}\r\n\r\n{"id":`,
    status: 413,
  },
  {
    name: 'a batch of 3 whose second is bad, named by position and id',
    ...post([article, { id: 'second-bad', paragraphs: 'not a list' }, { id: 'third', paragraphs: [] }]),
    status: 400,
    message: /article 2 of 3 \(id "second-bad"\)/u,
  },
  // 4. Validation.
  {
    name: 'from at 25 o’clock',
    path: q('النفط', '&from=2024-02-29T25:00:00Z'),
    status: 400,
    code: 'BAD_PARAMETER',
    message: /from/u,
  },
  { name: 'to of 30 February', path: q('النفط', '&to=2024-02-30'), status: 400, message: /to/u },
  {
    name: 'from after to',
    path: q('النفط', '&from=2024-05-01&to=2024-01-01'),
    status: 400,
    message: /after/u,
  },
  {
    name: 'a published time of 24:61',
    ...post({ ...article, published: '2024-02-29T24:61:00Z' }),
    status: 400,
    message: /published/u,
  },
  { name: 'an id of only spaces', ...post({ ...article, id: ' \t ' }), status: 400, message: /id/u },
  {
    name: 'an id of 2,001 characters',
    ...post({ ...article, id: 'x'.repeat(2001) }),
    status: 400,
    message: /id/u,
  },
  { name: 'limit 0', path: q('النفط', '&limit=0'), status: 400, message: /limit/u },
  { name: 'limit 101', path: q('النفط', '&limit=101'), status: 400, message: /limit/u },
  { name: 'limit of letters', path: q('النفط', '&limit=abc'), status: 400, message: /limit/u },
  { name: 'a negative offset', path: q('النفط', '&offset=-1'), status: 400, message: /offset/u },
  { name: 'offset past 10,000', path: q('النفط', '&offset=10001'), status: 400, message: /offset/u },
  {
    name: 'a bad sort, the allowed values listed',
    path: q('النفط', '&sort=newest'),
    status: 400,
    message: /relevance, date/u,
  },
  { name: 'an unknown parameter, named', path: q('النفط', '&colour=red'), status: 400, message: /"colour"/u },
  {
    name: 'a client’s own time limit',
    path: q('النفط', '&timeLimitMs=60000'),
    status: 400,
    message: /timeLimitMs/u,
  },
  { name: 'analyze without text', path: '/analyze', status: 400, message: /text/u },
  {
    name: 'analyze of too long a text',
    path: `/analyze?text=${'a'.repeat(MAX_ANALYZE_LENGTH + 1)}`,
    status: 400,
    message: /text/u,
  },
  {
    name: 'a URL of 60 KB',
    path: `/analyze?text=${encodeURIComponent('ن'.repeat(10_000))}`,
    status: 431,
    message: /exceed 16 KB/u,
  },
  // 5. Malformed requests keep the error shape.
  { name: 'invalid JSON', ...post('{"id": "x", "paragraphs": ['), status: 400 },
  { name: 'an empty body', ...post(''), status: 400 },
  { name: 'a JSON number', ...post('42'), status: 400 },
  { name: 'a JSON null', ...post('null'), status: 400 },
  { name: 'an empty array', ...post([]), status: 400 },
  { name: 'nesting 10,000 deep', ...post(`${'['.repeat(10_000)}${']'.repeat(10_000)}`), status: 400 },
  {
    name: 'a text/plain body',
    ...post(JSON.stringify(article), { ...AUTH, 'content-type': 'text/plain' }),
    status: 415,
    message: /text\/plain/u,
  },
  {
    name: 'a form body',
    ...post('id=x', { ...AUTH, 'content-type': 'application/x-www-form-urlencoded' }),
    status: 415,
  },
  {
    name: 'a broken percent-encoding in the query',
    path: '/search?q=%E0%A4%A',
    status: 400,
    message: /q=%E0%A4%A/u,
  },
  { name: 'half a character percent-encoded', path: '/search?q=%D9', status: 400, message: /q=%D9/u },
  { name: 'a broken percent-encoding in the path', path: '/articles/%E0%A4%A', status: 400 },
  { name: 'an unknown route', path: '/admin', status: 404, code: 'NOT_FOUND', message: /\/admin/u },
  { name: 'a path climbing out', path: '/articles/..%2F..%2Fetc%2Fpasswd', status: 404, code: 'NOT_FOUND' },
  { name: 'PUT on /search', method: 'PUT', path: q('النفط'), status: 404 },
  { name: 'an HTTP/1.1 request without Host', raw: 'GET /health HTTP/1.1\r\n\r\n', status: 400 },
  {
    name: 'raw non-ASCII in the request line',
    raw: 'GET /search?q=نفط HTTP/1.1\r\nHost: x\r\n\r\n',
    status: 400,
  },
  {
    name: 'a header line without a colon',
    raw: 'GET /health HTTP/1.1\r\nHost: x\r\nbroken\r\n\r\n',
    status: 400,
  },
  { name: 'a header of 20 KB', path: '/health', headers: { 'x-big': 'a'.repeat(20_000) }, status: 431 },
  // 6, 7. Authorisation, before the body.
  { name: 'a write without a token', ...post(article, {}), status: 401, code: 'UNAUTHORIZED' },
  { name: 'a bad body without a token', ...post('{not json', {}), status: 401, code: 'UNAUTHORIZED' },
  { name: 'a write with a wrong token', ...post(article, { authorization: 'Bearer nope' }), status: 401 },
  { name: 'a write with Basic auth', ...post(article, { authorization: `Basic ${TOKEN}` }), status: 401 },
  { name: 'a delete without a token', method: 'DELETE', path: '/articles/stored-1', status: 401 },
  { name: 'a delete of an unknown id', method: 'DELETE', path: '/articles/none', headers: AUTH, status: 404 },
  {
    name: 'a lower-case bearer',
    ...post({ ...article, id: 'lower-bearer' }, { authorization: `bearer ${TOKEN}` }),
    status: 200,
  },
  // 8. Vectors: searches by them and articles carrying them.
  ...vectorAbuses(),
  // Well-formed requests in between, answered as usual.
  { name: 'an ordinary search', path: q('أسعار النفط'), status: 200 },
  { name: 'health with a query string', path: '/health?probe=1', status: 200 },
  {
    name: 'a Windows-1256 body labelled so',
    ...post('', { ...AUTH, 'content-type': 'application/json; charset=windows-1256' }),
    body: windows1256(JSON.stringify({ ...article, id: 'cp1256' })),
    status: 200,
  },
];

/** Search by vector, related paragraphs and articles with vectors, misused (the archive's have 4 dimensions). */
function vectorAbuses(): Abuse[] {
  const search = (body: unknown): Pick<Abuse, 'method' | 'path' | 'headers' | 'body'> => ({
    method: 'POST',
    path: '/search',
    headers: JSON_TYPE,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const bad = { status: 400, code: 'BAD_PARAMETER' };
  return [
    { name: 'a search by vector', ...search({ vector: [1, 0, 1, 0], k: 5 }), status: 200 },
    { name: 'a vector of 4,097 dimensions', ...search({ vector: new Array(4097).fill(0.5) }), ...bad },
    { name: 'a vector of a million numbers', ...search(`{"vector":[${'1,'.repeat(999_999)}1]}`), ...bad },
    {
      name: 'a vector of another dimension',
      ...search({ vector: [1, 0] }),
      ...bad,
      message: /2 dimensions; this archive's have 4/u,
    },
    { name: 'a vector of vectors', ...search({ vector: [[1, 0, 1, 0]] }), ...bad },
    { name: 'a vector of zeros', ...search({ vector: [0, 0, 0, 0] }), ...bad, message: /no direction/u },
    {
      name: 'a vector past 32-bit floats',
      ...search({ vector: [1e308, 0, 0, 0] }),
      ...bad,
      message: /32-bit float/u,
    },
    { name: 'a vector that is a string', ...search({ vector: '1,0,1,0' }), ...bad },
    { name: 'k of a billion', ...search({ vector: [1, 0, 1, 0], k: 1e9 }), ...bad },
    {
      name: 'a semanticRatio that is no number',
      ...search({ q: 'النفط', vector: [1, 0, 1, 0], semanticRatio: 'half' }),
      ...bad,
    },
    { name: 'a search body of null', ...search('null'), ...bad },
    { name: 'a search body that is not JSON', ...search('{"vector": [1,'), status: 400 },
    {
      name: 'a search body as text',
      ...search('q=x'),
      headers: { 'content-type': 'text/plain' },
      status: 415,
    },
    { name: 'related, an ordinary request', path: '/articles/stored-3/related?para=0', status: 200 },
    { name: 'related by words', path: '/articles/stored-3/related?para=1&limit=3', status: 200 },
    {
      name: 'related to a paragraph far past the last',
      path: '/articles/stored-3/related?para=99999999999',
      ...bad,
      message: /para must be an integer from 0 to 1/u,
    },
    { name: 'related to a negative paragraph', path: '/articles/stored-3/related?para=-1', ...bad },
    {
      name: 'related of an unknown article',
      path: '/articles/none/related?para=0',
      status: 404,
      code: 'NOT_FOUND',
    },
    { name: 'vectors=maybe', path: '/articles/stored-3?vectors=maybe', ...bad },
    {
      name: 'an article whose vector has another dimension',
      ...post({ ...article, id: 'bad-vector', vectors: [[1, 2, 3]] }),
      status: 400,
      code: 'INVALID_ARTICLE',
      message:
        /^the article \(id "bad-vector"\): the vector of paragraph 1 \(para 0\) has 3 dimensions; this archive's have 4$/u,
    },
    {
      name: 'an article with more vectors than paragraphs',
      ...post({ ...article, id: 'bad-vector', vectors: [[1, 2, 3, 4], null] }),
      status: 400,
      code: 'INVALID_ARTICLE',
    },
  ];
}

/** The status and body of a request written raw to a socket. */
function sendRaw(base: string, bytes: string): Promise<{ status: number; body: string; headers: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(Buffer.from(bytes)));
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    socket.on('error', reject);
    socket.on('close', () => {
      const [head = '', body = ''] = answer.split('\r\n\r\n');
      resolve({ status: Number(head.split(' ')[1]), body, headers: head });
    });
  });
}

describe('the abuse table, against a real server', () => {
  let directory: Awaited<ReturnType<typeof temporaryDirectory>>;
  let serve: ServeProcess;

  beforeAll(async () => {
    directory = await temporaryDirectory();
    const archive = await PersistentArchive.open(directory.path);
    await archive.put(STORED);
    await archive.close();
    serve = await startServe(['--index', directory.path], { ARSHIF_TOKEN: TOKEN });
  }, 30_000);
  afterAll(async () => {
    await serve?.kill();
    await directory?.remove();
  });

  it(`answers each of its ${TABLE.length} requests as it should, in the error shape, and stays healthy`, async () => {
    const failures: string[] = [];
    for (const abuse of TABLE) {
      let status: number;
      let text: string;
      let nosniff = true;
      if (abuse.raw !== undefined) {
        ({ status, body: text } = await sendRaw(serve.base, abuse.raw));
      } else {
        const response = await fetch(`${serve.base}${abuse.path}`, {
          method: abuse.method ?? 'GET',
          headers: abuse.headers ?? {},
          ...(abuse.body === undefined ? {} : { body: abuse.body }),
        });
        status = response.status;
        text = await response.text();
        nosniff = response.headers.get('x-content-type-options') === 'nosniff';
      }
      const problems: string[] = [];
      if (status !== abuse.status) problems.push(`status ${status}, not ${abuse.status}`);
      if (!nosniff) problems.push('no X-Content-Type-Options: nosniff');
      if (status >= 400) {
        let error: { code?: unknown; message?: unknown } | undefined;
        try {
          error = (JSON.parse(text) as { error?: typeof error }).error;
        } catch {
          error = undefined;
        }
        if (typeof error?.code !== 'string' || typeof error.message !== 'string') {
          problems.push(`not the error shape: ${text.slice(0, 200)}`);
        } else {
          if (abuse.code !== undefined && error.code !== abuse.code) problems.push(`code ${error.code}`);
          if (abuse.message !== undefined && !abuse.message.test(error.message)) {
            problems.push(`message "${error.message.slice(0, 200)}"`);
          }
        }
      }
      if (problems.length > 0) failures.push(`${abuse.name}: ${problems.join('; ')}`);
    }
    expect(failures).toEqual([]);

    // Healthy after the whole table: nothing refused was stored, what was accepted was.
    const health = (await (await fetch(`${serve.base}/health`)).json()) as {
      status: string;
      articles: number;
    };
    expect(health).toMatchObject({ status: 'ok', articles: STORED.length + 2 });
    expect((await fetch(`${serve.base}/articles/abuse-new`)).status).toBe(404);
    expect((await fetch(`${serve.base}/articles/bad-vector`)).status).toBe(404);
    const stored = (await (await fetch(`${serve.base}/articles/cp1256`)).json()) as { paragraphs: string[] };
    expect(stored.paragraphs).toEqual(article.paragraphs);
    const found = (await (await fetch(`${serve.base}${q('أسعار النفط')}`)).json()) as { total: number };
    expect(found.total).toBe(STORED.length);
  }, 60_000);

  it('answers /health at once while costly searches run', async () => {
    const costly = Array.from({ length: 6 }, () =>
      fetch(`${serve.base}${q(`"${commonWords(998)}"`, '&sort=date')}`).then((response) => response.status),
    );
    const started = performance.now();
    const health = await fetch(`${serve.base}/health`);
    const healthMs = performance.now() - started;
    expect(health.status).toBe(200);
    expect(healthMs).toBeLessThan(500);
    expect(await Promise.all(costly)).toEqual(Array(6).fill(200));
  });
});
