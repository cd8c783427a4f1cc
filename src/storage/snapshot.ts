/** The index's snapshot file (Lucene's commit point): which segment files make the index, up to which store position. */
import { readFile } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { ArshifError } from '../errors.js';
import { writeFileDurably } from '../platform/durable-file.js';

/** Version of the snapshot file and of the index it describes; bump it whenever either changes. */
export const SNAPSHOT_FORMAT_VERSION = 4;

/** A segment file the index is made of, and which of its documents are deleted. */
export interface SnapshotSegment {
  /** Path relative to the archive directory. */
  file: string;
  documents: number;
  /** Deleted document numbers, ascending. */
  deleted: number[];
}

/** What built an index snapshot and what it covers. */
export interface SnapshotHeader {
  formatVersion: number;
  analyzerVersion: number;
  /** The analysis options, every one resolved: an index built another way cannot be reused. */
  analysis: { stem: boolean; stopWords: boolean };
  /** Id of the article store it was built from. */
  storeId: string;
  /** Position in the article store the snapshot covers: every write up to it, none after. */
  position: number;
  /** Paragraphs indexed (live documents of all segments). */
  paragraphs: number;
  /** When it was written, ISO 8601. */
  createdAt: string;
}

/** A snapshot: the header and the segments, oldest first. */
export interface Snapshot extends SnapshotHeader {
  segments: SnapshotSegment[];
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

const CHECKSUM_PREFIX = 'crc32 ';

/**
 * Writes a snapshot file durably. Layout: the snapshot as one JSON line, then `crc32 ` and the CRC-32 of
 * that line in hex: a truncated file lacks the second line, a damaged one fails the checksum.
 */
export async function writeSnapshot(file: string, snapshot: Snapshot): Promise<void> {
  const line = `${JSON.stringify(snapshot)}\n`;
  const checksum = crc32(Buffer.from(line, 'utf8')).toString(16).padStart(8, '0');
  await writeFileDurably(file, [Buffer.from(`${line}${CHECKSUM_PREFIX}${checksum}\n`, 'utf8')]);
}

/**
 * Reads a snapshot file and checks it whole before anything uses it.
 *
 * - `expected` is what the running code would write; a header that differs throws `outdated`.
 * - Throws {@link SnapshotError}: `missing`, `outdated`, `truncated` or `corrupt`.
 */
export async function readSnapshot(file: string, expected: ExpectedHeader): Promise<Snapshot> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    if (code === 'ENOENT') throw new SnapshotError('missing', `no snapshot at ${file}`);
    throw new SnapshotError('corrupt', `cannot read snapshot ${file}: ${message}`);
  }
  const corrupt = (why: string) => new SnapshotError('corrupt', `snapshot ${file} is corrupt: ${why}`);
  const newline = text.indexOf('\n');
  const last = text.slice(newline + 1);
  if (newline < 0 || !last.startsWith(CHECKSUM_PREFIX) || !last.endsWith('\n')) {
    throw new SnapshotError('truncated', `snapshot ${file} is truncated: it has no checksum line`);
  }
  // The header is read before the checksum is checked: an index built by other code is `outdated`,
  // whatever else is wrong with it.
  const line = text.slice(0, newline + 1);
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    throw corrupt('it is not JSON');
  }
  checkHeader(parsed, expected, file);
  const checksum = crc32(Buffer.from(line, 'utf8')).toString(16).padStart(8, '0');
  if (last !== `${CHECKSUM_PREFIX}${checksum}\n`) throw corrupt('its checksum does not match its content');
  const snapshot = checkHeader(parsed, expected, file);
  if (!Array.isArray(snapshot.segments) || snapshot.segments.some((segment) => !isSegmentEntry(segment))) {
    throw corrupt('its list of segments is malformed');
  }
  const live = snapshot.segments.reduce(
    (sum, segment) => sum + segment.documents - segment.deleted.length,
    0,
  );
  if (live !== snapshot.paragraphs) {
    throw corrupt(`its header counts ${snapshot.paragraphs} paragraphs but its segments hold ${live}`);
  }
  return snapshot;
}

function isSegmentEntry(value: unknown): value is SnapshotSegment {
  const segment = value as Partial<SnapshotSegment> | null;
  return (
    typeof segment === 'object' &&
    segment !== null &&
    typeof segment.file === 'string' &&
    /^segments\/[\w.-]+$/u.test(segment.file) &&
    Number.isInteger(segment.documents) &&
    Array.isArray(segment.deleted) &&
    segment.deleted.every((doc) => Number.isInteger(doc) && doc >= 0 && doc < segment.documents!)
  );
}

function checkHeader(value: unknown, expected: ExpectedHeader, file: string): Snapshot {
  const header = value as Partial<Snapshot> | null;
  if (typeof header !== 'object' || header === null || typeof header.position !== 'number') {
    throw new SnapshotError('corrupt', `snapshot ${file} is corrupt: it is not a snapshot file`);
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
  return header as Snapshot;
}
