/** The Fastify app (routes, schemas, auth, limits, errors), built by `buildApp` and never listening. */
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { maxHeaderSize } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
} from 'fastify';
import { Type } from 'typebox';
import { analyze } from '../analysis/analyze.js';
import { normalize } from '../analysis/normalize.js';
import { ArshifError } from '../errors.js';
import type { NodeStatus } from '../archive/cluster-node.js';
import { shardReplication } from '../archive/shard-routing.js';
import { recordedShards } from '../archive/shards.js';
import type { ShardClient } from '../archive/shard-protocol.js';
import type { ClusterMember } from '../storage/postgres-store.js';
import type { ArticleWriter } from '../archive/persistent-archive.js';
import type { ArchiveReader } from '../archive/search-replicas.js';
import { DEFAULT_SERVICE_TIME_LIMIT_MS, type FacetName } from '../archive/search-options.js';
import { NINJS_CONTENT_TYPES } from '../ingest/ninjs.js';
import { incomingArticles } from './incoming-articles.js';
import { decodeBody } from './body-encoding.js';
import { LazySchemas } from './lazy-schemas.js';
import { registerMetrics } from './metrics.js';
import { registerSearchPage } from './search-page.js';
import { errorBody, formatSchemaError, handleError } from './errors.js';
import {
  AnalyzeQuery,
  AnalyzeResponse,
  ArticleParams,
  ClusterResponse,
  ArticleQuery,
  ArticleSchema,
  ErrorBody,
  HealthResponse,
  RelatedQuery,
  RelatedResponseSchema,
  SearchBody,
  SearchQuery,
  RemoveResponse,
  SearchResponseSchema,
  SynonymsResponse,
  WriteResponse,
} from './schemas.js';
import { jsonVectors } from './vectors-json.js';

/** Options of {@link buildApp}. */
export interface AppOptions {
  /** The archive searched: an {@link Archive}, or one with search replicas on the other cores. */
  archive: ArchiveReader;
  /** Durable writes; without it write routes answer 403. */
  writer?: ArticleWriter;
  /** Bearer token of the write routes; without it write routes answer 403. */
  token?: string;
  /** Largest request body, in bytes. Default 10 MiB. */
  bodyLimit?: number;
  /**
   * Requests a client (by IP address) may make per time window before answers turn to 429; `/health`
   * and requests holding the write token are exempt. Default `false`: no limit (`server.ts` sets one
   * from `ARSHIF_RATE_LIMIT`).
   */
  rateLimit?: { max: number; timeWindowMs: number } | false;
  /**
   * Fastify's `trustProxy`: which proxies' `X-Forwarded-For` names the client, so that limits apply per
   * real client behind them (`true`, a number of hops, or addresses and CIDR ranges). Default `false`.
   */
  trustProxy?: FastifyServerOptions['trustProxy'];
  /** Fastify's logger option. Default off. */
  logger?: FastifyServerOptions['logger'];
  /**
   * Origins allowed to call the API from a browser (CORS), as tools embedding `<arshif-search>` from
   * `/embed.js` do: exact origins such as `https://newsroom.example`. Default: none (same origin only).
   */
  corsOrigins?: readonly string[];
  /**
   * The cluster this service's node belongs to (cluster mode): reads asked `after` a write wait until
   * the node has applied it, and `/health` says how the node stands. Default: none (one machine, whose
   * writes are searched when acknowledged).
   */
  cluster?: ClusterReads;
  /**
   * Milliseconds a search may spend finding matches before it answers with the best found so far
   * (`"partial": true, "timedOut": true`); `false` for no limit. Default {@link DEFAULT_SERVICE_TIME_LIMIT_MS}.
   */
  searchTimeLimitMs?: number | false;
  /**
   * Compile every route's schemas before the app is ready, checked against JSON Schema's meta-schema,
   * which throws on one that is not valid JSON Schema. Off by default: schemas are constants, and a
   * service compiles them once it listens, or on a route's first request (see {@link LazySchemas}),
   * 0.11 s of a 0.6 s start. Default false.
   */
  checkSchemas?: boolean;
}

const DEFAULT_BODY_LIMIT = 10 * 1024 * 1024;

/** The OpenAPI page's own files (HTML, scripts, styles, logo), in its package. */
const SWAGGER_UI_ASSETS = join(
  dirname(createRequire(import.meta.url).resolve('@fastify/swagger-ui/package.json')),
  'static',
);

