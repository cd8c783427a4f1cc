/**
 * Cold start of an archive directory: loading its snapshot against rebuilding the index from its
 * store, each in a fresh process, alternated, medians of N runs each.
 *
 *   npm run bench:cold-start -- --index DIR [--runs 3]
 *
 * The rebuild runs on a copy of the store without the snapshot, so DIR is never changed. Prints each
 * run, the medians and their ratio, and whether both ways rank a few probe queries identically.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { STORE_FILE } from '../src/archive/archive-directory.js';
import { PersistentArchive } from '../src/archive/persistent-archive.js';

const { values } = parseArgs({
  options: {
    index: { type: 'string' },
    runs: { type: 'string', default: '3' },
    // Internal: open this directory once and print how it went as JSON.
    'open-once': { type: 'string' },
  },
});

if (values['open-once'] !== undefined) {
  const archive = await PersistentArchive.open(values['open-once'], { autoSave: false, create: false });
  process.stdout.write(
    `${JSON.stringify({ ...archive.opened, ...archive.stats(), rssMb: Math.round(process.memoryUsage().rss / 1e6) })}\n`,
  );
  // Exit without close(): a rebuild's snapshot save is not part of the start being measured.
  process.exit(0);
}

if (values.index === undefined) {
  console.error('usage: npm run bench:cold-start -- --index DIR [--runs 3]');
  process.exit(2);
}

interface Opened {
  from: string;
  fingerprint: string;
  ms: number;
  articles: number;
  paragraphs: number;
  rssMb: number;
}

function openInFreshProcess(directory: string): Opened {
  const output = execFileSync(
    process.execPath,
    ['--import', 'tsx', 'bench/cold-start.ts', '--open-once', directory],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    },
  );
  return JSON.parse(output) as Opened;
}

const median = (numbers: number[]) => [...numbers].sort((a, b) => a - b)[Math.floor(numbers.length / 2)]!;
const fingerprints = new Set<string>();
const fromSnapshot: number[] = [];
const fromStore: number[] = [];
for (let run = 1; run <= Number(values.runs); run += 1) {
  const snapshot = openInFreshProcess(values.index);
  fromSnapshot.push(snapshot.ms);
  fingerprints.add(snapshot.fingerprint);
  console.log(`run ${run} snapshot: ${JSON.stringify(snapshot)}`);
  const copy = mkdtempSync(join(tmpdir(), 'arshif-cold-'));
  try {
    copyFileSync(join(values.index, STORE_FILE), join(copy, STORE_FILE));
    const rebuild = openInFreshProcess(copy);
    fromStore.push(rebuild.ms);
    fingerprints.add(rebuild.fingerprint);
    console.log(`run ${run} rebuild:  ${JSON.stringify(rebuild)}`);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}
const snapshotMs = median(fromSnapshot);
const storeMs = median(fromStore);
console.log(
  `median open from snapshot ${snapshotMs} ms, rebuild from store ${storeMs} ms: snapshot ${(storeMs / snapshotMs).toFixed(1)}x faster`,
);
console.log(
  fingerprints.size === 1
    ? 'snapshot and rebuild rank the probe queries identically'
    : `MISMATCH: probe results differ between runs (${[...fingerprints].join(', ')})`,
);
