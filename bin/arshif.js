#!/usr/bin/env node
// In a checkout, the TypeScript sources are bundled (again only when one has changed) and run from the
// bundle, as the package runs dist/cli.js, bundled by `npm run build`: one module to load rather than
// ~1,100, and worker threads that compile nothing.
import { existsSync } from 'node:fs';

let cli = new URL('../dist/cli.js', import.meta.url);
if (existsSync(new URL('../src/cli.ts', import.meta.url))) {
  const { checkoutBundle } = await import('./bundle.js');
  const { pathToFileURL } = await import('node:url');
  cli = pathToFileURL(`${await checkoutBundle()}/cli.js`);
}
const { runCommandLine } = await import(cli.href);
process.exitCode = await runCommandLine(process.argv.slice(2));
