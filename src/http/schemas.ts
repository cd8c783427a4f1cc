/** The JSON schemas (TypeBox) of every route's requests and responses, with their limits and defaults. */
import { Type } from 'typebox';
import { MAX_ID_LENGTH, MAX_VECTOR_DIMENSIONS } from '../article/article.js';
import { MAX_K, MAX_LIMIT, MAX_OFFSET, MAX_QUERY_LENGTH } from '../archive/search-options.js';

/** Longest text `/analyze` accepts, in characters. */
export const MAX_ANALYZE_LENGTH = 10_000;

export const ErrorBody = Type.Object(
  { error: Type.Object({ code: Type.String(), message: Type.String() }) },
  { $id: 'Error', description: 'What went wrong: a stable code and a message naming the bad value.' },
);

/**
 * A write's position (cluster mode): the read waits until the node answering it holds that write. A
 * node that is not part of a cluster answers at once: its writes are searched when acknowledged.
 */
const after = Type.Optional(
  Type.String({
    pattern: '^[0-9]{1,20}$',
    description: 'a write\'s "position": answer once this node has applied that write (cluster mode)',
  }),
);

/** The parameters of `/search` besides `q`, in the query string and in a JSON body alike. */
const searchParameters = {
  limit: Type.Integer({ minimum: 1, maximum: MAX_LIMIT, default: 10 }),
  offset: Type.Integer({ minimum: 0, maximum: MAX_OFFSET, default: 0 }),
  from: Type.Optional(
    // Checked by the search itself, whose message says what a date must be.
    Type.String({ maxLength: 40, description: 'earliest day, inclusive (YYYY-MM-DD)' }),
  ),
  to: Type.Optional(Type.String({ maxLength: 40, description: 'latest day, inclusive (YYYY-MM-DD)' })),
  source: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  section: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  sort: Type.Union([Type.Literal('relevance'), Type.Literal('date')], { default: 'relevance' }),
  collapse: Type.Boolean({
    default: true,
    description: 'fold copies of a paragraph (the same or nearly the same words) into the best-ranked one',
  }),
  facets: Type.Optional(
    Type.String({
      maxLength: 100,
      description: 'facets to count over every match, comma-separated: source, section, year',
    }),
  ),
  after,
};

export const SearchQuery = Type.Object(
  {
    q: Type.String({
      minLength: 1,
      maxLength: MAX_QUERY_LENGTH,
      description: 'words, "a phrase", -exclude, +require',
    }),
    ...searchParameters,
  },
  { additionalProperties: false },
);

/** `POST /search`: the parameters of `GET /search` as JSON, and a query vector. */
export const SearchBody = Type.Object(
  {
    q: Type.Optional(
      Type.String({
        maxLength: MAX_QUERY_LENGTH,
        description: 'words, "a phrase", -exclude, +require; with "vector", blended with it',
      }),
    ),
    vector: Type.Optional(
      Type.Array(Type.Number(), {
        minItems: 1,
        maxItems: MAX_VECTOR_DIMENSIONS,
        description: "a query embedding of the archive's dimension, from the model that made the paragraphs'",
      }),
    ),
    k: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: MAX_K,
        description: 'nearest paragraphs the vector finds; default offset + limit (at least 10; 100 with q)',
      }),
    ),
    semanticRatio: Type.Optional(
      Type.Number({
        minimum: 0,
        maximum: 1,
        description: "with q and vector: the vector ranking's share of the blend (default 0.5)",
      }),
    ),
    exact: Type.Optional(
      Type.Boolean({ description: 'score every vector exactly (the reference; slower on a large archive)' }),
    ),
    ...searchParameters,
    facets: Type.Optional(
      Type.Union([
        Type.String({ maxLength: 100, description: 'comma-separated: source, section, year' }),
        Type.Array(Type.String({ maxLength: 20 }), { maxItems: 3 }),
      ]),
    ),
  },
  { additionalProperties: false },
);

