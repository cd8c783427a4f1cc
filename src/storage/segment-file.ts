/** The segment file: a compact segment encoded, written durably, checked and decoded into shared memory. */
import { open } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import {
  COMPACT_ARRAYS,
  type CompactSegmentData,
  postingFrequency,
  postingLength,
  inSignatureUnits,
  inTokenUnits,
  TermList,
  wideSignatureRows,
  wholeTypes,
} from '../search/segments.js';
import { writeFileDurably } from '../platform/durable-file.js';
import { SnapshotError } from './snapshot.js';

/** Version of the segment file layout; bump it whenever the layout or the arrays change. */
export const SEGMENT_FORMAT_VERSION = 7;

/**
 * Formats still read (a file of any of them converted when read is copied out of its bytes):
 * - 6 holds documents' token types and signatures in 32-bit values, put in 16-bit units when read;
 * - 5 also holds its terms in a section of their own before the article ids (their text in UTF-16,
 *   then where each ends: the same two arrays), and its postings' frequencies and lengths in 16 bits,
 *   narrowed to bytes when read;
 * - 4 also lacks the postings' block bounds (`blockMaxFrequency`, `blockMinLength`), which its
 *   segments then compute when opened;
 * - 3 also holds its terms as JSON;
 * - 2 also lacks `docSignatures` (documents' near-duplicate signatures), which its segments then
 *   compute when asked for, and merges write.
 */
const READABLE_VERSIONS: readonly number[] = [2, 3, 4, 5, 6, SEGMENT_FORMAT_VERSION];

const MAGIC = 'ARSHIF-SEGMENT';
const END_MARK = Buffer.from('ARSHIF-SEGMENT-END', 'ascii');
/** The end of the file: the CRC-32 of every byte before it (4 bytes), then the end mark. */
const TRAILER_BYTES = 4 + END_MARK.length;
const ALIGNMENT = 8;

type ArrayName = (typeof COMPACT_ARRAYS)[number];
const ARRAY_TYPES = {
  Uint8Array,
  Uint16Array,
  Uint32Array,
  Int32Array,
  Float32Array,
} as const;
type ArrayType = keyof typeof ARRAY_TYPES;

/** Where each array lies in the file's body. */
interface SegmentFileHeader {
  magic: typeof MAGIC;
  formatVersion: number;
  documents: number;
  /**
   * Lengths in bytes of the sections before the arrays: the terms (none from format 6, where they are
   * two of the arrays; in formats 4 and 5, their text in UTF-16 followed by where each ends; before,
   * JSON) and the article ids (JSON).
   */
  termsBytes: number;
  articleIdsBytes: number;
  /** In formats 4 and 5: how many terms there are, and the length in bytes of their text. */
  termCount?: number;
  termTextBytes?: number;
  arrays: { name: ArrayName; type: ArrayType; offset: number; length: number }[];
}

const padding = (length: number) => (ALIGNMENT - (length % ALIGNMENT)) % ALIGNMENT;

/**
 * Encodes a compact segment as the bytes of a segment file.
 *
 * Layout: a JSON header line; zero padding to 8 bytes; the article ids as JSON; then every typed array
 * (the terms' among them) as it is in memory (little-endian, as every platform Node runs on), each
 * section starting on an 8-byte boundary; then the CRC-32 of all before it and an end mark. Loading makes
 * typed-array views over these bytes, copying nothing.
 */
export function encodeSegment(data: CompactSegmentData): Buffer {
  return Buffer.concat(segmentFileParts(data));
}

/**
 * The parts of a segment file, in order (see {@link encodeSegment}): the arrays as views of the
 * segment's own memory, not copies, so that a file is written without its bytes gathered first (ANT's
 * 160 MB of segments were copied twice over, a quarter of a second).
 */
function segmentFileParts(data: CompactSegmentData): Buffer[] {
  const articleIds = Buffer.from(JSON.stringify(data.articleIds), 'utf8');
  let offset = articleIds.length + padding(articleIds.length);
  const arrays = COMPACT_ARRAYS.map((name) => {
    const array = data[name];
    const entry = { name, type: array.constructor.name as ArrayType, offset, length: array.length };
    offset += array.byteLength + padding(array.byteLength);
    return entry;
  });
  const header: SegmentFileHeader = {
    magic: MAGIC,
    formatVersion: SEGMENT_FORMAT_VERSION,
    documents: data.docArticle.length,
    termsBytes: 0,
    articleIdsBytes: articleIds.length,
    arrays,
  };
  const head = Buffer.from(`${JSON.stringify(header)}\n`, 'utf8');
  const parts: Buffer[] = [head, Buffer.alloc(padding(head.length))];
  parts.push(articleIds, Buffer.alloc(padding(articleIds.length)));
  for (const name of COMPACT_ARRAYS) {
    const array = data[name];
    parts.push(
      Buffer.from(array.buffer, array.byteOffset, array.byteLength),
      Buffer.alloc(padding(array.byteLength)),
    );
  }
  let checksum = 0;
  // An empty part is skipped: over an empty array's memory, Node's crc32 starts again from 0.
  for (const part of parts) if (part.length > 0) checksum = crc32(part, checksum);
  const trailer = Buffer.alloc(4);
  trailer.writeUInt32LE(checksum);
  parts.push(trailer, END_MARK);
  return parts;
}