/** What the service needs of a cluster node: its standing, a wait for a write, the cluster's nodes. */
export interface ClusterReads {
  status(): NodeStatus;
  waitFor(position: string, timeoutMs: number): Promise<boolean>;
  /** This node's name among the store's nodes. */
  readonly id?: string;
  members?(): Promise<ClusterMember[]>;
  /** This node's part of the searches other nodes coordinate, answered at `POST /_shard/…`. */
  readonly shardSearch?: ShardClient;
  /** Set by the service: told of each request this node's searches make of other nodes (metrics). */
  observeShardRequest?: ((kind: string, node: string, seconds: number, failed: boolean) => void) | undefined;
}

/** The requests a node answers for the searches other nodes coordinate. */
const SHARD_REQUESTS = ['statistics', 'search', 'nearest', 'fetch', 'paragraph'] as const;

/**
 * Longest a read asked `after` a write waits for this node to apply it before answering 503 `BEHIND`
 * with `Retry-After`: writes are applied in milliseconds; a node seconds behind is better skipped.
 */
export const AFTER_WAIT_MS = 5_000;

/** Node's limit on the request line and headers together (`--max-http-header-size`, 16 KiB by default). */
const MAX_HEADER_KB = Math.round(maxHeaderSize / 1024);

/**
 * The first parameter of a URL's query string that is not valid percent-encoded UTF-8 (`%E0%A4%A`, a
 * lone `%`, an escape of half a character), cut to 60 characters; `undefined` when all are valid.
 */
export function brokenPercentEncoding(url: string): string | undefined {
  const at = url.indexOf('?');
  if (at === -1 || !url.includes('%', at)) return undefined;
  for (const parameter of url.slice(at + 1).split('&')) {
    try {
      decodeURIComponent(parameter);
    } catch {
      return parameter.slice(0, 60);
    }
  }
  return undefined;
}

/** The token of an `Authorization: Bearer <token>` header (the scheme is case-insensitive, RFC 7235). */
function bearerToken(request: FastifyRequest): string | undefined {
  return /^bearer[ \t]+(\S+)[ \t]*$/iu.exec(request.headers.authorization ?? '')?.[1];
}

