/** The `GET /metrics` route: Prometheus metrics of requests, the archive, writes and the process. */
import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { NodeStatus } from '../archive/cluster-node.js';
import type { ArticleWriter } from '../archive/persistent-archive.js';
import type { ArchiveReader } from '../archive/search-replicas.js';

/** Latency buckets, in seconds: searches take milliseconds, writes tens of them, the worst a time limit. */
const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/**
 * `GET /metrics` in Prometheus' text format (prom-client): requests and their latency by route and
 * status, the archive's size, its segments and how far the snapshot lags, writes by kind, and Node's
 * own process metrics. A registry per app, so that apps in one process (tests) do not share counts.
 */
export function registerMetrics(
  app: FastifyInstance,
  archive: ArchiveReader,
  writer: ArticleWriter | undefined,
  cluster?: { status(): NodeStatus },
): {
  wrote(kind: 'put' | 'remove', articles: number): void;
  shardRequest(kind: string, seconds: number, failed: boolean): void;
} {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'arshif_' });
  const requests = new Counter({
    name: 'arshif_http_requests_total',
    help: 'HTTP requests answered, by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'arshif_http_request_duration_seconds',
    help: 'Time to answer HTTP requests, by method and route',
    labelNames: ['method', 'route'] as const,
    buckets: BUCKETS,
    registers: [registry],
  });
  const writes = new Counter({
    name: 'arshif_writes_total',
    help: 'Articles written (put) and removed (remove), acknowledged',
    labelNames: ['kind'] as const,
    registers: [registry],
  });
  const shardLatency = new Histogram({
    name: 'arshif_shard_request_duration_seconds',
    help: "Cluster mode: time other nodes took to answer this node's searches, by kind of request",
    labelNames: ['kind'] as const,
    buckets: BUCKETS,
    registers: [registry],
  });
  const shardRequests = new Counter({
    name: 'arshif_shard_requests_total',
    help: "Cluster mode: requests this node's searches made of the nodes holding shards, by kind and outcome",
    labelNames: ['kind', 'outcome'] as const,
    registers: [registry],
  });
  const gauge = (name: string, help: string, read: () => number | undefined) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        const value = read();
        if (value !== undefined) this.set(value);
      },
    });
  gauge('arshif_articles', 'Articles in the archive', () => archive.stats().articles);
  gauge('arshif_paragraphs', 'Paragraphs indexed', () => archive.stats().paragraphs);
  gauge('arshif_segments', 'Compact segments searched', () => writer?.indexStatus?.().segments);
  gauge(
    'arshif_unsaved_writes',
    'Writes on disk not yet in the saved index snapshot',
    () => writer?.indexStatus?.().unsavedWrites,
  );
  gauge(
    'arshif_snapshot_age_seconds',
    'Seconds since the index snapshot was saved',
    () => writer?.indexStatus?.().snapshotAgeSeconds,
  );

  gauge(
    'arshif_node_lag_seconds',
    'Cluster mode: seconds since this node last held every write its store committed (0: it does)',
    () => (cluster === undefined ? undefined : cluster.status().lagMs / 1000),
  );

  app.addHook('onResponse', async (request, reply) => {
    // The route's pattern, never the raw URL: ids and queries would make a series per request.
    const route = request.routeOptions.url ?? 'unmatched';
    const status = String(reply.statusCode);
    requests.inc({ method: request.method, route, status });
    latency.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });
  app.get('/metrics', { schema: { summary: 'Metrics in Prometheus text format' } }, async (_request, reply) =>
    reply.type(registry.contentType).send(await registry.metrics()),
  );
  return {
    wrote: (kind, articles) => writes.inc({ kind }, articles),
    shardRequest: (kind, seconds, failed) => {
      shardLatency.observe({ kind }, seconds);
      shardRequests.inc({ kind, outcome: failed ? 'failed' : 'answered' });
    },
  };
}
