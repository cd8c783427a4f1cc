/**
 * Charsets a JSON body may declare, by their names in `Content-Type` (lower case), and the decoder's
 * name. UTF-8 is JSON's own (RFC 8259); Windows-1256 is still what many Arabic newsroom feeds send, and
 * is converted exactly (a label says which it is; a body is never guessed).
 */
const CHARSETS: Readonly<Record<string, string>> = {
  'utf-8': 'utf-8',
  utf8: 'utf-8',
  'windows-1256': 'windows-1256',
  cp1256: 'windows-1256',
};

/** An error that the app answers with this status and code (see `handleError`). */
export class BodyEncodingError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

/** The `charset` parameter of a `Content-Type` header, lower case, or `undefined`. */
export function charsetOf(contentType: string | undefined): string | undefined {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/iu.exec(contentType ?? '');
  return match?.[1]?.toLowerCase();
}

/**
 * The text of a JSON body in the charset its `Content-Type` declares (UTF-8 when none).
 *
 * - A charset other than UTF-8 and Windows-1256: 415, naming it.
 * - Bytes that are not valid UTF-8: 400, naming the first bad byte's offset and, when the rest can be
 *   read, the article holding it (counted from 1, with its id): such text would be stored as U+FFFD.
 */
export function decodeBody(body: Buffer, contentType: string | undefined): string {
  const declared = charsetOf(contentType);
  const charset = declared === undefined ? 'utf-8' : CHARSETS[declared];
  if (charset === undefined) {
    throw new BodyEncodingError(
      415,
      `charset "${declared}" is not supported: send UTF-8 (or label Windows-1256 as charset=windows-1256)`,
    );
  }
  try {
    return new TextDecoder(charset, { fatal: true, ignoreBOM: false }).decode(body);
  } catch {
    throw new BodyEncodingError(400, `the body is not valid UTF-8: ${whereInvalid(body)}`);
  }
}

/** Where the first invalid UTF-8 sequence of a body is: its byte offset, and its article if it can tell. */
function whereInvalid(body: Buffer): string {
  const text = new TextDecoder('utf-8').decode(body);
  // The first U+FFFD the decoder put in place of bad bytes (one written as EF BF BD is the sender's own).
  let offset = 0;
  let bad = 0;
  for (let from = 0; ;) {
    const at = text.indexOf('\uFFFD', from);
    if (at < 0) break;
    offset = Buffer.byteLength(text.slice(0, at));
    bad = at;
    if (!(body[offset] === 0xef && body[offset + 1] === 0xbf && body[offset + 2] === 0xbd)) break;
    from = at + 1;
  }
  const place = `byte ${offset}`;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return place;
  }
  const articles = Array.isArray(value) ? value : [value];
  const at = Array.isArray(value) ? elementAt(text, bad) : 0;
  if (articles[at] === undefined) return place;
  const id = (articles[at] as { id?: unknown } | null)?.id;
  const named = typeof id === 'string' ? ` (id "${id.replaceAll('\uFFFD', '?').slice(0, 80)}")` : '';
  return `${place}, in article ${at + 1}${named}`;
}

/**
 * Which element of the top-level JSON array holds the character at `position` of its text: commas at
 * depth 1, outside strings, before it.
 */
function elementAt(text: string, position: number): number {
  let depth = 0;
  let element = 0;
  let inString = false;
  let escaped = false;
  for (let index = 0; index < position; index += 1) {
    const char = text[index];
    if (inString) {
      if (escaped) escaped = false;
      else if (char === '\\') escaped = true;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '[' || char === '{') depth += 1;
    else if (char === ']' || char === '}') depth -= 1;
    else if (char === ',' && depth === 1) element += 1;
  }
  return element;
}
