import { describe, expect, it } from 'vitest';
import { CompactSegment } from '../../../src/search/segment/compact-segment.js';
import { buildCompactSegment } from '../../../src/search/segment/segment-writer.js';
import {
  inSignatureUnits,
  SIGNATURE_UNITS,
  signatureOfWords,
  writeSignature,
} from '../../../src/search/segment/signatures.js';

/** A row as writeSignature fills it, of words as the index keeps them. */
const row = (words: string[]) => {
  const values = new Uint16Array(SIGNATURE_UNITS);
  writeSignature(words, values);
  return [...values];
};

describe('writeSignature', () => {
  // Segment files keep these values, and a page compares signatures of old and new segments: how they
  // are computed may change, never what they are. Files before format 7 hold them in 32-bit values,
  // these; their low 16 bits, and the words' hash in four units, are the rows of now.
  const heldBefore = (values: number[]) => [...inSignatureUnits(Uint32Array.from(values))];
  it('writes the values that segments on disk hold', () => {
    expect(row(['ارتفع', 'اسعار', 'النفط', 'في', 'الاسواق', 'العالميه'])).toEqual(
      heldBefore([
        199437159, 253602519, 1237533393, 1474623685, 806223941, 2886797397, 912632843, 626342546, 149749338,
        2568094587, 722692474, 1206730511, 533043390, 539514987, 1008902922, 200514464, 663765181, 278035598,
        809306026, 417883948, 2981145037, 1670601891,
      ]),
    );
    expect(row(['النفط'])).toEqual(
      heldBefore([
        2324781512, 1213340955, 4263046697, 3381844928, 2098967804, 1888601088, 639769848, 2312759281,
        1022423215, 1674024740, 3583485360, 4259239289, 3579837603, 1390166963, 299490117, 2264764776,
        2505945102, 1959059206, 2667280206, 1528384067, 2694195276, 3615526550,
      ]),
    );
    expect(row([])).toEqual(
      heldBefore([
        2388540327, 1940861560, 625328111, 1923178716, 140439513, 518512158, 1497377592, 1165073336,
        1806901567, 3778276383, 1224405682, 796195484, 3718364998, 985150841, 1865957739, 2226470895,
        2475206034, 2928844735, 814314999, 1555742399, 0, 0,
      ]),
    );
    expect(row(['النفط'])).toEqual([
      0x59c8, 0x1d1b, 0xee29, 0xdbc0, 0xb4fc, 0xc400, 0x1cf8, 0xe7f1, 0xf0af, 0x9724, 0xa5b0, 0xd579, 0xfca3,
      0x43b3, 0xdb45, 0x9168, 0xb00e, 0xdf06, 0x774e, 0x4a43, 0xa096, 0x284c, 0xd780, 0x8e96,
    ]);
  });

  it('writes a row whatever paragraphs it wrote before, long or short, and at an offset', () => {
    const long = Array.from({ length: 600 }, (_, at) => `كلمة${at}`);
    const short = ['ارتفع', 'اسعار', 'النفط'];
    const alone = row(short);
    row(long);
    const values = new Uint16Array(3 * SIGNATURE_UNITS).fill(7);
    writeSignature(short, values, SIGNATURE_UNITS);
    expect([...values.subarray(SIGNATURE_UNITS, 2 * SIGNATURE_UNITS)]).toEqual(alone);
    expect([...values.subarray(0, SIGNATURE_UNITS), ...values.subarray(2 * SIGNATURE_UNITS)]).toEqual(
      new Array(2 * SIGNATURE_UNITS).fill(7),
    );
    expect(row(long)).not.toEqual(alone);
  });

  it('writes the row of the first `count` words, the rest left from a longer paragraph', () => {
    for (const words of [[], ['النفط'], ['اسعار', 'النفط'], ['ارتفع', 'اسعار', 'النفط', 'في', 'الاسواق']]) {
      const counted = new Uint16Array(SIGNATURE_UNITS);
      writeSignature([...words, 'زائدة', 'كلمات'], counted, 0, words.length);
      expect([...counted], words.join(' ')).toEqual(row(words));
    }
  });

  it("a built segment keeps each paragraph's signature of its exact words, whatever their stems", () => {
    const paragraphs = [
      'أعلنت الحكومات عن المشاريع الجديدة في المدن الساحلية',
      'والمستشفيات استقبلت المصابين',
      'نص',
      'الوزارات تعلن الخطط',
    ];
    const segment = new CompactSegment(
      buildCompactSegment([{ id: 'a', title: 'عناوين الأخبار', paragraphs }], {}),
    );
    for (let doc = 0; doc < segment.size; doc += 1) {
      const { words, minHashes } = segment.signature(doc);
      const expected = signatureOfWords(segment.exactWords(doc));
      expect({ words, minHashes: [...minHashes] }, paragraphs[doc]).toEqual({
        words: expected.words,
        minHashes: [...expected.minHashes],
      });
    }
  });
});
