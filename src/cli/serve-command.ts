/** The `arshif serve` command: opens an archive and starts the HTTP service with its search replicas. */
import { wholeNumberFromEnvironment } from '../environment.js';
import { ArshifError } from '../errors.js';
import { startServer } from '../http/server.js';
import type { Archive } from '../archive/archive.js';
import { ClusterNode } from '../archive/cluster-node.js';
import { ShardSet } from '../archive/shards.js';
import type { PersistentArchive } from '../archive/persistent-archive.js';
import { PostgresStore } from '../storage/postgres-store.js';
import { DEFAULT_SEARCH_REPLICAS, SearchReplicas } from '../archive/search-replicas.js';
import {
  archiveFromFiles,
  openArchiveDirectory,
  openSampleArchive,
  SIMILARITY_HELP,
  similarityOption,
  synonymsOption,
} from './open-archive.js';
import { type Command, integerOption, parseCommandArgs, UsageError } from './usage.js';

/** `arshif serve`: the HTTP service. */
export const serveCommand: Command = {
  name: 'serve',
  summary: 'start the HTTP search service',
  help: `Usage: arshif serve [--index DIR | --input FILE...] [--store postgres://… [--shards all] [--url URL]] [--port 3000] [--host 127.0.0.1] [--synonyms FILE] [--similarity cosine|dot]

Serves an archive over HTTP: the search page at /, GET and POST /search (by words, by a vector or
both), /articles/:id, /articles/:id/related, /analyze, /health, /metrics; OpenAPI docs at /docs;
the embeddable <arshif-search> element at /embed.js.

  --index DIR    the archive directory built by "arshif index" (writes go to it)
  --input FILE   article file, .jsonl or .jsonl.gz, served from memory, read-only (may be repeated)
  --store URL    cluster mode: a search node of the PostgreSQL store at URL (default
                 ARSHIF_DATABASE_URL), writes going to the store; its index is kept in --index DIR
                 (default data/node), bootstrapped from the store the first time
  --shards SET   cluster mode: the shards of the archive this node holds, of 256: "all" (default)
                 or ranges such as "0-127"; fixed for its --index DIR. Any node answers a search,
                 asking one live node holding each shard
  --url URL      cluster mode: where the other nodes reach this one (default http://HOST:PORT)
  --port N       port to listen on (default: PORT, else 3000; 0 picks a free one)
  --host ADDR    address to listen on (default: HOST, else 127.0.0.1)
  --synonyms FILE  synonym groups to add and shipped or learned ones to remove, JSON
                   {"groups": [["form", "form"], …], "remove": ["form", …]} (read at start: no re-index)
${SIMILARITY_HELP}

With neither --index nor --input it serves the sample corpus from the archive in
data/sample-archive, built on first start.

Writes (POST /articles, DELETE /articles/:id) need a persistent archive and the environment
variable ARSHIF_TOKEN: clients send "Authorization: Bearer <ARSHIF_TOKEN>". A write is answered
once it is on disk. Stops cleanly on SIGINT/SIGTERM.

Environment: ARSHIF_TOKEN; ARSHIF_DATABASE_URL, the PostgreSQL store of a cluster node (as --store); ARSHIF_RATE_LIMIT, requests per minute per client IP before answers
turn to 429 (default 1200, 0 for no limit; /health is exempt); ARSHIF_LOG_LEVEL (default info);
ARSHIF_SEAL_AFTER_WRITES, articles written before fresh writes are sealed into a segment file in the
background (default 1000; they are also sealed a minute after the first unsaved write);
ARSHIF_CORS_ORIGINS, origins allowed to call the API from a browser (tools embedding /embed.js),
comma-separated; ARSHIF_SEARCH_TIME_LIMIT, milliseconds a search may spend finding matches before it answers with
the best found so far, marked "partial" and "timedOut" (default 250, 0 for no limit);
ARSHIF_SEARCH_THREADS, worker threads answering searches beside the main thread (default: one per
core but one and at least one, here ${DEFAULT_SEARCH_REPLICAS}; 0 answers every search in the main thread).`,
  async run({ args, stderr }) {
    const { values, positionals } = parseCommandArgs(args, {
      index: { type: 'string' },
      input: { type: 'string', multiple: true },
      port: { type: 'string' },
      host: { type: 'string' },
      synonyms: { type: 'string' },
      similarity: { type: 'string' },
      store: { type: 'string' },
      shards: { type: 'string' },
      url: { type: 'string' },
    });
    const storeUrl = values.store ?? (process.env.ARSHIF_DATABASE_URL?.trim() || undefined);
    if (storeUrl === undefined && (values.shards !== undefined || values.url !== undefined)) {
      throw new UsageError('--shards and --url are options of a cluster node: give --store too');
    }
    const shards = values.shards === undefined ? undefined : parseShards(values.shards);
    if (storeUrl !== undefined && values.input?.length) {
      throw new UsageError('--input serves files from memory; a cluster node (--store) follows its store');
    }
    const archiveOptions = { ...synonymsOption(values.synonyms), ...similarityOption(values.similarity) };
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    if (values.index !== undefined && values.input?.length) {
      throw new UsageError('give --index DIR or --input FILE, not both');
    }
    // The flags first, then PORT and HOST as most Node services (and container platforms) set them.
    const port = integerOption('port', values.port, portFromEnvironment(), 0, 65535);
    const host = values.host ?? (process.env.HOST?.trim() || '127.0.0.1');
    const searchThreads = searchThreadsFromEnvironment();
    const warn = (line: string) => stderr.write(`arshif: ${line}\n`);
    let archive: Archive;
    let persistent: PersistentArchive | undefined;
    let node: ClusterNode | undefined;
    let store: PostgresStore | undefined;
    if (storeUrl !== undefined) {
      store = await PostgresStore.connect(storeUrl);
      try {
        node = await ClusterNode.open(values.index ?? 'data/node', {
          store,
          url: values.url ?? `http://${host}:${port}`,
          ...(shards === undefined ? {} : { shards }),
          autoSave: autoSaveFromEnvironment(),
          log: warn,
          ...archiveOptions,
        });
      } catch (error) {
        await store.close();
        throw error;
      }
      persistent = node.archive;
      archive = persistent.archive;
    } else if (values.input?.length) {
      ({ archive } = await archiveFromFiles(
        values.input,
        (line) => stderr.write(`${line}\n`),
        archiveOptions,
      ));
    } else {
      persistent =
        values.index === undefined
          ? await openSampleArchive(warn, archiveOptions)
          : await openArchiveDirectory(values.index, warn, {
              autoSave: autoSaveFromEnvironment(),
              ...archiveOptions,
            });
      archive = persistent.archive;
    }
    let replicas: SearchReplicas | undefined;
    try {
      if (searchThreads > 0) {
        // Listening does not wait for the threads: this one answers searches until each has started.
        const options = { count: searchThreads, awaitReady: false };
        replicas = persistent
          ? await persistent.startSearchReplicas(options)
          : await SearchReplicas.start(archive, { ...options, log: warn });
      }
      const server = await startServer({
        archive: node ? node.reader(replicas ?? archive) : (replicas ?? archive),
        ...(node ? { writer: node, cluster: node } : persistent ? { writer: persistent } : {}),
        port,
        host,
      });
      await server.closed;
    } finally {
      await replicas?.close();
      await (node ?? persistent)?.close();
      await store?.close();
    }
    return 0;
  },
};

