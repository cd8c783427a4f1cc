/** HTML bodies split into the paragraphs a reader sees, and the test for a body being HTML. */
import type { ChildNode } from 'domhandler';
import { parseDocument } from 'htmlparser2';

/**
 * Elements whose content is a paragraph of its own: block-level text containers. Their inline content
 * (links, emphasis, spans) joins the paragraph around it.
 */
const BLOCKS = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'caption',
  'dd',
  'details',
  'div',
  'dl',
  'dt',
  'figcaption',
  'figure',
  'footer',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'li',
  'main',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'summary',
  'table',
  'td',
  'th',
  'tr',
  'ul',
]);

/** Elements whose content is not text a reader sees. */
const DROPPED = new Set([
  'script',
  'style',
  'template',
  'noscript',
  'head',
  'title',
  'iframe',
  'object',
  'svg',
]);

/**
 * HTML's inter-element white space (ASCII only, as the HTML standard defines it): collapsed to one
 * space. Direction marks (U+200E, U+200F, U+061C), no-break spaces and zero-width joiners are text
 * and are kept exactly.
 */
const HTML_SPACE = /[\t\n\f\r ]+/gu;

/**
 * Splits an HTML body into paragraphs, as a reader sees them: each `<p>`, heading, list item, block
 * quote, table cell and other block is one; two `<br>` in a row end one too (a single `<br>` is a line
 * break inside it). Scripts, styles and comments are dropped, entities decoded, white space collapsed
 * as a browser does; the text itself, Arabic and its direction marks included, is kept exactly.
 *
 * Parsed by htmlparser2, which accepts any input (unclosed tags, stray `<`) as browsers do, never throws.
 *
 * @example htmlParagraphs('<p>الأولى</p><p>الثانية<br><br>الثالثة</p>') // → ['الأولى', 'الثانية', 'الثالثة']
 */
export function htmlParagraphs(html: string): string[] {
  const paragraphs: string[] = [];
  let current = '';
  let breaks = 0;
  const flush = () => {
    const text = current
      .split('\n')
      .map((line) => line.replace(HTML_SPACE, ' ').trim())
      .filter((line) => line !== '')
      .join('\n');
    if (text !== '') paragraphs.push(text);
    current = '';
    breaks = 0;
  };
  const walk = (nodes: readonly ChildNode[], preformatted: boolean) => {
    for (const node of nodes) {
      if (node.type === 'text') {
        if (preformatted) {
          current += node.data;
        } else {
          if (node.data.trim() !== '' && breaks > 0) breaks = 0;
          current += node.data.replace(/[\t\n\f\r]/gu, ' ');
        }
      } else if (node.type === 'tag' || node.type === 'script' || node.type === 'style') {
        const name = node.name.toLowerCase();
        if (DROPPED.has(name)) continue;
        if (name === 'br') {
          breaks += 1;
          if (breaks >= 2) flush();
          else current += '\n';
          continue;
        }
        if (BLOCKS.has(name)) {
          flush();
          walk(node.children, preformatted || name === 'pre');
          flush();
        } else {
          walk(node.children, preformatted);
        }
      } else if (node.type === 'root' || node.type === 'cdata') {
        walk(node.children, preformatted);
      }
    }
  };
  walk(parseDocument(html, { decodeEntities: true, lowerCaseTags: true }).children, false);
  flush();
  return paragraphs;
}

/**
 * Whether a body is HTML rather than plain text: it holds a paragraph-level tag (`<p>`, `<br>`, `<div>`,
 * a heading, a list item or a block quote). Plain news text never does; a stray `<` does not count.
 */
export function looksLikeHtml(body: string): boolean {
  return /<(?:p|br|div|h[1-6]|li|blockquote)\b[^<>]*\/?>/iu.test(body);
}
