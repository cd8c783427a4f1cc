/** A node of the cluster reached over HTTP, at the `/_shard/…` routes its service answers. */
import { Agent, request as httpRequest } from 'node:http';
import { Agent as TlsAgent, request as httpsRequest } from 'node:https';
import { ArshifError, type ArshifErrorCode } from '../errors.js';
import type { StatisticsAnswer } from '../search/engine.js';
import type {
  ShardClient,
  ShardFetchAnswer,
  ShardFetchRequest,
  ShardNearestAnswer,
  ShardNearestRequest,
  ShardParagraphAnswer,
  ShardParagraphRequest,
  ShardSearchAnswer,
  ShardSearchRequest,
  ShardStatisticsRequest,
} from './shard-protocol.js';

/** Longest a node is given to answer a request beyond the search's own time limit. */
export const SHARD_REQUEST_TIMEOUT_MS = 10_000;

/** Errors a node answers with that are the request's (the same on any node), not the node's. */
const CLIENT_ERRORS: readonly ArshifErrorCode[] = ['BAD_PARAMETER', 'BEHIND'];

/**
 * Asks a node over HTTP (keep-alive connections, through Node's `fetch`): each request a JSON body
 * POSTed to `<url>/_shard/<kind>`, each answer JSON. A node's error answer is thrown as the
 * `ArshifError` it names; a node that cannot be reached, or answers otherwise, as an `Error`.
 */
export class HttpShardClient implements ShardClient {
  constructor(
    readonly id: string,
    readonly url: string,
  ) {}

  statistics(request: ShardStatisticsRequest): Promise<StatisticsAnswer> {
    return this.post('statistics', request);
  }

  search(request: ShardSearchRequest): Promise<ShardSearchAnswer> {
    return this.post('search', request, request.timeLimitMs);
  }

  nearest(request: ShardNearestRequest): Promise<ShardNearestAnswer> {
    return this.post('nearest', request, request.timeLimitMs);
  }

  fetch(request: ShardFetchRequest): Promise<ShardFetchAnswer> {
    return this.post('fetch', request);
  }

  paragraph(request: ShardParagraphRequest): Promise<ShardParagraphAnswer> {
    return this.post('paragraph', request);
  }

  private async post<T>(kind: string, body: unknown, timeLimitMs = 0): Promise<T> {
    const { status, text } = await postJson(
      new URL(`/_shard/${kind}`, this.url),
      JSON.stringify(body),
      timeLimitMs + SHARD_REQUEST_TIMEOUT_MS,
    );
    if (status >= 200 && status < 300) return JSON.parse(text) as T;
    let error: { code?: string; message?: string } | undefined;
    try {
      error = (JSON.parse(text) as { error?: { code?: string; message?: string } }).error;
    } catch {
      error = undefined;
    }
    if (error?.code !== undefined && CLIENT_ERRORS.includes(error.code as ArshifErrorCode)) {
      throw new ArshifError(error.code as ArshifErrorCode, error.message ?? `node ${this.id} refused`);
    }
    throw new Error(`node ${this.id} answered ${status}: ${(error?.message ?? text).slice(0, 200)}`);
  }
}

/**
 * Connections kept open to the other nodes: a search makes two or three requests of each, and a new
 * connection each time would cost more than the request. Node's `http` rather than `fetch`, whose
 * streams cost a search a millisecond more on two cores.
 */
const AGENT = new Agent({ keepAlive: true, maxSockets: 64 });
const TLS_AGENT = new TlsAgent({ keepAlive: true, maxSockets: 64 });

/** POSTs a JSON body; resolves to the answer's status and text, rejects on a network error or timeout. */
function postJson(url: URL, body: string, timeoutMs: number): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const secure = url.protocol === 'https:';
    const request = (secure ? httpsRequest : httpRequest)(
      url,
      {
        method: 'POST',
        agent: secure ? TLS_AGENT : AGENT,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        timeout: timeoutMs,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer from ${url.host} in ${timeoutMs} ms`)));
    request.on('error', reject);
    request.end(body);
  });
}
