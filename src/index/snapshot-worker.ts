/**
 * Worker thread that refreshes an archive's snapshot off the main thread: it loads the current
 * snapshot, brings it up to date from the store (read-only), and writes a new one. Serialising a large
 * index takes seconds of CPU; here it never blocks the searches the main thread answers.
 */
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { loadArchive, saveArchive, STORE_FILE } from './archive-directory.js';
import { ArticleStore } from './article-store.js';
import type { SnapshotJob, SnapshotJobResult } from './background-save.js';

const { directory, options } = workerData as SnapshotJob;
let result: SnapshotJobResult;
let store: ArticleStore | undefined;
try {
  store = ArticleStore.open(join(directory, STORE_FILE), { readonly: true });
  const loaded = await loadArchive(directory, store, options, () => undefined);
  result = {
    ok: true,
    report: await saveArchive(directory, loaded.archive, loaded.position, options, store.storeId),
  };
} catch (error) {
  result = { ok: false, message: (error as Error).message };
} finally {
  store?.close();
}
parentPort?.postMessage(result);
