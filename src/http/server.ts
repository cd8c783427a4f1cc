/** The listening server: reads the environment, listens and closes gracefully on SIGINT and SIGTERM. */
import type { FastifyInstance } from 'fastify';
import { type AppOptions, buildApp } from './app.js';
import { wholeNumberFromEnvironment } from '../environment.js';
import { MAX_TIME_LIMIT_MS } from '../archive/search-options.js';

/** Options of {@link startServer}. */
export interface ServerOptions extends AppOptions {
  port: number;
  host: string;
}

/** A listening server. */
export interface RunningServer {
  app: FastifyInstance;
  /** The address it listens on, e.g. `http://127.0.0.1:3000`. */
  url: string;
  /** Resolves once the server has closed (after SIGINT/SIGTERM or {@link RunningServer.close}). */
  closed: Promise<void>;
  close(): Promise<void>;
}

/**
 * Builds the app and listens; closes gracefully on SIGINT and SIGTERM: stops accepting connections
 * and lets requests in flight finish.
 *
 * - Reads the environment: `ARSHIF_TOKEN` (the write routes' bearer token, unless `token` is given),
 *   `ARSHIF_RATE_LIMIT` (requests per minute per client IP, default 1,200; 0 turns the limit off),
 *   `ARSHIF_TRUST_PROXY` (see {@link trustProxyFromEnvironment}), `ARSHIF_SEARCH_TIME_LIMIT` (ms a search
 *   may spend finding matches, default 250, 0 for no limit) and `ARSHIF_LOG_LEVEL` (default `info`).
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const token = options.token ?? process.env.ARSHIF_TOKEN;
  const app = await buildApp({
    logger: { level: process.env.ARSHIF_LOG_LEVEL ?? 'info' },
    rateLimit: rateLimitFromEnvironment(process.env.ARSHIF_RATE_LIMIT),
    trustProxy: trustProxyFromEnvironment(process.env.ARSHIF_TRUST_PROXY),
    searchTimeLimitMs: searchTimeLimitFromEnvironment(process.env.ARSHIF_SEARCH_TIME_LIMIT),
    corsOrigins: corsOriginsFromEnvironment(process.env.ARSHIF_CORS_ORIGINS),
    ...options,
    ...(token === undefined ? {} : { token }),
  });
  let closing = false;
  // Once closing, every answer ends its connection: a keep-alive connection that was busy when closing
  // began would otherwise stay open, idle, for Fastify's 72 s keepAliveTimeout, and so would the server.
  app.addHook('onSend', async (_request, reply) => {
    if (closing) void reply.header('connection', 'close');
  });
  const url = await app.listen({ port: options.port, host: options.host });
  let resolveClosed: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => {
    resolveClosed = resolve;
  });
  const close = async () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    closing = true;
    // Requests in flight are answered; past the drain time, connections still open are cut.
    const cut = setTimeout(() => {
      app.log.warn(`connections still open ${DRAIN_TIMEOUT_MS} ms after closing began: cut`);
      app.server.closeAllConnections();
    }, DRAIN_TIMEOUT_MS);
    try {
      await app.close();
    } finally {
      clearTimeout(cut);
    }
    resolveClosed();
  };
  const onSignal = (signal: NodeJS.Signals) => {
    app.log.info(`${signal} received, closing`);
    void close();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return { app, url, closed, close };
}

/** How long closing waits for requests in flight (a write waits for its disk sync, a search its thread). */
const DRAIN_TIMEOUT_MS = 10_000;

/** Default requests per minute per client IP. */
const DEFAULT_RATE_LIMIT = 1_200;

/** `ARSHIF_RATE_LIMIT`: requests per minute per client IP; 0 turns the limit off. */
function rateLimitFromEnvironment(value: string | undefined): AppOptions['rateLimit'] {
  const max = wholeNumberFromEnvironment('ARSHIF_RATE_LIMIT', value, {
    fallback: DEFAULT_RATE_LIMIT,
    what: 'a whole number of requests per minute',
  });
  return max === 0 ? false : { max, timeWindowMs: 60_000 };
}

/** `ARSHIF_CORS_ORIGINS`: comma-separated origins (`https://newsroom.example`) allowed to call the API. */
export function corsOriginsFromEnvironment(value: string | undefined): string[] {
  const origins = (value ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin !== '');
  for (const origin of origins) {
    if (!/^https?:\/\/[^/\s]+$/u.test(origin)) {
      throw new Error(
        `ARSHIF_CORS_ORIGINS must list origins such as https://newsroom.example, got "${origin}"`,
      );
    }
  }
  return origins;
}

/** `ARSHIF_SEARCH_TIME_LIMIT`: milliseconds a search may spend finding matches; 0 turns the limit off. */
function searchTimeLimitFromEnvironment(value: string | undefined): AppOptions['searchTimeLimitMs'] {
  const ms = wholeNumberFromEnvironment('ARSHIF_SEARCH_TIME_LIMIT', value, {
    max: MAX_TIME_LIMIT_MS,
    fallback: undefined,
    what: `a whole number of milliseconds 0–${MAX_TIME_LIMIT_MS}`,
  });
  return ms === 0 ? false : ms;
}

/**
 * `ARSHIF_TRUST_PROXY`: whose `X-Forwarded-For` names the client, so that the rate limit counts real
 * clients behind a reverse proxy: `true` (any), a number of proxy hops, or comma-separated addresses and
 * CIDR ranges (`127.0.0.1,10.0.0.0/8`). Unset or `false`: the connection's address.
 */
export function trustProxyFromEnvironment(value: string | undefined): AppOptions['trustProxy'] {
  if (value === undefined || value.trim() === '' || value.trim() === 'false') return false;
  if (value.trim() === 'true') return true;
  if (/^\d+$/u.test(value.trim())) {
    const hops = Number(value.trim());
    return (_address: string, hop: number) => hop < hops;
  }
  const addresses = value.split(',').map((address) => address.trim());
  if (addresses.some((address) => !/^[0-9a-fA-F:.]+(?:\/\d{1,3})?$/u.test(address))) {
    throw new Error(
      `ARSHIF_TRUST_PROXY must be true, false, a number of hops or addresses/CIDR ranges separated by commas, got "${value}"`,
    );
  }
  return addresses;
}
