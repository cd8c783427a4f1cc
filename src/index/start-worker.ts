import { extname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

const OWN_EXTENSION = extname(fileURLToPath(import.meta.url));

/**
 * Starts a worker thread running the module `name` of this folder (`'segment-worker'`), whether Arshif
 * runs from its TypeScript sources (through a bootstrap that registers tsx first) or compiled.
 */
export function startWorker(name: string, options: WorkerOptions): Worker {
  const module = new URL(`./${name}${OWN_EXTENSION}`, import.meta.url);
  if (OWN_EXTENSION !== '.ts') return new Worker(module, options);
  return new Worker(new URL('./worker-bootstrap.mjs', import.meta.url), {
    ...options,
    argv: [pathToFileURL(fileURLToPath(module)).href],
  });
}
