/** The live buffer: fresh paragraphs kept unindexed until the engine searches or seals them. */
import type { LiveParagraph } from './live-segment.js';
import { isBlankParagraph } from './segment.js';

/**
 * Fresh paragraphs kept as they are, not indexed: the live part of an engine that does not search
 * itself (the main thread's, while search replicas answer). Indexing a paragraph in MiniSearch costs
 * several times analysing it; the engine indexes a buffer only if it is searched after all.
 *
 * - Documents are numbered in the order paragraphs were added, as in a live segment, so that sealing
 *   either gives the same compact segment.
 */
export class LiveBuffer {
  private readonly paragraphs: (LiveParagraph | undefined)[] = [];
  private readonly byArticle = new Map<string, number[]>();
  private live = 0;

  get liveCount(): number {
    return this.live;
  }

  /** Adds a paragraph; blank paragraphs are skipped. Returns its document number, or -1. */
  addParagraph(paragraph: LiveParagraph): number {
    if (isBlankParagraph(paragraph.text)) return -1;
    const doc = this.paragraphs.length;
    this.paragraphs.push(paragraph);
    const docs = this.byArticle.get(paragraph.articleId);
    if (docs === undefined) this.byArticle.set(paragraph.articleId, [doc]);
    else docs.push(doc);
    this.live += 1;
    return doc;
  }

  /** The live paragraphs, in the order they were added. */
  *liveParagraphs(): IterableIterator<LiveParagraph> {
    for (const paragraph of this.paragraphs) if (paragraph !== undefined) yield paragraph;
  }

  documentsOf(articleId: string): readonly number[] {
    return this.byArticle.get(articleId) ?? [];
  }

  delete(doc: number): void {
    const paragraph = this.paragraphs[doc];
    if (paragraph === undefined) return;
    this.paragraphs[doc] = undefined;
    this.live -= 1;
    const docs = this.byArticle.get(paragraph.articleId)!.filter((other) => other !== doc);
    if (docs.length === 0) this.byArticle.delete(paragraph.articleId);
    else this.byArticle.set(paragraph.articleId, docs);
  }
}
