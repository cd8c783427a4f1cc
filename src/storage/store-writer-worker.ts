/**
 * The store's writer thread: commits writes to SQLite so that the main thread never waits for the
 * disk, and commits together the writes that queued while it was busy (one sync for all).
 */
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { SqliteStore } from './sqlite-store.js';
import type { StoreWriterReply, StoreWriterRequest } from './store-writer.js';

const port = parentPort!;
let store: SqliteStore;
try {
  store = SqliteStore.open(workerData as string);
} catch (error) {
  port.postMessage({ failed: (error as Error).message } satisfies StoreWriterReply);
  process.exit(1);
}

port.on('message', (first: StoreWriterRequest) => {
  const requests = [first];
  for (let next = receiveMessageOnPort(port); next !== undefined; next = receiveMessageOnPort(port)) {
    requests.push(next.message as StoreWriterRequest);
  }
  const ids = requests.map((request) => request.id);
  let reply: StoreWriterReply;
  try {
    reply = { outcomes: store.writeAll(requests.map((request) => request.write)), ids };
  } catch (error) {
    reply = { failed: (error as Error).message, ids };
  }
  port.postMessage(reply);
});
