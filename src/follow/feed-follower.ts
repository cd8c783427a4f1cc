/** The feed follower: polls RSS and Atom feeds and imports new or changed entries into an archive. */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { type FeedEntry, parseFeedEntries } from '../ingest/feed.js';
import { parseArticle } from '../article/article.js';
import type { ArticleWriter } from '../archive/persistent-archive.js';

/** What is remembered of one feed between rounds and restarts. */
export interface FeedState {
  etag?: string;
  lastModified?: string;
  /** Fingerprint of every entry imported, by entry id: an entry is imported again only when it changes. */
  seen: Record<string, string>;
  /** Failures in a row, and when the feed is polled again after the last one (ms since the epoch). */
  failures: number;
  retryAt?: number;
}

/** Options of a {@link FeedFollower}. */
export interface FollowOptions {
  /** Time between rounds, ms. Default 5 minutes. */
  intervalMs?: number;
  /** Longest wait after failures (the wait doubles with each, from one interval). Default an hour. */
  maxBackoffMs?: number;
  /** Time a feed may take to answer, ms. Default 30 s. */
  timeoutMs?: number;
  /** Receives one line per round. Default: none. */
  log?: (line: string) => void;
}

/** What one feed did in a round. */
export interface FeedReport {
  url: string;
  /** `fetched` (a new copy), `unchanged` (304), `waiting` (backing off after a failure), `failed`. */
  status: 'fetched' | 'unchanged' | 'waiting' | 'failed';
  /** Entries imported for the first time, and again because they changed. */
  added: number;
  changed: number;
  /** Entries that could not become articles. */
  unusable: number;
  error?: string;
}

/**
 * A feed's text in its declared encoding: the HTTP charset, else the XML declaration's, else UTF-8
 * (XML's default). Arabic feeds still declare windows-1256; an encoding is never guessed.
 */
