// The command line bundled into one file per thread (esbuild): `node dist/cli.js` and a checkout's
// `npm start` load one module each instead of ~1,100 (Arshif's 120 and its dependencies': TypeBox alone has
// 373), which took 0.75 s of a 1 s start. The library (dist/main.js) stays compiled file by file.
//
//   node bin/bundle.js OUTDIR     (npm run build writes dist/cli.js and its workers this way)
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** The command line and the modules its worker threads run, which `startWorker` finds beside it. */
const ENTRY_POINTS = [
  'src/cli.ts',
  'src/archive/search-replica-worker.ts',
  'src/storage/store-writer-worker.ts',
  'src/storage/segment-builder-worker.ts',
];

/**
 * Left to node_modules: a native addon and pg's optional one. (Two plugins look for files beside their
 * code, which a bundle does not keep: the OpenAPI page is told where its assets are, and
 * @fastify/swagger reads its package.json only for an OpenAPI `info` we give it ourselves.)
 */
const EXTERNAL = ['better-sqlite3', 'pg-native'];

/** Bundles the command line and its workers into `outdir` (cli.js, search-replica-worker.js, …). */
export async function bundleCommandLine(outdir) {
  const { build } = await import('esbuild');
  await build({
    absWorkingDir: ROOT,
    entryPoints: ENTRY_POINTS,
    outdir,
    entryNames: '[name]',
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Stack traces name the TypeScript sources (node --enable-source-maps).
    sourcemap: true,
    external: EXTERNAL,
    // CommonJS dependencies call require() for Node's own modules.
    banner: {
      js: "import { createRequire as arshifRequire } from 'node:module';\nconst require = arshifRequire(import.meta.url);",
    },
    logLevel: 'error',
  });
}

/** The newest modification time of the files a bundle is made from. */
function newestSource() {
  let newest = 0;
  const visit = (path) => {
    const stat = statSync(path);
    if (stat.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
    else if (stat.mtimeMs > newest) newest = stat.mtimeMs;
  };
  for (const path of ['src', 'package.json', 'package-lock.json']) visit(join(ROOT, path));
  return newest;
}

/** Checkout bundles kept: a process still running from an older one starts its workers from it. */
const KEPT_BUNDLES = 3;

/**
 * A checkout's bundle, made again when a source changed since (about 0.4 s): the folder holding
 * cli.js. Each version has a folder of its own, made under another name and renamed into place, so
 * that processes starting together never load half a bundle, and one running from an older bundle
 * still finds its worker modules.
 */
export async function checkoutBundle() {
  const cache = join(ROOT, 'node_modules/.cache/arshif');
  const folder = join(cache, `cli-${Math.round(newestSource())}`);
  if (existsSync(join(folder, 'cli.js'))) return folder;
  const building = `${folder}.${process.pid}.building`;
  await bundleCommandLine(building);
  try {
    renameSync(building, folder);
  } catch {
    // Another process put its bundle of the same sources there first.
    rmSync(building, { recursive: true, force: true });
  }
  const bundles = readdirSync(cache).filter((name) => /^cli-\d+$/u.test(name));
  bundles.sort((a, b) => Number(b.slice(4)) - Number(a.slice(4)));
  for (const old of bundles.slice(KEPT_BUNDLES)) rmSync(join(cache, old), { recursive: true, force: true });
  return folder;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const outdir = process.argv[2];
  if (outdir === undefined) {
    console.error('usage: node bin/bundle.js OUTDIR');
    process.exit(2);
  }
  await bundleCommandLine(outdir);
}
