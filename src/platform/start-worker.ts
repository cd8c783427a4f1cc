/** Starting a worker thread from a module beside the caller's, from TypeScript sources or compiled. */
import { extname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts a worker thread running the module `name` in the folder of the module `from` (its
 * `import.meta.url`), whether Arshif runs from its TypeScript sources (through a bootstrap that
 * registers tsx first) or compiled.
 *
 * @example
 * startWorker(import.meta.url, 'store-writer-worker', { workerData: file });
 */
export function startWorker(from: string, name: string, options: WorkerOptions): Worker {
  const extension = extname(fileURLToPath(from));
  const module = new URL(`./${name}${extension}`, from);
  if (extension !== '.ts') return new Worker(module, options);
  return new Worker(new URL('./worker-bootstrap.mjs', import.meta.url), {
    ...options,
    argv: [pathToFileURL(fileURLToPath(module)).href],
  });
}
