import { describe, expect, it } from 'vitest';
import { BodyEncodingError, charsetOf, decodeBody } from '../../src/http/body-encoding.js';

/** `{"title":"سلام عليكم"}` as a Windows-1256 newsroom feed sends it, byte by byte from the code page. */
const WINDOWS_1256_BODY = Buffer.from([
  ...Buffer.from('{"title":"'),
  ...[0xd3, 0xe1, 0xc7, 0xe3], // سلام
  0x20,
  ...[0xda, 0xe1, 0xed, 0xdf, 0xe3], // عليكم
  ...Buffer.from('"}'),
]);

/** The body's text up to a bad byte, the bad bytes, then the rest: returns the body and the bad byte's offset. */
function withBadBytes(before: string, bad: number[], after: string): { body: Buffer; offset: number } {
  const head = Buffer.from(before);
  return { body: Buffer.concat([head, Buffer.from(bad), Buffer.from(after)]), offset: head.length };
}

/** The error `decodeBody` throws for this body. */
function refusal(body: Buffer, contentType?: string): BodyEncodingError {
  try {
    decodeBody(body, contentType);
  } catch (error) {
    expect(error).toBeInstanceOf(BodyEncodingError);
    return error as BodyEncodingError;
  }
  throw new Error('expected a BodyEncodingError, nothing was thrown');
}

describe('charsetOf', () => {
  it.each([
    ['no header', undefined, undefined],
    ['empty', '', undefined],
    ['no charset parameter', 'application/json', undefined],
    ['a charset, lower-cased', 'application/json; charset=UTF-8', 'utf-8'],
    ['quoted', 'application/json; charset="Windows-1256"', 'windows-1256'],
    ['spaces around =', 'application/json ;charset = cp1256', 'cp1256'],
    ['after another parameter', 'application/ninjs+json; version=3; charset=utf8', 'utf8'],
  ])('%s', (_rule, contentType, expected) => {
    expect(charsetOf(contentType)).toBe(expected);
  });
});

describe('decodeBody', () => {
  const JSON_TEXT = '{"id":"خبر-1","title":"ارتفاع أسعار النفط"}';

  it.each([
    ['an empty body', Buffer.alloc(0), undefined, ''],
    ['UTF-8 without a label', Buffer.from(JSON_TEXT), undefined, JSON_TEXT],
    ['UTF-8 labelled utf-8', Buffer.from(JSON_TEXT), 'application/json; charset=utf-8', JSON_TEXT],
    ['UTF-8 labelled utf8', Buffer.from(JSON_TEXT), 'application/json; charset=UTF8', JSON_TEXT],
    ['ASCII, unchanged', Buffer.from('{"id":"a1"}'), 'application/json', '{"id":"a1"}'],
    [
      'UTF-8 with its byte-order mark, which is dropped',
      Buffer.from(`\uFEFF${JSON_TEXT}`),
      undefined,
      JSON_TEXT,
    ],
    [
      'Windows-1256 labelled windows-1256',
      WINDOWS_1256_BODY,
      'application/json; charset=windows-1256',
      '{"title":"سلام عليكم"}',
    ],
    [
      'Windows-1256 labelled cp1256',
      WINDOWS_1256_BODY,
      'application/json; charset=cp1256',
      '{"title":"سلام عليكم"}',
    ],
    [
      'a U+FFFD the sender wrote, kept',
      Buffer.from('{"title":"نص \uFFFD"}'),
      undefined,
      '{"title":"نص \uFFFD"}',
    ],
  ])('decodes %s', (_rule, body, contentType, expected) => {
    expect(decodeBody(body, contentType)).toBe(expected);
  });

  it.each([
    ['iso-8859-6', 'application/json; charset=ISO-8859-6'],
    ['utf-16', 'application/json; charset=utf-16'],
    ['latin1', 'application/json; charset="latin1"'],
  ])('refuses charset %s with 415, naming it', (charset, contentType) => {
    const error = refusal(Buffer.from(JSON_TEXT), contentType);
    expect(error.statusCode).toBe(415);
    expect(error.message).toBe(
      `charset "${charset}" is not supported: send UTF-8 (or label Windows-1256 as charset=windows-1256)`,
    );
  });

  it.each([
    ['one article', withBadBytes('{"id":"خبر-1","title":"', [0xff], '"}'), ', in article 1 (id "خبر-1")'],
    [
      'the second article of an array',
      withBadBytes('[{"id":"أ","title":"سلام"},{"id":"ب","title":"', [0xc3, 0x28], '"}]'),
      ', in article 2 (id "ب")',
    ],
    ['an article without an id', withBadBytes('{"title":"', [0x80], '"}'), ', in article 1'],
    ['a body that is not JSON', withBadBytes('عنوان ', [0xfe], ' نص'), ''],
    ['a sequence cut short at the end', withBadBytes('{"id":"س"}', [0xd8], ''), ''],
    [
      'after a U+FFFD the sender wrote',
      withBadBytes('{"id":"خبر-2","title":"\uFFFD ', [0xff], '"}'),
      ', in article 1 (id "خبر-2")',
    ],
    [
      'an article after one holding a U+FFFD the sender wrote',
      withBadBytes('[{"id":"أ","title":"\uFFFD"},{"id":"ب","title":"', [0xff], '"}]'),
      ', in article 2 (id "ب")',
    ],
  ])('refuses invalid UTF-8 in %s with 400, naming the first bad byte', (_rule, { body, offset }, where) => {
    const error = refusal(body, 'application/json');
    expect(error.statusCode).toBe(400);
    expect(error.message).toBe(`the body is not valid UTF-8: byte ${offset}${where}`);
  });

  it('names an id holding the bad byte with ? in its place, cut to 80 characters', () => {
    const { body, offset } = withBadBytes(`{"id":"${'خ'.repeat(100)}`, [0xff], '"}');
    const error = refusal(body);
    expect(error.message).toBe(
      `the body is not valid UTF-8: byte ${offset}, in article 1 (id "${'خ'.repeat(80)}")`,
    );
    const short = withBadBytes('{"id":"خبر', [0xff], '"}');
    expect(refusal(short.body).message).toBe(
      `the body is not valid UTF-8: byte ${short.offset}, in article 1 (id "خبر?")`,
    );
  });

  it('reads bytes that are invalid UTF-8 as Windows-1256 when so labelled', () => {
    const { body } = withBadBytes('{"title":"', [0xd3, 0xe1, 0xc7, 0xe3], '"}');
    expect(() => decodeBody(body, undefined)).toThrow(BodyEncodingError);
    expect(decodeBody(body, 'application/json; charset=windows-1256')).toBe('{"title":"سلام"}');
  });
});