/** Writes a segment file durably (temporary file, sync, rename); returns its size in bytes. */
export async function writeSegmentFile(file: string, data: CompactSegmentData): Promise<number> {
  const parts = segmentFileParts(data);
  await writeFileDurably(file, parts);
  return parts.reduce((size, part) => size + part.length, 0);
}

/**
 * Decodes a segment file's bytes, checking them whole first.
 *
 * - Throws {@link SnapshotError}: `truncated` (no end mark) or `corrupt` (checksum, header, sizes).
 */
export function decodeSegment(bytes: Uint8Array, file: string): CompactSegmentData {
  const corrupt = (why: string) => new SnapshotError('corrupt', `segment ${file} is corrupt: ${why}`);
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.length < TRAILER_BYTES || !buffer.subarray(buffer.length - END_MARK.length).equals(END_MARK)) {
    throw new SnapshotError('truncated', `segment ${file} is truncated: it has no end mark`);
  }
  const bodyEnd = buffer.length - TRAILER_BYTES;
  if (crc32(buffer.subarray(0, bodyEnd)) !== buffer.readUInt32LE(bodyEnd)) {
    throw corrupt('its checksum does not match its content');
  }
  const newline = buffer.indexOf(0x0a);
  let header: SegmentFileHeader;
  try {
    header = JSON.parse(buffer.subarray(0, newline).toString('utf8')) as SegmentFileHeader;
  } catch {
    throw corrupt('its header is not JSON');
  }
  if (header.magic !== MAGIC || !READABLE_VERSIONS.includes(header.formatVersion)) {
    throw corrupt(`it is not a segment of format ${READABLE_VERSIONS.join(' or ')}`);
  }
  const bodyStart = newline + 1 + padding(newline + 1);
  // Views need their element alignment: copy once if the bytes do not start on an 8-byte boundary.
  const aligned =
    (buffer.byteOffset + bodyStart) % ALIGNMENT === 0 ? buffer : Buffer.from(new Uint8Array(buffer));
  const base = aligned.byteOffset + bodyStart;
  const json = (from: number, length: number) =>
    JSON.parse(aligned.subarray(bodyStart + from, bodyStart + from + length).toString('utf8')) as string[];
  if (bodyStart + header.termsBytes + header.articleIdsBytes > bodyEnd)
    throw corrupt('its terms run past the end');
  const data: Partial<CompactSegmentData> = {
    ...(header.formatVersion >= 6
      ? {}
      : header.formatVersion >= 4
        ? termSection(aligned, bodyStart, header, corrupt)
        : TermList.encode(json(0, header.termsBytes))),
    articleIds: json(header.termsBytes + padding(header.termsBytes), header.articleIdsBytes),
  };
  for (const { name, type, offset, length } of header.arrays) {
    const View = ARRAY_TYPES[type];
    if (View === undefined || !COMPACT_ARRAYS.includes(name)) throw corrupt(`unknown array ${name}`);
    if (bodyStart + offset + length * View.BYTES_PER_ELEMENT > bodyEnd)
      throw corrupt(`array ${name} runs past the end`);
    (data as Record<string, unknown>)[name] = new View(aligned.buffer as ArrayBuffer, base + offset, length);
  }
  // Before format 6, postings' frequencies and lengths were 16 bits: narrowed, and every array copied
  // out of the file's bytes, which would otherwise stay in memory for the wide arrays alone.
  const wide = header.formatVersion <= 5 && data.postingFreqs instanceof Uint16Array;
  if (wide) {
    data.postingFreqs = narrowed(data.postingFreqs as unknown as Uint16Array, postingFrequency);
    data.postingLengths = narrowed(data.postingLengths as unknown as Uint16Array, postingLength);
  }
  const { docTokenStart, docTokens } = data;
  if (
    !(docTokenStart instanceof Uint32Array && docTokenStart.length === header.documents + 1) ||
    !(docTokens instanceof (header.formatVersion <= 6 ? Uint32Array : Uint16Array)) ||
    !endsInOrder(docTokenStart, docTokens.length) ||
    (docTokens instanceof Uint16Array && !wholeTypes(docTokens))
  ) {
    throw corrupt('its documents do not match their tokens');
  }
  // Before format 7, token types were 32 bits each, and so were signatures' values.
  const wideTypes = docTokens instanceof Uint32Array;
  if (wideTypes) Object.assign(data, inTokenUnits(docTokenStart, docTokens));
  if (header.formatVersion === 2) data.docSignatures ??= new Uint16Array(0);
  const signatures = data.docSignatures as Uint16Array | Uint32Array | undefined;
  const wideSignatures = signatures instanceof Uint32Array;
  if (wideSignatures) {
    if (!wideSignatureRows(signatures, header.documents))
      throw corrupt('its signatures do not match its documents');
    data.docSignatures = inSignatureUnits(signatures);
  }
  if (header.formatVersion <= 4) {
    data.blockMaxFrequency ??= new Uint16Array(0);
    data.blockMinLength ??= new Uint16Array(0);
  }
  if (
    COMPACT_ARRAYS.some((name) => data[name] === undefined) ||
    data.docArticle!.length !== header.documents ||
    !(data.postingFreqs instanceof Uint8Array && data.postingLengths instanceof Uint8Array)
  ) {
    throw corrupt('its arrays do not match its header');
  }
  if (!endsInOrder(data.termEnds!, data.termText!.length)) throw corrupt('its terms do not match their text');
  if (wide || wideTypes || wideSignatures) return inSharedMemory(data as CompactSegmentData);
  return data as CompactSegmentData;
}

