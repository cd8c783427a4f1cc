/** RSS and Atom feeds read as articles of our format, with the entries that could not become one. */
import { createHash } from 'node:crypto';
import { parseFeed } from '@rowanmanning/feed-parser';
import { ArshifError } from '../errors.js';
import { looksLikeHtml } from './html-paragraphs.js';

/** An entry of a feed, as an article of our format (validated later, as any), with what identifies it. */
export interface FeedEntry {
  /** The entry's id (`guid`, Atom `id`), else its link: the article's id. */
  key: string;
  /** A digest of what the entry says: it changes when the entry is edited. */
  fingerprint: string;
  article: Record<string, unknown>;
}

/** A feed's entries, and those that could not become articles (no id, no text), with why. */
export interface ParsedFeed {
  title: string | undefined;
  entries: FeedEntry[];
  unusable: string[];
}

/**
 * The entries of an RSS 2.0 or Atom feed as articles, parsed by @rowanmanning/feed-parser: the entry's
 * full content when the feed has it (`content:encoded`, Atom `content`), otherwise its summary; HTML
 * is split into paragraphs and kept. The feed's title is the source; the entry's update time (or
 * publication) its version, so an edited entry replaces the older one and never the reverse.
 *
 * Throws `ArshifError('BAD_PARAMETER')` when the text is not a feed at all.
 */
export function parseFeedEntries(xml: string): ParsedFeed {
  let feed: ReturnType<typeof parseFeed>;
  try {
    feed = parseFeed(xml);
  } catch (error) {
    throw new ArshifError('BAD_PARAMETER', `not an RSS or Atom feed: ${(error as Error).message}`);
  }
  const title = feed.title?.trim() || undefined;
  const entries: FeedEntry[] = [];
  const unusable: string[] = [];
  for (const [index, item] of feed.items.entries()) {
    const key = item.id?.trim() || item.url?.trim();
    const text = item.content?.trim() || item.description?.trim();
    if (key === undefined) {
      unusable.push(`entry ${index + 1}: no id and no link`);
      continue;
    }
    if (text === undefined) {
      unusable.push(`entry ${index + 1} (${key}): no content and no summary`);
      continue;
    }
    const published = item.published ?? item.updated;
    const updated = item.updated ?? item.published;
    const article: Record<string, unknown> = {
      id: key,
      title: item.title?.trim() ?? '',
      ...(published ? { published: published.toISOString() } : {}),
      ...(title ? { source: title } : {}),
      ...(item.url ? { url: item.url } : {}),
      ...(updated ? { version: updated.toISOString() } : {}),
      ...(looksLikeHtml(text) ? { html: text } : { body: text }),
    };
    const fingerprint = createHash('sha256')
      .update(JSON.stringify([article.title, text, article.version ?? null]))
      .digest('base64url')
      .slice(0, 22);
    entries.push({ key, fingerprint, article });
  }
  return { title, entries, unusable };
}
