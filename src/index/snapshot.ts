import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { threadId } from 'node:worker_threads';
import { createInterface } from 'node:readline';
import type { AsPlainObject } from 'minisearch';
import { ArshifError } from '../errors.js';

/** Version of the snapshot file layout; bump it whenever the layout or the index fields change. */
export const SNAPSHOT_FORMAT_VERSION = 1;

/** What built a snapshot and what it covers: the first line of the file. */
export interface SnapshotHeader {
  formatVersion: number;
  analyzerVersion: number;
  /** The analysis options, every one resolved: an index built another way cannot be reused. */
  analysis: { stem: boolean; stopWords: boolean };
  /** Id of the article store it was built from. */
  storeId: string;
  /** Position in the article store the snapshot covers: every write up to it, none after. */
  position: number;
  /** Paragraphs indexed. */
  paragraphs: number;
  /** When it was written, ISO 8601. */
  createdAt: string;
}

/** The header fields the running code needs a snapshot to have. */
export type ExpectedHeader = Pick<
  SnapshotHeader,
  'formatVersion' | 'analyzerVersion' | 'analysis' | 'storeId'
>;

/** The paragraph index as saved: MiniSearch's plain object and the (article id, para) of every paragraph. */
export interface IndexSnapshot {
  miniSearch: AsPlainObject;
  paragraphs: [articleId: string, para: number][];
}

/** Why a snapshot cannot be used; it is then rebuilt from the store. */
export type SnapshotProblem = 'missing' | 'outdated' | 'truncated' | 'corrupt';

/** A snapshot that cannot be used, and why. */
export class SnapshotError extends ArshifError {
  constructor(
    readonly problem: SnapshotProblem,
    message: string,
  ) {
    super('BAD_INDEX', message);
  }
}

/** Entries of MiniSearch's term index per line: bounded lines instead of one string V8 may not hold. */
const TERMS_PER_LINE = 5_000;
const PARAGRAPHS_PER_LINE = 20_000;
const WRITE_BUFFER_BYTES = 4 * 1024 * 1024;

type Line =
  | ['meta', Omit<AsPlainObject, 'index'>]
  | ['terms', AsPlainObject['index']]
  | ['paragraphs', IndexSnapshot['paragraphs']];
type Trailer = ['end', { lines: number; sha256: string }];

/**
 * Writes a snapshot atomically: to a temporary file, synced, then renamed over `file`, so a crash
 * leaves the old snapshot or the new one, never half of one.
 *
 * Layout, one JSON value per line: the {@link SnapshotHeader}, then `["meta", …]`, `["terms", […]]`…,
 * `["paragraphs", […]]`…, and last `["end", {lines, sha256}]` with the SHA-256 of every byte before it:
 * a truncated file has no end line, a damaged one a wrong digest.
 */
export async function writeSnapshot(
  file: string,
  header: SnapshotHeader,
  snapshot: IndexSnapshot,
): Promise<number> {
  // Unique per process and thread: the main thread and the snapshot worker may both be saving.
  const temporary = `${file}.${process.pid}-${threadId}-${Date.now()}.tmp`;
  const handle = await open(temporary, 'w');
  const hash = createHash('sha256');
  let bytes = 0;
  let lines = 0;
  let buffer: string[] = [];
  let buffered = 0;
  const flush = async () => {
    const chunk = Buffer.from(buffer.join(''), 'utf8');
    buffer = [];
    buffered = 0;
    await handle.write(chunk);
    bytes += chunk.length;
  };
  const writeLine = async (value: unknown, hashed = true) => {
    const line = `${JSON.stringify(value)}\n`;
    if (hashed) {
      hash.update(line, 'utf8');
      lines += 1;
    }
    buffer.push(line);
    buffered += line.length;
    if (buffered >= WRITE_BUFFER_BYTES) await flush();
  };
  try {
    await writeLine(header);
    const { index, ...meta } = snapshot.miniSearch;
    await writeLine(['meta', meta] satisfies Line);
    for (let start = 0; start < index.length; start += TERMS_PER_LINE) {
      await writeLine(['terms', index.slice(start, start + TERMS_PER_LINE)] satisfies Line);
    }
    for (let start = 0; start < snapshot.paragraphs.length; start += PARAGRAPHS_PER_LINE) {
      await writeLine([
        'paragraphs',
        snapshot.paragraphs.slice(start, start + PARAGRAPHS_PER_LINE),
      ] satisfies Line);
    }
    await writeLine(['end', { lines, sha256: hash.digest('hex') }] satisfies Trailer, false);
    await flush();
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temporary, { force: true });
    throw error;
  }
  await handle.close();
  await rename(temporary, file);
  await syncDirectory(dirname(file));
  return bytes;
}