/**
 * The segment with its arrays in one SharedArrayBuffer: sent to the main thread, and from there to
 * search replicas, it is shared by all rather than copied into each.
 */
export function inSharedMemory(data: CompactSegmentData): CompactSegmentData {
  const align = (offset: number) => Math.ceil(offset / 8) * 8;
  let size = 0;
  for (const name of COMPACT_ARRAYS) size = align(size) + data[name].byteLength;
  const memory = new SharedArrayBuffer(align(size));
  const shared: Record<string, unknown> = { ...data };
  let offset = 0;
  for (const name of COMPACT_ARRAYS) {
    const array = data[name];
    offset = align(offset);
    const View = array.constructor as new (
      buffer: SharedArrayBuffer,
      offset: number,
      length: number,
    ) => typeof array;
    const view = new View(memory, offset, array.length);
    view.set(array as never);
    shared[name] = view;
    offset += array.byteLength;
  }
  return shared as unknown as CompactSegmentData;
}

/**
 * Postings' frequencies or lengths as a file before format 6 kept them (16 bits), as postings keep them
 * now (a byte).
 */
function narrowed(values: Uint16Array, narrow: (value: number) => number): Uint8Array {
  const bytes = new Uint8Array(values.length);
  for (let at = 0; at < values.length; at += 1) bytes[at] = narrow(values[at]!);
  return bytes;
}

/** Whether each term ends at or after the one before and the last where the text does. */
function endsInOrder(ends: Uint32Array, textLength: number): boolean {
  let start = 0;
  for (let index = 0; index < ends.length; index += 1) {
    if (ends[index]! < start) return false;
    start = ends[index]!;
  }
  return start === textLength;
}

/** The terms of a segment of format 4 or 5, from their section: their text, and where each ends. */
function termSection(
  aligned: Buffer,
  bodyStart: number,
  { termsBytes, termCount = 0, termTextBytes: textBytes = -1 }: SegmentFileHeader,
  corrupt: (why: string) => Error,
): Pick<CompactSegmentData, 'termText' | 'termEnds'> {
  if (
    textBytes < 0 ||
    textBytes % 2 !== 0 ||
    textBytes + padding(textBytes) + termCount * Uint32Array.BYTES_PER_ELEMENT !== termsBytes
  ) {
    throw corrupt('its terms do not match their count');
  }
  const termText = new Uint16Array(
    aligned.buffer as ArrayBuffer,
    aligned.byteOffset + bodyStart,
    textBytes / 2,
  );
  const termEnds = new Uint32Array(
    aligned.buffer as ArrayBuffer,
    aligned.byteOffset + bodyStart + textBytes + padding(textBytes),
    termCount,
  );
  return { termText, termEnds };
}

/**
 * Reads and decodes a segment file. Its bytes are read into shared memory, so that search threads use
 * the segment without a copy of their own.
 */
export async function readSegmentFile(file: string): Promise<CompactSegmentData> {
  let bytes: Uint8Array;
  try {
    bytes = await readShared(file);
  } catch (error) {
    // The snapshot names it, so a missing segment is a damaged snapshot, not a missing one.
    throw new SnapshotError('corrupt', `cannot read segment ${file}: ${(error as Error).message}`);
  }
  return decodeSegment(bytes, file);
}

/** A whole file's bytes in a SharedArrayBuffer. */
async function readShared(file: string): Promise<Uint8Array> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const bytes = new Uint8Array(new SharedArrayBuffer(size));
    for (let at = 0; at < size;) {
      const { bytesRead } = await handle.read(bytes, at, size - at, at);
      if (bytesRead === 0) break;
      at += bytesRead;
    }
    return bytes;
  } finally {
    await handle.close();
  }
}
