/** The articles of a write request's body: our format as it is, ninjs items converted. */
import { ArshifError } from '../errors.js';
import { parseArticle } from '../article/article.js';
import { isNinjsItem, ninjsToArticle } from '../ingest/ninjs.js';

/** Articles of a write's body (one value or an array), ninjs items converted, and the items skipped. */
export interface IncomingArticles {
  articles: unknown[];
  /** Items without a text body, by their place in the body (1-based) and uri. */
  skipped: { item: number; uri: string; reason: string }[];
}

/**
 * The articles of a request body: each value in our article format as it is, each ninjs item (every
 * one when `ninjs`, else those of ninjs shape: a `uri` or `guid` and no `id`) converted. Throws
 * `INVALID_ARTICLE` naming an item that is not one (by place, 1-based, and uri).
 */
export function incomingArticles(body: unknown, ninjs: boolean): IncomingArticles {
  const values = Array.isArray(body) ? body : [body];
  const articles: unknown[] = [];
  const skipped: IncomingArticles['skipped'] = [];
  values.forEach((value, index) => {
    const item = ninjs || isNinjsItem(value);
    // Named by its place in the body as sent, which skipped items would shift among the articles kept.
    const named = (error: unknown) => {
      if (!(error instanceof ArshifError)) return error;
      const kind = item ? 'ninjs item' : 'article';
      const place = values.length === 1 ? `the ${kind}` : `${kind} ${index + 1} of ${values.length}`;
      // An item is known by its uri, else its guid (as ninjs 1.x names it); an article by its id.
      const fields = value as { uri?: unknown; guid?: unknown; id?: unknown } | null;
      const [field, name] = !item
        ? ['id', fields?.id]
        : typeof fields?.uri === 'string' && fields.uri.trim() !== ''
          ? ['uri', fields.uri]
          : ['guid', fields?.guid];
      const id = typeof name === 'string' && name.trim() !== '' ? ` (${field} "${name.slice(0, 80)}")` : '';
      return new ArshifError(error.code, `${place}${id}: ${error.message}`);
    };
    try {
      if (!item) {
        parseArticle(value);
        articles.push(value);
        return;
      }
      const converted = ninjsToArticle(value);
      if ('skipped' in converted) {
        skipped.push({ item: index + 1, uri: converted.uri, reason: converted.skipped });
        return;
      }
      parseArticle(converted.article);
      articles.push(converted.article);
    } catch (error) {
      throw named(error);
    }
  });
  return { articles, skipped };
}
