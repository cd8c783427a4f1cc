/**
 * A search replica: a worker thread holding a copy of an archive's index (segment files' memory is
 * shared, not copied), kept in step by the changes the archive sends, answering searches in parallel
 * with the main thread. Article text for hits is read from the store through a connection of its own.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ArshifError } from '../errors.js';
import { Archive } from './archive.js';
import { SqliteStore } from '../storage/sqlite-store.js';
import { textReaders } from '../storage/article-store.js';
import { answerRead, type ReplicaMessage, type ReplicaReply, type ReplicaSetup } from './search-replicas.js';

const setup = workerData as ReplicaSetup;
const store =
  setup.storeFile === undefined ? undefined : SqliteStore.open(setup.storeFile, { readonly: true });
const archive = Archive.fromState(setup.state, {
  ...setup.options,
  ...(store === undefined ? {} : textReaders(store)),
});
// The state's entries are the archive's now, their strings shared (see `withSharedValues`): the copies
// as received are let go.
setup.state.articles.length = 0;
// The quantized vectors of the segments it starts with, made before the first search rather than by it.
archive.engine.segments.prepareVectors();
const port = parentPort!;

port.on('message', (message: ReplicaMessage) => {
  if ('change' in message) {
    archive.apply(message.change);
    port.postMessage({ applied: message.sequence } satisfies ReplicaReply);
    return;
  }
  let reply: ReplicaReply;
  try {
    reply = { id: message.id, response: answerRead(archive, message.read) };
  } catch (error) {
    reply = {
      id: message.id,
      error: {
        code: error instanceof ArshifError ? error.code : undefined,
        message: (error as Error).message,
      },
    };
  }
  port.postMessage(reply);
});
port.postMessage({ ready: true } satisfies ReplicaReply);
