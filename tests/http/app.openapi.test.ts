import SwaggerParser from '@apidevtools/swagger-parser';
import { Ajv } from 'ajv';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Archive } from '../../src/archive/archive.js';
import { buildApp } from '../../src/http/app.js';
import { temporaryArchive } from '../helpers/temp-archive.js';

const TOKEN = 'openapi-token';
const AUTH = { authorization: `Bearer ${TOKEN}` };

/** A document's response schemas, refs inlined, by path, method and status. */
type Paths = Record<
  string,
  Record<string, { responses: Record<string, { content?: Record<string, { schema: object }> }> }>
>;

describe('/docs/json is a contract clients can be generated from', () => {
  let app: FastifyInstance;
  let dispose: () => Promise<void>;
  let document: { openapi: string; paths: Paths };

  beforeAll(async () => {
    const temporary = await temporaryArchive([
      { id: 'oil', title: 'النفط', published: '2024-01-15', paragraphs: ['ارتفعت أسعار النفط في الأسواق.'] },
    ]);
    dispose = temporary.dispose;
    app = await buildApp({ archive: temporary.archive.archive, writer: temporary.archive, token: TOKEN });
    document = (await app.inject({ method: 'GET', url: '/docs/json' })).json();
  });
  afterAll(async () => {
    await app.close();
    await dispose();
  });

  it('is valid OpenAPI 3 (@apidevtools/swagger-parser)', async () => {
    expect(document.openapi).toMatch(/^3\./u);
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
  });

  it.each<[string, InjectOptions, number]>([
    ['a search', { method: 'GET', url: `/search?q=${encodeURIComponent('أسعار النفط')}&limit=5` }, 200],
    ['a bad search', { method: 'GET', url: '/search?q=x&sort=newest' }, 400],
    ['an article', { method: 'GET', url: '/articles/oil' }, 200],
    ['an unknown article', { method: 'GET', url: '/articles/none' }, 404],
    ['an analysis', { method: 'GET', url: `/analyze?text=${encodeURIComponent('الأمريكيَّة')}` }, 200],
    ['a bad analysis', { method: 'GET', url: '/analyze' }, 400],
    ['health', { method: 'GET', url: '/health' }, 200],
    [
      'a write',
      { method: 'POST', url: '/articles', headers: AUTH, payload: { id: 'gold', paragraphs: ['الذهب'] } },
      200,
    ],
    ['a bad write', { method: 'POST', url: '/articles', headers: AUTH, payload: { id: 'x' } }, 400],
    [
      'a write without the token',
      { method: 'POST', url: '/articles', payload: { id: 'x', paragraphs: [] } },
      401,
    ],
    ['a removal', { method: 'DELETE', url: '/articles/gold', headers: AUTH }, 200],
    ['a removal of nothing', { method: 'DELETE', url: '/articles/gold', headers: AUTH }, 404],
  ])('%s answers %i, as the schema declared for that status says', async (_name, request, status) => {
    const dereferenced = (await SwaggerParser.dereference(structuredClone(document) as never)) as unknown as {
      paths: Paths;
    };
    const response = await app.inject(request);
    expect(response.statusCode, response.body).toBe(status);
    const route = (request.url as string).split('?')[0]!.replace(/^\/articles\/[^/]+$/u, '/articles/{id}');
    const declared =
      dereferenced.paths[route]?.[String(request.method).toLowerCase()]?.responses[String(status)];
    const schema = declared?.content?.['application/json']?.schema;
    expect(schema, `${request.method} ${route} declares ${status}`).toBeDefined();
    const validate = new Ajv({ strict: false, allErrors: true }).compile(schema!);
    expect(validate(response.json()), JSON.stringify(validate.errors)).toBe(true);
  });
});

describe("the routes' schemas, which a start does not check against JSON Schema's meta-schema", () => {
  it('are valid JSON Schema: every route, the write and cluster ones included, compiles with the check on', async () => {
    const temporary = await temporaryArchive([{ id: 'oil', paragraphs: ['ارتفعت أسعار النفط'] }]);
    const app = await buildApp({
      archive: temporary.archive.archive,
      writer: temporary.archive,
      token: TOKEN,
      checkSchemas: true,
      cluster: {
        status: () => ({ position: '1', lagMs: 0, shards: 'all' }),
        waitFor: async () => true,
        members: async () => [],
        shardSearch: {} as never,
      },
    });
    try {
      await expect(app.ready()).resolves.toBeDefined();
      expect(app.printRoutes()).toMatch(/_shard/u);
    } finally {
      await app.close();
      await temporary.dispose();
    }
  });

  it('the check catches what only the meta-schema refuses, which compiles unnoticed without it', async () => {
    // A negative length: the keyword's own check (a number) passes it; only the meta-schema refuses it.
    const bad = { querystring: { type: 'object', properties: { q: { type: 'string', minLength: -1 } } } };
    for (const checkSchemas of [false, true]) {
      const app = await buildApp({ archive: new Archive(), checkSchemas });
      app.get('/bad', { schema: bad }, async () => ({}));
      if (checkSchemas) await expect(app.ready()).rejects.toThrow(/minLength/u);
      else await expect(app.ready()).resolves.toBeDefined();
      await app.close();
    }
  });
});
