/**
 * The acronyms defined by the articles of the shards a cluster node does not hold: counted with its
 * own, so that every node learns the same synonyms, whichever shards it holds.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Article, articleAcronyms } from '../article/article.js';
import { writeFileDurably } from '../platform/durable-file.js';
import type { LearnedAcronyms } from './learned-acronyms.js';

/** The file of a node's directory that keeps the other shards' acronym definitions, by article. */
export const FOREIGN_ACRONYMS_FILE = 'cluster-acronyms.json';

type Definitions = readonly (readonly [string, string])[];

/**
 * The acronym definitions of articles another node holds, by article id, counted into a node's
 * {@link LearnedAcronyms} as the log brings them and taken out when their article changes or goes.
 * Applying a change twice changes nothing (an article's definitions replace its last ones), so the
 * file may be saved ahead of the node's position.
 */
export class ForeignAcronyms {
  private readonly definitions = new Map<string, Definitions>();
  private changed = false;

  private constructor(
    private readonly learned: LearnedAcronyms,
    private readonly file: string,
  ) {}

  /** The definitions saved in a node's directory, counted into `learned`. */
  static async open(directory: string, learned: LearnedAcronyms): Promise<ForeignAcronyms> {
    const foreign = new ForeignAcronyms(learned, join(directory, FOREIGN_ACRONYMS_FILE));
    let text: string;
    try {
      text = await readFile(foreign.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return foreign;
      throw error;
    }
    for (const [id, definitions] of Object.entries(JSON.parse(text) as Record<string, [string, string][]>)) {
      foreign.definitions.set(id, definitions);
      learned.count(definitions, 1);
    }
    return foreign;
  }

  /** An article of another node's shards stored (`article`) or removed (`undefined`). */
  apply(id: string, article: Article | undefined): void {
    const before = this.definitions.get(id);
    if (before !== undefined) {
      this.learned.count(before, -1);
      this.definitions.delete(id);
      this.changed = true;
    }
    const after = article === undefined ? [] : articleAcronyms(article);
    if (after.length > 0) {
      this.learned.count(after, 1);
      this.definitions.set(id, after);
      this.changed = true;
    }
  }

  /** Saves the definitions when they changed since last saved. */
  async save(): Promise<void> {
    if (!this.changed) return;
    this.changed = false;
    await writeFileDurably(this.file, [Buffer.from(JSON.stringify(Object.fromEntries(this.definitions)))]);
  }
}
