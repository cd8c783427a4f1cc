import { createHash } from 'node:crypto';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { threadId } from 'node:worker_threads';
import { ArshifError } from '../errors.js';
import type { EncodedIndex } from './minisearch-codec.js';

/** Version of the snapshot file layout; bump it whenever the layout or the index fields change. */
export const SNAPSHOT_FORMAT_VERSION = 2;

/** What built a snapshot and what it covers: the first line of the file, readable with `head -1`. */
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

/** Sections of the body, in file order. */
const SECTIONS = ['meta', 'documentIds', 'fieldLength', 'terms', 'postings'] as const;
const END_MARK = Buffer.from('ARSHIF-SNAPSHOT-END', 'ascii');
const DIGEST_BYTES = 32;
/** The end of the file: the body's length (8 bytes), the SHA-256 of all before it, the end mark. */
const TRAILER_BYTES = 8 + DIGEST_BYTES + END_MARK.length;

function section(value: unknown): Buffer {
  const bytes =
    value instanceof Uint32Array
      ? Buffer.from(value.buffer, value.byteOffset, value.byteLength)
      : Buffer.from(JSON.stringify(value), 'utf8');
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(bytes.length));
  return Buffer.concat([length, bytes]);
}

/**
 * Writes a snapshot atomically: to a temporary file, synced, then renamed over `file`, so a crash
 * leaves the old snapshot or the new one, never half of one.
 *
 * Layout: the {@link SnapshotHeader} as one JSON line; then each section (`meta`, `documentIds`,
 * `terms` as JSON; `fieldLength`, `postings` as little-endian uint32) preceded by its byte length; then
 * the body's length, the SHA-256 of every byte before it, and an end mark. A truncated file lacks the
 * end mark, a damaged one fails the digest.
 */
export async function writeSnapshot(
  file: string,
  header: SnapshotHeader,
  index: EncodedIndex,
): Promise<number> {
  const { documentIds, fieldLength, terms, postings, ...meta } = index;
  const head = Buffer.from(`${JSON.stringify(header)}\n`, 'utf8');
  const parts = [meta, documentIds, fieldLength, terms, postings].map(section);
  const bodyLength = parts.reduce((sum, part) => sum + part.length, 0);
  const hash = createHash('sha256').update(head);
  for (const part of parts) hash.update(part);
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(bodyLength));
  const trailer = Buffer.concat([length, hash.digest(), END_MARK]);

  // Unique per process and thread: the main thread and the snapshot worker may both be saving.
  const temporary = `${file}.${process.pid}-${threadId}-${Date.now()}.tmp`;
  const handle = await open(temporary, 'w');
  try {
    for (const part of [head, ...parts, trailer]) await handle.write(part);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temporary, { force: true });
    throw error;
  }
  await handle.close();
  await rename(temporary, file);
  await syncDirectory(dirname(file));
  return head.length + bodyLength + trailer.length;
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
 * - Throws {@link SnapshotError}: `missing`, `outdated`, `truncated` (no end mark, or a body shorter
 *   than recorded) or `corrupt` (wrong digest, unreadable sections, inconsistent counts).
 */
export async function readSnapshot(
  file: string,
  expected: ExpectedHeader,
): Promise<{ header: SnapshotHeader; index: EncodedIndex }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    if (code === 'ENOENT') throw new SnapshotError('missing', `no snapshot at ${file}`);
    throw new SnapshotError('corrupt', `cannot read snapshot ${file}: ${message}`);
  }
  const corrupt = (why: string) => new SnapshotError('corrupt', `snapshot ${file} is corrupt: ${why}`);
  const newline = bytes.indexOf(0x0a);
  if (newline < 0) {
    throw new SnapshotError('truncated', `snapshot ${file} is truncated: it has no complete header`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.subarray(0, newline).toString('utf8'));
  } catch {
    throw corrupt('its header is not JSON');
  }
  const header = checkHeader(parsed, expected, file);

  const bodyStart = newline + 1;
  const trailerStart = bytes.length - TRAILER_BYTES;
  if (trailerStart < bodyStart || !bytes.subarray(bytes.length - END_MARK.length).equals(END_MARK)) {
    throw new SnapshotError('truncated', `snapshot ${file} is truncated: it has no end mark`);
  }
  if (Number(bytes.readBigUInt64LE(trailerStart)) !== trailerStart - bodyStart) {
    throw new SnapshotError(
      'truncated',
      `snapshot ${file} is truncated: its body is not the length recorded`,
    );
  }
  const digest = createHash('sha256').update(bytes.subarray(0, trailerStart)).digest();
  if (!digest.equals(bytes.subarray(trailerStart + 8, trailerStart + 8 + DIGEST_BYTES))) {
    throw corrupt('its checksum does not match its content');
  }

  const values: unknown[] = [];
  let at = bodyStart;
  for (const name of SECTIONS) {
    if (at + 8 > trailerStart) throw corrupt(`section ${name} is missing`);
    const length = Number(bytes.readBigUInt64LE(at));
    const start = at + 8;
    at = start + length;
    if (at > trailerStart) throw corrupt(`section ${name} runs past the end`);
    const slice = bytes.subarray(start, at);
    if (name === 'fieldLength' || name === 'postings') {
      if (length % 4 !== 0) throw corrupt(`section ${name} is not a uint32 array`);
      // Copied into its own buffer: a Uint32Array needs 4-byte alignment.
      values.push(new Uint32Array(new Uint8Array(slice).buffer));
    } else {
      try {
        values.push(JSON.parse(slice.toString('utf8')));
      } catch {
        throw corrupt(`section ${name} is not JSON`);
      }
    }
  }
  if (at !== trailerStart) throw corrupt('it holds more than its sections');
  const [meta, documentIds, fieldLength, terms, postings] = values as [
    Pick<EncodedIndex, 'documentCount' | 'nextId' | 'fieldIds' | 'averageFieldLength'>,
    EncodedIndex['documentIds'],
    Uint32Array,
    string[],
    Uint32Array,
  ];
  if (!Array.isArray(documentIds) || !Array.isArray(terms))
    throw corrupt('its sections have the wrong shape');
  if (documentIds.length !== header.paragraphs || meta.documentCount !== header.paragraphs) {
    throw corrupt(`its header counts ${header.paragraphs} paragraphs but it holds ${documentIds.length}`);
  }
  return { header, index: { ...meta, documentIds, fieldLength, terms, postings } };
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
