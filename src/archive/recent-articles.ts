/** A small cache of the articles read back most recently, least recently used dropped first. */
import type { Article } from '../article/article.js';

/**
 * The articles read back most recently, up to a limit (least recently used dropped first): news
 * searches return the same articles again and again, and reading one from the store means a SQLite
 * look-up and parsing the whole article.
 */
export class RecentArticles {
  private readonly articles = new Map<string, Article>();

  constructor(private readonly limit: number) {}

  /** The article, read through `read` unless it is at hand. */
  get(id: string, read: (id: string) => Article | undefined): Article | undefined {
    const known = this.articles.get(id);
    if (known !== undefined) {
      // Map keeps insertion order: moved to the end, it is the most recently used.
      this.articles.delete(id);
      this.articles.set(id, known);
      return known;
    }
    const article = read(id);
    if (article === undefined) return undefined;
    this.articles.set(id, article);
    if (this.articles.size > this.limit) this.articles.delete(this.articles.keys().next().value!);
    return article;
  }

  /** Forgets an article that was replaced or removed. */
  forget(id: string): void {
    this.articles.delete(id);
  }
}
