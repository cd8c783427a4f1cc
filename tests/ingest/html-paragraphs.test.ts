import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { htmlParagraphs, looksLikeHtml } from '../../src/ingest/html-paragraphs.js';

describe('HTML bodies into paragraphs', () => {
  it.each([
    ['paragraphs', '<p>الفقرة الأولى</p><p>الفقرة الثانية</p>', ['الفقرة الأولى', 'الفقرة الثانية']],
    [
      'two <br> in a row end a paragraph, one is a line break',
      'سطر<br>ثان<br/><br>فقرة',
      ['سطر\nثان', 'فقرة'],
    ],
    [
      'headings, list items and block quotes',
      '<h2>العنوان</h2><ul><li>أولا</li><li>ثانيا</li></ul><blockquote>«قال»</blockquote>',
      ['العنوان', 'أولا', 'ثانيا', '«قال»'],
    ],
    [
      'inline elements join the paragraph',
      '<p>ارتفعت <b>أسعار</b> <a href="/x">النفط</a> اليوم</p>',
      ['ارتفعت أسعار النفط اليوم'],
    ],
    [
      'scripts, styles and comments dropped',
      '<style>p{}</style><p>نص<!-- تعليق --> ظاهر</p><script>alert("x")</script>',
      ['نص ظاهر'],
    ],
    [
      'entities decoded',
      '<p>&laquo;الأمن&raquo; &amp; &#1575;&#x644;&nbsp;سلام</p>',
      ['«الأمن» & ال\u00a0سلام'],
    ],
    [
      'direction marks and diacritics kept exactly',
      '<p dir="rtl">\u200fقَالَ الوزيرُ\u200e (AP)</p>',
      ['\u200fقَالَ الوزيرُ\u200e (AP)'],
    ],
    ['white space collapsed as a browser does', '<p>\n  كلمة\t\tأخرى \n</p>', ['كلمة أخرى']],
    ['text around blocks', 'قبل<div>وسط</div>بعد', ['قبل', 'وسط', 'بعد']],
    ['unclosed tags, as browsers read them', '<p>أولى<p>ثانية', ['أولى', 'ثانية']],
    ['empty blocks give nothing', '<p> </p><div><br></div><p>نص</p>', ['نص']],
  ])('%s', (_name, html, paragraphs) => {
    expect(htmlParagraphs(html)).toEqual(paragraphs);
  });

  it('never throws, and gives no blank paragraph and no markup of its tags, whatever it is given', () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom('<p>', '</p>', '<br>', '<b>', 'نص', ' ', '\n', '&amp;', '<', '>', 'x'),
          maxLength: 40,
        }),
        (html) => {
          const paragraphs = htmlParagraphs(html);
          for (const paragraph of paragraphs) {
            expect(paragraph.trim()).not.toBe('');
            expect(paragraph).not.toMatch(/<\/?(?:p|br|b)>/u);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('tells HTML bodies from plain text', () => {
    expect(looksLikeHtml('<p>نص</p>')).toBe(true);
    expect(looksLikeHtml('سطر<br/>سطر')).toBe(true);
    expect(looksLikeHtml('<P class="x">نص')).toBe(true);
    expect(looksLikeHtml('السعر < 5 دولارات و> 3')).toBe(false);
    expect(looksLikeHtml('الفقرة الأولى\n\nالثانية')).toBe(false);
    expect(looksLikeHtml('<pre>')).toBe(false);
  });
});