/** `PORT`, when `--port` is not given: the port to listen on; 3000 when unset. */
function portFromEnvironment(): number {
  return wholeNumberFromEnvironment('PORT', process.env.PORT?.trim(), {
    max: 65535,
    fallback: 3000,
    what: 'a port number 0–65535',
  });
}

/** `ARSHIF_SEARCH_THREADS`: search replicas beside the main thread. */
function searchThreadsFromEnvironment(): number {
  return wholeNumberFromEnvironment('ARSHIF_SEARCH_THREADS', process.env.ARSHIF_SEARCH_THREADS, {
    max: 64,
    fallback: DEFAULT_SEARCH_REPLICAS,
    what: 'a whole number 0–64',
  });
}

/** `ARSHIF_SEAL_AFTER_WRITES`: articles written before the live segment is sealed and saved. */
function autoSaveFromEnvironment(): { changes: number } | undefined {
  const value = process.env.ARSHIF_SEAL_AFTER_WRITES;
  if (value === undefined || value === '') return undefined;
  // Its own pattern (no leading zero), stricter than the whole numbers of the other variables.
  if (!/^[1-9]\d*$/u.test(value)) {
    throw new ArshifError(
      'BAD_PARAMETER',
      `ARSHIF_SEAL_AFTER_WRITES must be a whole number above 0, got "${value}"`,
    );
  }
  return { changes: Number(value) };
}

function parseShards(text: string): ShardSet {
  try {
    return ShardSet.parse(text);
  } catch (error) {
    if (error instanceof ArshifError) throw new UsageError(`--shards: ${error.message}`);
    throw error;
  }
}
