/** The top-k collector: the best `k` scored documents in a heap, equal scores in a fixed order. */
import { BY_PLACE, type ScoredDocument, scoredOrder, type TieOrder } from './scored-document.js';

/**
 * The best `k` documents offered (none for `k` = 0), in a binary heap with the worst on top. Of equal
 * key and score, those `ties` puts first are kept (by default the earlier document: offered in
 * (segment, document) order, a later one with the worst's score never enters).
 */
export class TopK {
  private readonly heap: ScoredDocument[] = [];
  private readonly order: (a: ScoredDocument, b: ScoredDocument) => number;

  constructor(
    private readonly k: number,
    private readonly ties: TieOrder = BY_PLACE,
  ) {
    this.order = scoredOrder(ties);
  }

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
    } else {
      const worst = heap[0]!;
      if (key < worst.key || (key === worst.key && score < worst.score)) return;
      const offered = { segment, doc, score, key };
      if (key === worst.key && score === worst.score && this.ties(offered, worst) >= 0) return;
      heap[0] = offered;
      this.siftDown(0);
    }
  }

  /** The documents, best first. */
  sorted(): ScoredDocument[] {
    return [...this.heap].sort(this.order);
  }

  /** Whether `a` ranks below `b`. */
  private worse(a: ScoredDocument, b: ScoredDocument): boolean {
    return this.order(a, b) > 0;
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
