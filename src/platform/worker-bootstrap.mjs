// Entry of Arshif's worker threads when Arshif runs from its TypeScript sources: a worker thread does
// not inherit tsx's loader, so it registers it before importing the worker module named in argv.
import { register } from 'tsx/esm/api';

register();
await import(process.argv[2]);
