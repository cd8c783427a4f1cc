/** The top-k collector: the best `k` scored documents in a heap, ties to the earlier document. */
import { compareScored, type ScoredDocument } from './scored-document.js';

/**
 * The best `k` documents offered (none for `k` = 0), in a binary heap with the worst on top. Documents are offered in
 * (segment, document) order, so a later document with the same score as the worst never enters: ties
 * go to the earlier document, as in {@link compareScored}.
 */
export class TopK {
  private readonly heap: ScoredDocument[] = [];

  constructor(private readonly k: number) {}

  get full(): boolean {
    return this.heap.length >= this.k;
  }

  /** The score a document must beat to enter once full (of documents offered without a key). */
  get threshold(): number {
    if (this.k <= 0) return Number.POSITIVE_INFINITY;
    return this.heap.length >= this.k ? this.heap[0]!.score : Number.NEGATIVE_INFINITY;
  }

  /** Offers a document; `key` ranks before the score (see {@link ScoredDocument.key}). */
  offer(segment: number, doc: number, score: number, key = 0): void {
    const { heap } = this;
    // Keeping none (k = 0), every document is turned away.
    if (this.k <= 0) return;
    if (heap.length < this.k) {
      heap.push({ segment, doc, score, key });
      this.siftUp(heap.length - 1);
    } else if (key > heap[0]!.key || (key === heap[0]!.key && score > heap[0]!.score)) {
      heap[0] = { segment, doc, score, key };
      this.siftDown(0);
    }
  }

  /** The documents, best first. */
  sorted(): ScoredDocument[] {
    return [...this.heap].sort(compareScored);
  }

  /** Whether `a` ranks below `b`. */
  private worse(a: ScoredDocument, b: ScoredDocument): boolean {
    return compareScored(a, b) > 0;
  }

  private siftUp(index: number): void {
    const { heap } = this;
    let child = index;
    while (child > 0) {
      const parent = (child - 1) >> 1;
      if (!this.worse(heap[child]!, heap[parent]!)) break;
      [heap[child], heap[parent]] = [heap[parent]!, heap[child]!];
      child = parent;
    }
  }

  private siftDown(index: number): void {
    const { heap } = this;
    let parent = index;
    for (;;) {
      const left = 2 * parent + 1;
      const right = left + 1;
      let worst = parent;
      if (left < heap.length && this.worse(heap[left]!, heap[worst]!)) worst = left;
      if (right < heap.length && this.worse(heap[right]!, heap[worst]!)) worst = right;
      if (worst === parent) break;
      [heap[parent], heap[worst]] = [heap[worst]!, heap[parent]!];
      parent = worst;
    }
  }
}
