#!/usr/bin/env node
// In a checkout, the TypeScript sources run through tsx (no build step while developing); the
// package ships dist/, compiled by `npm run build`, which runs on plain node.
import { existsSync } from 'node:fs';

const sources = new URL('../src/cli.ts', import.meta.url);
let runCommandLine;
if (existsSync(sources)) {
  const { register } = await import('tsx/esm/api');
  register();
  ({ runCommandLine } = await import(sources.href));
} else {
  ({ runCommandLine } = await import(new URL('../dist/cli.js', import.meta.url).href));
}
process.exitCode = await runCommandLine(process.argv.slice(2));