/** `GET /articles/:id/related`: which paragraph, and the search parameters that apply. */
export const RelatedQuery = Type.Object(
  {
    para: Type.Integer({ minimum: 0, description: 'the paragraph, from 0' }),
    after,
    exact: Type.Boolean({ default: false, description: 'score every vector exactly' }),
    limit: searchParameters.limit,
    offset: searchParameters.offset,
    from: searchParameters.from,
    to: searchParameters.to,
    source: searchParameters.source,
    section: searchParameters.section,
    collapse: searchParameters.collapse,
  },
  { additionalProperties: false },
);

export const ArticleQuery = Type.Object(
  {
    vectors: Type.Boolean({
      default: false,
      description: "include the paragraphs' vectors (as stored: 32-bit floats)",
    }),
    after,
  },
  { additionalProperties: false },
);

const Nullable = (schema: ReturnType<typeof Type.String>) => Type.Union([schema, Type.Null()]);

export const HitSchema = Type.Object({
  id: Type.String(),
  para: Type.Integer(),
  title: Type.String(),
  published: Nullable(Type.String()),
  source: Nullable(Type.String()),
  section: Nullable(Type.String()),
  score: Type.Number(),
  text: Type.String(),
  /** Copies of this paragraph folded into it (collapse), best-ranked first. */
  copies: Type.Optional(
    Type.Array(
      Type.Object({
        id: Type.String(),
        para: Type.Integer(),
        source: Nullable(Type.String()),
        published: Nullable(Type.String()),
      }),
    ),
  ),
  // A pair [start, end]; not a tuple schema (`items` as an array), which OpenAPI 3.0 forbids.
  highlights: Type.Array(Type.Array(Type.Integer({ minimum: 0 }), { minItems: 2, maxItems: 2 })),
  snippet: Type.String(),
  /** Offsets of the matched words in `title`; a hit found by its title alone is its article's lead paragraph. */
  titleHighlights: Type.Array(Type.Array(Type.Integer({ minimum: 0 }), { minItems: 2, maxItems: 2 })),
});

export const SearchResponseSchema = Type.Object({
  query: Type.String(),
  total: Type.Integer(),
  /** Present (false) when `total` is only a lower bound: past 10,000 matches checked against filters. */
  totalExact: Type.Optional(Type.Literal(false)),
  tookMs: Type.Number(),
  relaxed: Type.Optional(Type.Boolean()),
  /** Present when a query word matched nothing or far less than a close word: the query corrected. */
  suggestion: Type.Optional(Type.String()),
  /** Present (true) when only the rarest 32 of the query's words were scored, or the search timed out. */
  partial: Type.Optional(Type.Literal(true)),
  /** Present when asked for: counts of matching paragraphs by value, most first. */
  facets: Type.Optional(
    Type.Record(
      Type.String(),
      Type.Array(Type.Object({ value: Type.String(), count: Type.Integer({ minimum: 1 }) })),
    ),
  ),
  /** Present (true) when the search's time limit passed: the hits are the best of the matches found by then. */
  timedOut: Type.Optional(Type.Literal(true)),
  hits: Type.Array(HitSchema),
});

/** Paragraphs related to one, by its vector or its most telling words. */
export const RelatedResponseSchema = Type.Object({
  id: Type.String(),
  para: Type.Integer(),
  by: Type.Union([Type.Literal('vector'), Type.Literal('words')]),
  /** With `by: "words"`: the words searched, normalised. */
  words: Type.Optional(Type.Array(Type.String())),
  total: Type.Integer(),
  totalExact: Type.Optional(Type.Literal(false)),
  tookMs: Type.Number(),
  partial: Type.Optional(Type.Literal(true)),
  timedOut: Type.Optional(Type.Literal(true)),
  hits: Type.Array(HitSchema),
});

