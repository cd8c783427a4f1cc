import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ArshifError } from '../errors.js';
import type { SaveReport } from './archive-directory.js';
import type { ParagraphIndexOptions } from './paragraph-index.js';

/** What the snapshot worker is asked to do. */
export interface SnapshotJob {
  directory: string;
  options: ParagraphIndexOptions;
}

/** What the snapshot worker answers. */
export type SnapshotJobResult = { ok: true; report: SaveReport } | { ok: false; message: string };

/** A snapshot being written by a worker thread. */
export interface BackgroundSave {
  done: Promise<SaveReport>;
  /** Stops the worker; `done` then rejects. */
  cancel(): Promise<void>;
}

const OWN_EXTENSION = extname(fileURLToPath(import.meta.url));

// Run from TypeScript sources, the worker starts through a bootstrap that registers tsx first.
const WORKER_FILE = new URL(
  OWN_EXTENSION === '.ts' ? './snapshot-worker-bootstrap.mjs' : `./snapshot-worker${OWN_EXTENSION}`,
  import.meta.url,
);

function startWorker(job: SnapshotJob): Worker {
  return new Worker(WORKER_FILE, { workerData: job });
}

/**
 * Writes a fresh snapshot of an archive directory in a worker thread, from the snapshot and store on
 * disk: the main thread keeps answering searches meanwhile.
 */
export function saveInBackground(job: SnapshotJob): BackgroundSave {
  const worker = startWorker(job);
  const done = new Promise<SaveReport>((resolve, reject) => {
    worker.once('message', (result: SnapshotJobResult) =>
      result.ok ? resolve(result.report) : reject(new ArshifError('IO_ERROR', result.message)),
    );
    worker.once('error', (error) => reject(new ArshifError('IO_ERROR', `snapshot worker: ${error.message}`)));
    worker.once('exit', (code) =>
      reject(new ArshifError('IO_ERROR', `snapshot worker stopped (exit ${code})`)),
    );
  });
  done.catch(() => undefined);
  return {
    done,
    cancel: async () => {
      await worker.terminate();
    },
  };
}