function sameToken(given: string, expected: string): boolean {
  // Hash both so the comparison is constant-time whatever the lengths.
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * Builds the Arshif HTTP service. It never listens: `server.ts` does, and tests use `inject`.
 *
 * - `GET /search`, `/articles/:id`, `/analyze`, `/health`; `POST /articles`, `DELETE /articles/:id`
 *   with `Authorization: Bearer <token>`; OpenAPI docs at `/docs`.
 * - Every error is `{"error": {"code", "message"}}`; a client's mistake is a 4xx, never a 500.
 */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { archive, writer, token, cluster } = options;
  const timeLimitMs =
    options.searchTimeLimitMs === false
      ? undefined
      : (options.searchTimeLimitMs ?? DEFAULT_SERVICE_TIME_LIMIT_MS);
  const schemas = options.checkSchemas === true ? undefined : new LazySchemas();
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    trustProxy: options.trustProxy ?? false,
    // Node answers an HTTP/1.1 request without Host with a bare 400; the hook below gives it the error shape.
    http: { requireHostHeader: false },
    routerOptions: { maxParamLength: 1000 },
    // Errors Fastify raises before routing (a bad percent-encoding, an over-long id) get the same shape,
    // and the header helmet would have added.
    frameworkErrors: (error, _request, reply: FastifyReply) => {
      const status = error.statusCode !== undefined && error.statusCode < 500 ? error.statusCode : 400;
      void reply
        .status(status)
        .header('x-content-type-options', 'nosniff')
        .send(errorBody(status === 414 ? 'URI_TOO_LONG' : 'BAD_REQUEST', error.message));
    },
    // Malformed requests that never reach a route (raw non-ASCII in the URL, broken or oversized
    // headers) get the same error shape as everything else.
    clientErrorHandler: (error: Error & { code?: string }, socket) => {
      if (!socket.writable) return;
      const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
      const body = JSON.stringify(
        tooLarge
          ? errorBody('HEADERS_TOO_LARGE', `the request line and headers exceed ${MAX_HEADER_KB} KB`)
          : errorBody('BAD_REQUEST', `malformed HTTP request: ${error.message}`),
      );
      socket.end(
        `HTTP/1.1 ${tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request'}\r\nContent-Type: application/json; charset=utf-8\r\nX-Content-Type-Options: nosniff\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    },
    // verbose: errors carry the schema and the value, which formatSchemaError names.
    ajv: {
      customOptions: {
        coerceTypes: 'array',
        removeAdditional: false,
        allErrors: false,
        verbose: true,
        validateSchema: options.checkSchemas ?? false,
      },
    },
    schemaErrorFormatter: formatSchemaError,
    // Schemas compiled once listening (or on a route's first request); before, when they are to be checked.
    ...(schemas === undefined
      ? {}
      : {
          schemaController: {
            compilersFactory: { buildValidator: schemas.validators, buildSerializer: schemas.serializers },
          },
        }),
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setErrorHandler(handleError);
  if (schemas !== undefined) app.addHook('onListen', async () => schemas.compileRest());
  // JSON bodies decoded by their declared charset, refused rather than mangled (see decodeBody).
  const parseJson = app.getDefaultJsonParser('error', 'ignore');
  app.removeContentTypeParser('application/json');
  // Fastify parses text/plain by default; the write routes take JSON only, so it is a 415 naming it.
  app.removeContentTypeParser('text/plain');
  // Our JSON and ninjs items (whatever their shape: see incomingArticles) alike.
  app.addContentTypeParser(
    ['application/json', ...NINJS_CONTENT_TYPES],
    { parseAs: 'buffer' },
    (request, body, done) => {
      let text: string;
      try {
        text = decodeBody(body as Buffer, request.headers['content-type']);
      } catch (error) {
        done(error as Error, undefined);
        return;
      }
      parseJson(request, text, done);
    },
  );
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send(errorBody('NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`)),
  );
  app.addSchema(ErrorBody);
  // nosniff, frame and referrer policies, and a Content-Security-Policy that /docs' page satisfies.
  await app.register(helmet, {
    global: true,
    // Strict: the search page loads only its own scripts and style sheets, no inline code of any kind
    // (helmet's default allows inline styles); /docs sets its own, allowing its inline code by hash.
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'self'"],
      },
    },
  });
  if (options.corsOrigins !== undefined && options.corsOrigins.length > 0) {
    // Other newsroom tools that embed <arshif-search> call the API from their own origin.
    await app.register(cors, { origin: [...options.corsOrigins], methods: ['GET', 'HEAD'] });
  }
  app.addHook('onRequest', async (request) => {
    if (request.raw.httpVersion === '1.1' && request.headers.host === undefined) {
      throw Object.assign(new Error('an HTTP/1.1 request needs a Host header (RFC 9112)'), {
        statusCode: 400,
      });
    }
    // The query string parser decodes a broken escape leniently, into a query nobody typed.
    const broken = brokenPercentEncoding(request.raw.url ?? '');
    if (broken !== undefined) {
      throw new ArshifError(
        'BAD_PARAMETER',
        `the query string is not valid percent-encoded UTF-8 at "${broken}"`,
      );
    }
  });
  const holdsToken = (request: FastifyRequest) => {
    const given = bearerToken(request);
    return token !== undefined && token !== '' && given !== undefined && sameToken(given, token);
  };
  if (options.rateLimit) {
    await app.register(rateLimit, {
      max: options.rateLimit.max,
      timeWindow: options.rateLimit.timeWindowMs,
      // Load balancers poll /health (whatever its query); the newsroom's own tools hold the token.
      allowList: (request) => request.routeOptions.url === '/health' || holdsToken(request),
      // Thrown to handleError, which answers {"error": {"code": "TOO_MANY_REQUESTS", …}}.
      errorResponseBuilder: (_request, context) =>
        Object.assign(
          new Error(`rate limit of ${context.max} requests exceeded, retry in ${context.after}`),
          {
            statusCode: 429,
          },
        ),
    });
  }
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Arshif',
        description: 'Full-text search over Arabic news archives, by paragraph.',
        version: '0.1.0',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
  });
  // Its inline scripts and styles are allowed by hash in the page's Content-Security-Policy. Its assets
  // and logo are named rather than found beside its code, which a bundle (dist/cli.js) does not keep.
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    staticCSP: true,
    baseDir: SWAGGER_UI_ASSETS,
    logo: { type: 'image/svg+xml', content: await readFile(join(SWAGGER_UI_ASSETS, 'logo.svg')) },
  });

  const limitedTime = timeLimitMs === undefined ? {} : { timeLimitMs };
  /** `facets` as `/search` takes it (comma-separated, or in a JSON body a list too) as the archive does. */
  const facetNames = (facets: string | string[] | undefined): { facets?: FacetName[] } =>
    facets === undefined
      ? {}
      : {
          facets: (Array.isArray(facets) ? facets : facets.split(',')).map((name) =>
            name.trim(),
          ) as FacetName[],
        };

  const metrics = registerMetrics(app, archive, writer, cluster);
  if (cluster !== undefined) {
    cluster.observeShardRequest = (kind, _node, seconds, failed) =>
      metrics.shardRequest(kind, seconds, failed);
  }
  /** Waits, in cluster mode, until this node has applied the write at `after`: a client reads its writes. */
  const caughtUp = async (after: string | undefined) => {
    if (after === undefined || cluster === undefined) return;
    if (!(await cluster.waitFor(after, AFTER_WAIT_MS))) {
      throw new ArshifError(
        'BEHIND',
        `this node has not applied the write at position ${after} yet (it is at ${cluster.status().position}): retry, or ask another node`,
      );
    }
  };
  /** In cluster mode, a search tells the nodes it asks which write they must have applied. */
  const clusterAfter = (after: string | undefined) =>
    after === undefined || cluster === undefined ? {} : { after };
  await registerSearchPage(app);
  const errors = (...statuses: number[]) =>
    Object.fromEntries(statuses.map((status) => [status, Type.Ref('Error')]));

  app.get(
    '/search',
    {
      schema: {
        summary: 'Ranked paragraph hits',
        querystring: SearchQuery,
        response: { 200: SearchResponseSchema, ...errors(400) },
      },
    },
    async (request) => {
      const { q, facets, after, ...rest } = request.query;
      await caughtUp(after);
      return archive.search(q, { ...rest, ...facetNames(facets), ...limitedTime, ...clusterAfter(after) });
    },
  );

  app.post(
    '/search',
    {
      schema: {
        summary: 'Ranked paragraph hits: by words, by a vector, or both blended',
        body: SearchBody,
        response: { 200: SearchResponseSchema, ...errors(400, 413, 415) },
      },
    },
    async (request) => {
      const { q, facets, after, ...rest } = request.body;
      await caughtUp(after);
      if (q === undefined && rest.vector === undefined) {
        throw new ArshifError('BAD_PARAMETER', 'give "q" (words), "vector" (an embedding) or both');
      }
      return archive.search(q ?? '', {
        ...rest,
        ...facetNames(facets),
        ...limitedTime,
        ...clusterAfter(after),
      });
    },
  );

  app.get(
    '/articles/:id',
    {
      schema: {
        summary: 'The stored article',
        params: ArticleParams,
        querystring: ArticleQuery,
        response: { 200: ArticleSchema, ...errors(400, 404) },
      },
    },
    async (request) => {
      const { after, ...options } = request.query;
      await caughtUp(after);
      const stored = await archive.get(request.params.id, options);
      if (stored === undefined)
        throw new ArshifError('NOT_FOUND', `no article with id "${request.params.id}"`);
      const { vectors, ...article } = stored;
      return vectors === undefined ? article : { ...article, vectors: jsonVectors(vectors) };
    },
  );

  app.get(
    '/articles/:id/related',
    {
      schema: {
        summary:
          'Paragraphs of other articles close to one paragraph: by its vector, or its most telling words',
        params: ArticleParams,
        querystring: RelatedQuery,
        response: { 200: RelatedResponseSchema, ...errors(400, 404) },
      },
    },
    async (request) => {
      const { para, after, ...options } = request.query;
      await caughtUp(after);
      return archive.related(request.params.id, para, { ...options, ...limitedTime, ...clusterAfter(after) });
    },
  );

  app.get(
    '/analyze',
    {
      schema: {
        summary: 'How a text is normalised and tokenised',
        querystring: AnalyzeQuery,
        response: { 200: AnalyzeResponse, ...errors(400) },
      },
    },
    async (request) => ({ normalized: normalize(request.query.text), tokens: analyze(request.query.text) }),
  );

  app.get(
    '/synonyms',
    {
      schema: {
        summary:
          'The synonym groups searches expand query words with: shipped, learned and from the synonyms file',
        response: { 200: SynonymsResponse },
      },
    },
    async () => ({ groups: archive.synonymGroups().map((group) => ({ ...group, forms: [...group.forms] })) }),
  );

  app.get(
    '/health',
    { schema: { summary: 'Liveness and archive size', response: { 200: HealthResponse } } },
    async () => ({ status: 'ok' as const, ...archive.stats(), ...cluster?.status() }),
  );

  const shardSearch = cluster?.shardSearch;
  if (shardSearch !== undefined) {
    for (const kind of SHARD_REQUESTS) {
      app.post(
        `/_shard/${kind}`,
        {
          schema: {
            hide: true,
            summary: `Cluster mode: this node's part of a search another node coordinates (${kind})`,
            body: Type.Object({}, { additionalProperties: true }),
          },
        },
        async (request) => {
          try {
            return await (shardSearch[kind] as (body: unknown) => Promise<unknown>).call(
              shardSearch,
              request.body,
            );
          } catch (error) {
            if (error instanceof ArshifError) throw error;
            // A body that is JSON but not such a request fails where it is read.
            throw new ArshifError(
              'BAD_PARAMETER',
              `not a ${kind} request of a cluster node: ${(error as Error).message}`,
            );
          }
        },
      );
    }
  }

  if (cluster?.members !== undefined) {
    const members = cluster.members.bind(cluster);
    app.get(
      '/cluster',
      {
        schema: {
          summary:
            "Cluster mode: the store's search nodes, live or not, with their position and lag; the shards held by none or by one",
          response: { 200: ClusterResponse },
        },
      },
      async () => {
        const nodes = await members();
        const liveSets = nodes.flatMap((member) =>
          member.live ? (recordedShards(member.shards) ?? []) : [],
        );
        return { node: cluster.id ?? '', nodes, replication: shardReplication(liveSets) };
      },
    );
  }

  /** Runs before the body is read: an unauthorised write never has its body parsed or validated. */
  const authorize = async (request: FastifyRequest) => {
    if (writer === undefined || token === undefined || token === '') {
      throw new ArshifError(
        'WRITES_DISABLED',
        'writes are disabled: serve a persistent archive with ARSHIF_TOKEN set',
      );
    }
    const given = bearerToken(request);
    if (given === undefined)
      throw new ArshifError('UNAUTHORIZED', 'missing "Authorization: Bearer <token>" header');
    if (!sameToken(given, token)) throw new ArshifError('UNAUTHORIZED', 'wrong token');
  };

  app.post(
    '/articles',
    {
      onRequest: authorize,
      schema: {
        summary: 'Add or replace articles (one object or an array)',
        security: [{ bearer: [] }],
        body: Type.Union([Type.Object({}), Type.Array(Type.Unknown(), { minItems: 1, maxItems: 10_000 })]),
        response: { 200: WriteResponse, ...errors(400, 401, 403, 413, 503) },
      },
    },
    async (request) => {
      const contentType = String(request.headers['content-type'] ?? '').toLowerCase();
      const ninjs = NINJS_CONTENT_TYPES.some((type) => contentType.startsWith(type));
      const { articles, skipped } = incomingArticles(request.body, ninjs);
      const { stored, ignored, position } = await writer!.write(articles);
      metrics.wrote('put', stored.length);
      return {
        ids: stored.map((article) => article.id),
        articles: stored.length,
        paragraphs: stored.reduce((sum, article) => sum + article.paragraphs.length, 0),
        ...(ignored.length > 0 ? { ignored } : {}),
        ...(position === undefined ? {} : { position }),
        ...(skipped.length > 0 ? { skipped } : {}),
      };
    },
  );

  app.delete(
    '/articles/:id',
    {
      onRequest: authorize,
      schema: {
        summary: 'Remove an article',
        security: [{ bearer: [] }],
        params: ArticleParams,
        response: { 200: RemoveResponse, ...errors(400, 401, 403, 404, 503) },
      },
    },
    async (request) => {
      const { removed, position } = await writer!.removeArticle(request.params.id);
      if (!removed) throw new ArshifError('NOT_FOUND', `no article with id "${request.params.id}"`);
      metrics.wrote('remove', 1);
      return { id: request.params.id, deleted: true, ...(position === undefined ? {} : { position }) };
    },
  );

  return app;
}