export const ArticleSchema = Type.Object({
  id: Type.String(),
  title: Type.String(),
  published: Type.Optional(Type.String()),
  source: Type.Optional(Type.String()),
  section: Type.Optional(Type.String()),
  url: Type.Optional(Type.String()),
  paragraphs: Type.Array(Type.String()),
  /** The body as HTML, as given, when it came as HTML. */
  html: Type.Optional(Type.String()),
  version: Type.Optional(Type.String()),
  language: Type.Optional(Type.String()),
  subjects: Type.Optional(Type.Array(Type.String())),
  genres: Type.Optional(Type.Array(Type.String())),
  /** With `?vectors=true`: one vector per paragraph, `null` for none. */
  vectors: Type.Optional(Type.Array(Type.Union([Type.Array(Type.Number()), Type.Null()]))),
});

export const ArticleParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: MAX_ID_LENGTH }) });

export const AnalyzeQuery = Type.Object(
  { text: Type.String({ minLength: 1, maxLength: MAX_ANALYZE_LENGTH }) },
  { additionalProperties: false },
);

export const AnalyzeResponse = Type.Object({
  normalized: Type.String(),
  tokens: Type.Array(
    Type.Object({ text: Type.String(), term: Type.String(), start: Type.Integer(), end: Type.Integer() }),
  ),
});

export const SynonymsResponse = Type.Object({
  /** Groups in effect, shipped first, then learned (most evidence first), then the synonyms file's. */
  groups: Type.Array(
    Type.Object({
      forms: Type.Array(Type.String(), { minItems: 2 }),
      source: Type.Union([Type.Literal('default'), Type.Literal('learned'), Type.Literal('file')]),
      /** For a learned acronym: how many articles define it in place. */
      evidence: Type.Optional(Type.Integer({ minimum: 1 })),
    }),
  ),
});

export const HealthResponse = Type.Object({
  status: Type.Literal('ok'),
  articles: Type.Integer(),
  paragraphs: Type.Integer(),
  /** Cluster mode: every write whose position is below this one is searched on this node. */
  position: Type.Optional(Type.String()),
  /** Cluster mode: milliseconds since this node last held every committed write; 0 when it does. */
  lagMs: Type.Optional(Type.Integer({ minimum: 0 })),
  /** Cluster mode: the shards this node holds (`all`, or ranges such as `0-127`). */
  shards: Type.Optional(Type.String()),
});

export const ClusterResponse = Type.Object({
  /** The node answering. */
  node: Type.String(),
  /** Every node that ever joined the store: live while its connection to the store holds its lock. */
  nodes: Type.Array(
    Type.Object({
      id: Type.String(),
      url: Type.Union([Type.String(), Type.Null()]),
      /** The shards it holds: `all`, or ranges such as `0-127`. */
      shards: Type.String(),
      live: Type.Boolean(),
      position: Type.String(),
      lagMs: Type.Integer({ minimum: 0 }),
      /** Its last heartbeat, ms since the epoch. */
      heartbeatAt: Type.Number(),
    }),
  ),
  /** The shards the live nodes leave short, as ranges (`""` when none). */
  replication: Type.Object({
    /** Held by no live node: searches answer `partial`. */
    unheld: Type.String(),
    /** Held by one live node while two or more are live: one failure from `partial`. */
    singlyHeld: Type.String(),
  }),
});

export const RemoveResponse = Type.Object({
  id: Type.String(),
  deleted: Type.Boolean(),
  /** Cluster mode: the write's position, for `after`. */
  position: Type.Optional(Type.String()),
});

export const WriteResponse = Type.Object({
  ids: Type.Array(Type.String()),
  articles: Type.Integer(),
  paragraphs: Type.Integer(),
  /** Articles not applied: older versions of stored ones. */
  ignored: Type.Optional(
    Type.Array(Type.Object({ id: Type.String(), version: Type.String(), storedVersion: Type.String() })),
  ),
  /** Cluster mode: the write's position: a read with `after` set to it sees the write. */
  position: Type.Optional(Type.String()),
  /** ninjs items without a text body (pictures, video, events), by 1-based place and uri. */
  skipped: Type.Optional(
    Type.Array(Type.Object({ item: Type.Integer(), uri: Type.String(), reason: Type.String() })),
  ),
});
