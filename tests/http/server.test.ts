import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer, trustProxyFromEnvironment } from '../../src/http/server.js';
import { Archive } from '../../src/archive/archive.js';
import { type SearchResponse } from '../../src/archive/archive-search.js';

const TEXT = 'ارتفعت أسعار النفط في الأسواق العالمية.';

/** Sends raw bytes and resolves to everything the server answers before closing. */
function rawRequest(port: number, request: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(request));
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });
}

describe('a real listening server', () => {
  let server: RunningServer;
  let port: number;

  beforeAll(async () => {
    const archive = new Archive();
    archive.put({ id: 'oil', title: 'أسواق الطاقة', published: '2024-01-15', paragraphs: [TEXT] });
    server = await startServer({ archive, port: 0, host: '127.0.0.1', logger: false });
    port = Number(new URL(server.url).port);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('listens on 127.0.0.1, answers /health and an Arabic /search over HTTP', async () => {
    expect(server.url).toBe(`http://127.0.0.1:${port}`);
    expect(port).toBeGreaterThan(0);

    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', articles: 1, paragraphs: 1 });

    const response = await fetch(`${server.url}/search?${new URLSearchParams({ q: 'النفط', limit: '5' })}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json; charset=utf-8/u);
    const body = (await response.json()) as SearchResponse;
    expect(body.query).toBe('النفط');
    expect(body.total).toBe(1);
    const start = TEXT.indexOf('النفط');
    expect(body.hits.map(({ id, para, highlights }) => ({ id, para, highlights }))).toEqual([
      { id: 'oil', para: 0, highlights: [[start, start + 'النفط'.length]] },
    ]);
  });

  it.each([
    ['non-ASCII in the query string', 'GET /search?q=النفط HTTP/1.1'],
    ['non-ASCII in the path', 'GET /articles/خبر HTTP/1.1'],
  ])('answers a raw request with %s: 400 with the JSON error body', async (_name, requestLine) => {
    const answer = await rawRequest(
      port,
      Buffer.from(`${requestLine}\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`, 'utf8'),
    );
    const [head = '', body = ''] = answer.split('\r\n\r\n');
    expect(head.split('\r\n')[0]).toBe('HTTP/1.1 400 Bad Request');
    expect(head).toMatch(/^content-type: application\/json/imu);
    const parsed = JSON.parse(body) as unknown;
    expect(parsed).toEqual({ error: { code: expect.any(String), message: expect.any(String) } });
    expect(Object.keys((parsed as { error: object }).error).sort()).toEqual(['code', 'message']);
  });

  it('answers an HTTP/1.1 request without Host with the JSON error body, and HTTP/1.0 without it', async () => {
    const answer = await rawRequest(port, Buffer.from('GET /health HTTP/1.1\r\nConnection: close\r\n\r\n'));
    const [head = '', body = ''] = answer.split('\r\n\r\n');
    expect(head.split('\r\n')[0]).toBe('HTTP/1.1 400 Bad Request');
    expect(JSON.parse(body)).toEqual({
      error: { code: 'BAD_REQUEST', message: expect.stringMatching(/needs a Host header/u) },
    });
    const old = await rawRequest(port, Buffer.from('GET /health HTTP/1.0\r\n\r\n'));
    expect(old.split('\r\n')[0]).toBe('HTTP/1.1 200 OK');
  });

  it('still serves after the malformed requests', async () => {
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  });
});

describe('startServer close()', () => {
  it('stops listening and resolves closed', async () => {
    const server = await startServer({ archive: new Archive(), port: 0, host: '127.0.0.1', logger: false });
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    await server.close();
    await expect(server.closed).resolves.toBeUndefined();
    await expect(fetch(`${server.url}/health`)).rejects.toThrow();
  });
});

describe('a real server reads ARSHIF_RATE_LIMIT', () => {
  it.each([
    ['2', 2],
    ['0', Infinity],
  ])('ARSHIF_RATE_LIMIT=%s allows %s searches a minute', async (value, allowed) => {
    const previous = process.env.ARSHIF_RATE_LIMIT;
    process.env.ARSHIF_RATE_LIMIT = value;
    const archive = new Archive();
    archive.put({ id: 'oil', paragraphs: [TEXT] });
    const server = await startServer({ archive, port: 0, host: '127.0.0.1', logger: false });
    try {
      const statuses: number[] = [];
      for (let request = 0; request < 4; request += 1) {
        statuses.push((await fetch(`${server.url}/search?q=${encodeURIComponent('النفط')}`)).status);
      }
      expect(statuses).toEqual([0, 1, 2, 3].map((index) => (index < allowed ? 200 : 429)));
    } finally {
      await server.close();
      if (previous === undefined) delete process.env.ARSHIF_RATE_LIMIT;
      else process.env.ARSHIF_RATE_LIMIT = previous;
    }
  });

  it('refuses a value that is not a whole number, naming it', async () => {
    const previous = process.env.ARSHIF_RATE_LIMIT;
    process.env.ARSHIF_RATE_LIMIT = 'lots';
    try {
      await expect(
        startServer({ archive: new Archive(), port: 0, host: '127.0.0.1', logger: false }),
      ).rejects.toThrow(/ARSHIF_RATE_LIMIT .*"lots"/u);
    } finally {
      if (previous === undefined) delete process.env.ARSHIF_RATE_LIMIT;
      else process.env.ARSHIF_RATE_LIMIT = previous;
    }
  });
});

describe('ARSHIF_TRUST_PROXY', () => {
  it.each([
    [undefined, false],
    ['', false],
    ['false', false],
    ['true', true],
    ['127.0.0.1, 10.0.0.0/8', ['127.0.0.1', '10.0.0.0/8']],
  ] as const)('%s → %j', (value, expected) => {
    expect(trustProxyFromEnvironment(value)).toEqual(expected);
  });

  it('a number is a count of proxy hops', () => {
    const trust = trustProxyFromEnvironment('2') as (address: string, hop: number) => boolean;
    expect([trust('10.0.0.1', 0), trust('10.0.0.2', 1), trust('203.0.113.9', 2)]).toEqual([
      true,
      true,
      false,
    ]);
  });

  it('refuses anything else, naming the variable', () => {
    expect(() => trustProxyFromEnvironment('everyone')).toThrow(/ARSHIF_TRUST_PROXY/u);
  });
});
