// Entry of the segment worker when Arshif runs from its TypeScript sources: a worker thread does not
// inherit tsx's loader, so it registers it before importing the worker module.
import { register } from 'tsx/esm/api';

register();
await import('./segment-worker.ts');
