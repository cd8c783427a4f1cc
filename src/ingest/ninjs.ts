/** IPTC ninjs items (1.x to 3.x) converted to articles of our format. */
import { ArshifError } from '../errors.js';
import { htmlParagraphs } from './html-paragraphs.js';

/**
 * IPTC ninjs ("News in JSON") items, 1.x to 3.x, as our article format: what wire agencies and newsroom
 * systems (Superdesk) deliver. Field names changed between versions (1.x `headline`, `body_html`,
 * `versioncreated`; 2.x `headlines[]`, `bodies[]`; 3.x camelCase `versionCreated`, `copyrightHolder`),
 * so each value is looked up under every name it has had.
 */

/**
 * An item's conversion: an article in our format (validated later, as any), or why it was skipped and
 * the item's identifier.
 */
export type NinjsConversion = { article: Record<string, unknown> } | { skipped: string; uri: string };

type Item = Record<string, unknown>;

/** The first of these fields that holds a non-blank string. */
function firstString(item: Item, ...fields: string[]): string | undefined {
  for (const field of fields) {
    const value = item[field];
    if (typeof value === 'string' && value.trim() !== '') return value;
  }
  return undefined;
}

/** The objects of an array field, or none. */
function objects(value: unknown): Item[] {
  return Array.isArray(value)
    ? value.filter((entry): entry is Item => typeof entry === 'object' && entry !== null)
    : [];
}

/** The entry of `headlines`/`bodies` with the role `main`, else the first, of those `accept`s. */
function byRole(entries: Item[], accept: (entry: Item) => boolean): Item | undefined {
  const usable = entries.filter((entry) => typeof entry.value === 'string' && accept(entry));
  return usable.find((entry) => entry.role === 'main') ?? usable[0];
}

const isHtmlType = (type: unknown) => typeof type === 'string' && /html|xml/iu.test(type);

/**
 * The item's text body as HTML or as plain text: HTML is preferred, whose paragraphs are marked up
 * (1.x `body_html`/`body_xhtml`/`body_richtext` over `body_text`/`body_main`; 2.x and 3.x the `bodies`
 * entry of an HTML content type over a `text/plain` one).
 */
function bodyOf(item: Item): { html: string } | { text: string } | undefined {
  const bodies = objects(item.bodies);
  const html =
    firstString(item, 'body_html', 'body_xhtml', 'body_richtext') ??
    (byRole(bodies, (entry) => isHtmlType(entry.contentType ?? entry.contenttype))?.value as
      string | undefined);
  if (html !== undefined && html.trim() !== '') return { html };
  const text =
    firstString(item, 'body_text', 'body_main') ??
    (byRole(bodies, (entry) => !isHtmlType(entry.contentType ?? entry.contenttype))?.value as
      string | undefined);
  if (text !== undefined && text.trim() !== '') return { text };
  return undefined;
}

function headlineOf(item: Item): string | undefined {
  return (
    firstString(item, 'headline', 'headline_main', 'headline_simple') ??
    (byRole(objects(item.headlines), () => true)?.value as string | undefined)
  );
}

/** The provider or the copyright holder, as a name: the outlet an article is filed under. */
function sourceOf(item: Item): string | undefined {
  for (const field of ['provider', 'copyrightholder', 'copyrightHolder']) {
    const value = item[field];
    if (typeof value === 'string' && value.trim() !== '') return value;
    if (typeof value === 'object' && value !== null) {
      const name = (value as Item).name;
      if (typeof name === 'string' && name.trim() !== '') return name;
    }
  }
  return undefined;
}

/** The names (or, lacking one, the codes or URIs) of `subjects` or `genres`. */
function names(value: unknown): string[] | undefined {
  const found = objects(value)
    .map((entry) => entry.name ?? entry.code ?? entry.uri)
    .filter((name): name is string => typeof name === 'string' && name.trim() !== '');
  return found.length > 0 ? found : undefined;
}

/** Whether a value has the shape of a ninjs item rather than of our article format. */
export function isNinjsItem(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const item = value as Item;
  return item.id === undefined && (typeof item.uri === 'string' || typeof item.guid === 'string');
}

/**
 * Converts one ninjs item to an article of our format.
 *
 * - `uri` (or `guid`) → `id`; the main headline → `title`; the HTML body split into paragraphs (or the
 *   text body, on blank lines) → `paragraphs`, the HTML kept in `html`; `versioncreated`, else
 *   `firstcreated`, else `contentcreated` (either spelling) → `published`; the provider or copyright
 *   holder → `source`; `version`, `language`, the names of `subjects` and `genres` kept.
 * - An item without a text body (a picture, audio, a video, an event) is skipped, with the reason.
 * - Throws `INVALID_ARTICLE` for what is not a ninjs item (not an object, no `uri`).
 */
export function ninjsToArticle(value: unknown): NinjsConversion {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ArshifError('INVALID_ARTICLE', 'a ninjs item must be a JSON object');
  }
  const item = value as Item;
  const id = firstString(item, 'uri', 'guid');
  if (id === undefined) {
    throw new ArshifError('INVALID_ARTICLE', 'a ninjs item needs "uri" (or "guid"), its identifier');
  }
  const body = bodyOf(item);
  if (body === undefined) {
    const type = typeof item.type === 'string' ? item.type : 'untyped';
    return { skipped: `${type} item without a text body`, uri: id };
  }
  const article: Record<string, unknown> = { id, title: headlineOf(item) ?? '' };
  const published = firstString(
    item,
    'versioncreated',
    'versionCreated',
    'firstcreated',
    'firstCreated',
    'contentcreated',
    'contentCreated',
  );
  if (published !== undefined) article.published = published;
  const source = sourceOf(item);
  if (source !== undefined) article.source = source;
  if ('html' in body) {
    article.html = body.html;
    article.paragraphs = htmlParagraphs(body.html);
  } else {
    article.body = body.text;
  }
  const version = item.version;
  if (typeof version === 'string' || typeof version === 'number') article.version = String(version);
  const language = firstString(item, 'language');
  if (language !== undefined) article.language = language;
  const subjects = names(item.subjects ?? item.subject);
  if (subjects !== undefined) article.subjects = subjects;
  const genres = names(item.genres ?? item.genre);
  if (genres !== undefined) article.genres = genres;
  return { article };
}

/** Content types that say a body holds ninjs items, whatever their shape. */
export const NINJS_CONTENT_TYPES = ['application/ninjs+json', 'application/vnd.iptc.ninjs+json'] as const;