function decodeFeed(bytes: Uint8Array, contentType: string): string {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200));
  const charset =
    /charset=["']?([\w.:-]+)/iu.exec(contentType)?.[1] ??
    /^\s*<\?xml[^>]*encoding=["']([\w.:-]+)["']/iu.exec(head)?.[1] ??
    'utf-8';
  try {
    return new TextDecoder(charset).decode(bytes);
  } catch {
    throw new Error(`charset "${charset}" is not supported`);
  }
}

/** Largest feed read: news feeds are tens of kilobytes; a bigger answer is not a feed worth waiting for. */
const MAX_FEED_BYTES = 20 * 1024 * 1024;

/** Entry ids remembered per feed: a feed lists its latest few dozen; older ids are forgotten first. */
const MAX_SEEN = 10_000;

/**
 * Keeps an archive fed from RSS and Atom feeds: polls each feed every interval with `If-None-Match` /
 * `If-Modified-Since`, imports each entry new or changed since it was last seen, and remembers in a
 * state file what it has seen, so that a restart neither imports an entry again nor misses one.
 *
 * - An entry's import is durable before the state says it was seen (a crash between imports it again,
 *   which replaces it with itself).
 * - A feed that fails (network, HTTP error, not a feed) waits one interval, then twice as long after each
 *   failure in a row, up to {@link FollowOptions.maxBackoffMs}; it never stops the other feeds.
 */
export class FeedFollower {
  private readonly intervalMs: number;
  private readonly maxBackoffMs: number;
  private readonly timeoutMs: number;
  private readonly log: (line: string) => void;

  private constructor(
    private readonly writer: Pick<ArticleWriter, 'write'>,
    private readonly urls: readonly string[],
    private readonly statePath: string,
    private readonly states: Record<string, FeedState>,
    options: FollowOptions,
  ) {
    this.intervalMs = options.intervalMs ?? 5 * 60_000;
    this.maxBackoffMs = options.maxBackoffMs ?? 60 * 60_000;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.log = options.log ?? (() => undefined);
  }

  /** A follower of `urls` writing to `writer`, remembering in `statePath` (read if it exists). */
  static async open(
    writer: Pick<ArticleWriter, 'write'>,
    urls: readonly string[],
    statePath: string,
    options: FollowOptions = {},
  ): Promise<FeedFollower> {
    let states: Record<string, FeedState> = {};
    try {
      states = JSON.parse(await readFile(statePath, 'utf8')) as Record<string, FeedState>;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new Error(`${statePath}: not a feed state file (${(error as Error).message})`);
      }
    }
    return new FeedFollower(writer, urls, statePath, states, options);
  }

  /** What is remembered of a feed. */
  state(url: string): FeedState {
    return (this.states[url] ??= { seen: {}, failures: 0 });
  }

  /** Polls every feed once (those not backing off), saves the state, and logs one line. */
  async round(now = Date.now()): Promise<FeedReport[]> {
    const reports = await Promise.all(this.urls.map((url) => this.poll(url, now)));
    await this.save();
    const count = (status: FeedReport['status']) =>
      reports.filter((report) => report.status === status).length;
    const sum = (field: 'added' | 'changed' | 'unusable') =>
      reports.reduce((total, report) => total + report[field], 0);
    const failures = reports
      .filter((report) => report.error !== undefined)
      .map((report) => `; ${report.url}: ${report.error}`)
      .join('');
    this.log(
      `follow: ${reports.length} feeds, ${count('fetched')} fetched, ${count('unchanged')} unchanged, ${count('waiting')} waiting, ${count('failed')} failed; ${sum('added')} entries added, ${sum('changed')} changed, ${sum('unusable')} unusable${failures}`,
    );
    return reports;
  }

  /** Runs a round every interval until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      await this.round();
      // Node's timer takes the signal and lets go of it when it fires: no listener piles up per round.
      await sleep(this.intervalMs, undefined, { signal }).catch(() => undefined);
    }
  }

  private async poll(url: string, now: number): Promise<FeedReport> {
    const state = this.state(url);
    const report: FeedReport = { url, status: 'fetched', added: 0, changed: 0, unusable: 0 };
    if (state.retryAt !== undefined && now < state.retryAt) return { ...report, status: 'waiting' };
    try {
      const fetched = await this.fetchFeed(url, state);
      if (fetched === undefined) {
        report.status = 'unchanged';
      } else {
        const { entries, unusable } = parseFeedEntries(fetched.text);
        report.unusable = unusable.length;
        await this.importEntries(entries, state, report);
        // Remembered once the entries are imported: a failed import must fetch the feed again, not get a 304.
        if (fetched.etag) state.etag = fetched.etag;
        else delete state.etag;
        if (fetched.lastModified) state.lastModified = fetched.lastModified;
        else delete state.lastModified;
      }
      state.failures = 0;
      delete state.retryAt;
    } catch (error) {
      state.failures += 1;
      state.retryAt = now + Math.min(this.intervalMs * 2 ** (state.failures - 1), this.maxBackoffMs);
      report.status = 'failed';
      report.error = (error as Error).message.slice(0, 200);
    }
    return report;
  }

  /** The feed's text and validators, or `undefined` when it has not changed (304). */
  private async fetchFeed(
    url: string,
    state: FeedState,
  ): Promise<{ text: string; etag: string | null; lastModified: string | null } | undefined> {
    const headers: Record<string, string> = {
      accept: 'application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5',
    };
    if (state.etag !== undefined) headers['if-none-match'] = state.etag;
    if (state.lastModified !== undefined) headers['if-modified-since'] = state.lastModified;
    const response = await fetch(url, { headers, signal: AbortSignal.timeout(this.timeoutMs) });
    if (response.status === 304) return undefined;
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const bytes = await response.arrayBuffer();
    if (bytes.byteLength > MAX_FEED_BYTES) throw new Error(`over ${MAX_FEED_BYTES / 1024 / 1024} MB`);
    return {
      text: decodeFeed(new Uint8Array(bytes), response.headers.get('content-type') ?? ''),
      etag: response.headers.get('etag'),
      lastModified: response.headers.get('last-modified'),
    };
  }

  /** Imports the entries new or changed since last seen; an invalid one is counted, never blocks the rest. */
  private async importEntries(entries: FeedEntry[], state: FeedState, report: FeedReport): Promise<void> {
    const fresh = entries.filter((entry) => state.seen[entry.key] !== entry.fingerprint);
    const valid: { entry: FeedEntry; article: ReturnType<typeof parseArticle> }[] = [];
    for (const entry of fresh) {
      try {
        valid.push({ entry, article: parseArticle(entry.article) });
      } catch {
        report.unusable += 1;
      }
    }
    if (valid.length > 0) await this.writer.write(valid.map(({ article }) => article));
    for (const { entry } of valid) {
      if (state.seen[entry.key] === undefined) report.added += 1;
      else report.changed += 1;
      delete state.seen[entry.key];
      state.seen[entry.key] = entry.fingerprint;
    }
    // Oldest first (insertion order): the ids a feed no longer lists are forgotten first.
    const keys = Object.keys(state.seen);
    for (const key of keys.slice(0, Math.max(0, keys.length - MAX_SEEN))) delete state.seen[key];
  }

  /** Writes the state file whole, then renames it over the old one: a crash leaves one or the other. */
  private async save(): Promise<void> {
    const temporary = `${this.statePath}.tmp`;
    await writeFile(temporary, JSON.stringify(this.states));
    await rename(temporary, this.statePath);
  }
}