/** Makes a rename durable: the directory entry is on disk only once the directory is synced. */
async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Reads a snapshot and checks it whole before anything uses it.
 *
 * - `expected` is what the running code would write; a header that differs throws `outdated`.
 * - Throws {@link SnapshotError}: `missing`, `outdated`, `truncated` (no end line) or `corrupt` (bad
 *   JSON, wrong digest or line count, inconsistent counts).
 */
export async function readSnapshot(
  file: string,
  expected: ExpectedHeader,
): Promise<{ header: SnapshotHeader; snapshot: IndexSnapshot }> {
  const stream = createReadStream(file, { encoding: 'utf8' });
  const failure = new Promise<never>((_, reject) => {
    stream.on('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'ENOENT'
          ? new SnapshotError('missing', `no snapshot at ${file}`)
          : new SnapshotError('corrupt', `cannot read snapshot ${file}: ${error.message}`),
      ),
    );
  });
  failure.catch(() => undefined);
  const lines = createInterface({ input: stream, crlfDelay: Infinity })[Symbol.asyncIterator]();
  const hash = createHash('sha256');
  const corrupt = (why: string) => new SnapshotError('corrupt', `snapshot ${file} is corrupt: ${why}`);
  let header: SnapshotHeader | undefined;
  let meta: Omit<AsPlainObject, 'index'> | undefined;
  const terms: AsPlainObject['index'] = [];
  const paragraphs: IndexSnapshot['paragraphs'] = [];
  let count = 0;
  try {
    for (;;) {
      const next = await Promise.race([lines.next(), failure]);
      if (next.done)
        throw new SnapshotError('truncated', `snapshot ${file} is truncated: it has no end line`);
      const text = next.value;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        // A line cut short by a crash is also bad JSON; only a complete file with an end line is valid.
        throw corrupt(`line ${count + 1} is not JSON`);
      }
      if (header === undefined) {
        header = checkHeader(value, expected, file);
      } else if (Array.isArray(value) && value[0] === 'end') {
        const trailer = value[1] as Trailer[1];
        if (trailer?.lines !== count || trailer.sha256 !== hash.digest('hex')) {
          throw corrupt('its checksum does not match its content');
        }
        break;
      } else if (Array.isArray(value) && value[0] === 'meta') {
        meta = value[1] as Omit<AsPlainObject, 'index'>;
      } else if (Array.isArray(value) && value[0] === 'terms') {
        for (const entry of value[1] as AsPlainObject['index']) terms.push(entry);
      } else if (Array.isArray(value) && value[0] === 'paragraphs') {
        for (const entry of value[1] as IndexSnapshot['paragraphs']) paragraphs.push(entry);
      } else {
        throw corrupt(`line ${count + 1} is not a snapshot section`);
      }
      hash.update(`${text}\n`, 'utf8');
      count += 1;
    }
  } finally {
    stream.destroy();
  }
  if (meta === undefined || header === undefined) throw corrupt('it has no index');
  if (paragraphs.length !== header.paragraphs || meta.documentCount !== header.paragraphs) {
    throw corrupt(`it counts ${header.paragraphs} paragraphs but holds ${paragraphs.length}`);
  }
  return { header, snapshot: { miniSearch: { ...meta, index: terms }, paragraphs } };
}

function checkHeader(value: unknown, expected: ExpectedHeader, file: string): SnapshotHeader {
  const header = value as Partial<SnapshotHeader> | null;
  if (typeof header !== 'object' || header === null || typeof header.position !== 'number') {
    throw new SnapshotError(
      'corrupt',
      `snapshot ${file} is corrupt: its first line is not a snapshot header`,
    );
  }
  const built = `format ${header.formatVersion}, analyzer ${header.analyzerVersion}, analysis ${JSON.stringify(header.analysis)}`;
  const wanted = `format ${expected.formatVersion}, analyzer ${expected.analyzerVersion}, analysis ${JSON.stringify(expected.analysis)}`;
  if (built !== wanted) {
    throw new SnapshotError(
      'outdated',
      `snapshot ${file} was built by ${built}; this program needs ${wanted}`,
    );
  }
  if (header.storeId !== expected.storeId) {
    throw new SnapshotError('corrupt', `snapshot ${file} belongs to another archive's store`);
  }
  return header as SnapshotHeader;
}
