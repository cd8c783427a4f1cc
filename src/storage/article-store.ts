/** The article store's interface: what the archive needs of its source of truth, whichever database holds it. */
import type { Article, ArticleFacts, ArticleParagraph } from '../article/article.js';
import type { VectorSimilarity } from '../search/engine.js';

/** The store as of one moment, see {@link ArticleStore.read}. */
export interface StoreState {
  /** Position of the latest write included. */
  position: number;
  /** The facts of every stored article, oldest write first. */
  facts: ArticleFacts[];
  /** The articles added or replaced after the position asked about, oldest write first. */
  changed: Article[];
}

/** A write to the store: articles to add or replace, or an article to remove. */
export type StoreWrite = { put: readonly Article[] } | { remove: string };

/** What a write did: the store position after it; for a removal, whether the article was stored. */
export interface StoreWriteOutcome {
  position: number;
  removed?: boolean;
}

/** The dimension of the stored vectors, once the first is stored, and how they are compared. */
export interface VectorSettings {
  dimensions?: number;
  similarity?: VectorSimilarity;
}

/**
 * Where articles live: the source of truth an archive's index is built from and brought up to date with
 * (`SqliteStore` on one machine).
 *
 * - Every write gets the next position, after every earlier one; {@link read} tells what changed after
 *   a position, which is how a snapshot of the index is brought up to date.
 * - Reads are synchronous: a hit's text is read while a search answers.
 */
export interface ArticleStore {
  /** Made when the store is created: a snapshot records it, so one of another archive is never used. */
  readonly storeId: string;
  /** Position of the latest write; 0 for an empty store. */
  position(): number;
  /** Applies writes in order, each durably; returns what each did. */
  writeAll(writes: readonly StoreWrite[]): StoreWriteOutcome[];
  /** The store as of one moment: every article's facts, its position, the articles changed after `since`. */
  read(since?: number): StoreState;
  /** The stored article, or `undefined`. */
  article(id: string): Article | undefined;
  /**
   * One paragraph of a stored article with its title and date, read without decoding the whole article:
   * `undefined` when there is no such article or paragraph.
   */
  paragraph(id: string, para: number): ArticleParagraph | undefined;
  /** A stored article's vectors, one per paragraph (`null` for none), or `undefined` when it has none. */
  articleVectors(id: string): (Float32Array | null)[] | undefined;
  /** The vectors' dimension (once the first is stored) and similarity (as last set, or fixed by the first). */
  vectorSettings(): VectorSettings;
  /** Records how vectors are compared; refused (`BAD_PARAMETER`) once a vector is stored with another. */
  setVectorSimilarity(similarity: VectorSimilarity): void;
  close(): void;
}

/**
 * How an archive reads back the text it does not keep from a store: whole articles, and one paragraph
 * with its title and date for a hit (see `ArchiveOptions.readArticle` and `readParagraph`).
 */
export function textReaders(store: Pick<ArticleStore, 'article' | 'paragraph'>) {
  return {
    readArticle: (id: string) => store.article(id),
    readParagraph: (id: string, para: number) => store.paragraph(id, para),
  };
}
