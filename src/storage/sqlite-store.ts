/** The SQLite article store: the single-machine archive's source of truth, one transaction per write. */
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { ArshifError } from '../errors.js';
import { type Article, type ArticleFacts, type ArticleParagraph, articleFacts } from '../article/article.js';
import type { VectorSimilarity } from '../search/engine.js';
import { decodeVectors, encodeVectors, type VectorBytes } from './vector-bytes.js';
import type {
  ArticleStore,
  StoreState,
  StoreWrite,
  StoreWriteOutcome,
  VectorSettings,
} from './article-store.js';

/**
 * Version of the store's tables; a store of another version is refused, never misread. Versions 1 (no
 * `article_facts`), 2 (no `acronyms` among them) and 3 (no `article_vectors`) are upgraded when opened
 * for writing; version 1 is read the slow way when opened read-only, version 3 as holding no vectors.
 */
export const STORE_FORMAT_VERSION = 4;

/** Options of {@link SqliteStore.open}. */
export interface SqliteStoreOptions {
  /** Open for reading only (the snapshot worker). Default false. */
  readonly?: boolean;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
  -- One row per stored article; position is that of the write that last put it. A snapshot at position
  -- P is brought up to date by re-indexing the rows after P and dropping articles that have no row.
  CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    position INTEGER NOT NULL UNIQUE,
    doc TEXT NOT NULL
  ) STRICT;
  -- A few bytes per article, written with its row: opening an archive reads these, not every document.
  CREATE TABLE IF NOT EXISTS article_facts (
    id TEXT PRIMARY KEY,
    position INTEGER NOT NULL UNIQUE,
    day TEXT,
    source TEXT,
    section TEXT,
    paragraphs INTEGER NOT NULL,
    acronyms TEXT
  ) STRICT;
  -- The vectors of an article that has any, written with its row: present holds one byte per paragraph
  -- (1: it has a vector), data the vectors of those paragraphs, in order, as little-endian 32-bit floats.
  CREATE TABLE IF NOT EXISTS article_vectors (
    id TEXT PRIMARY KEY,
    dimensions INTEGER NOT NULL,
    present BLOB NOT NULL,
    data BLOB NOT NULL
  ) STRICT;
  -- This program gives every write a new position: an update keeping it is an edit by another program,
  -- so the facts of that row are dropped, and re-derived from the documents when the store next opens.
  CREATE TRIGGER IF NOT EXISTS article_edited AFTER UPDATE ON articles WHEN NEW.position = OLD.position
  BEGIN DELETE FROM article_facts WHERE id = OLD.id; END;
`;

function storeError(file: string, error: unknown): ArshifError {
  return new ArshifError('BAD_INDEX', `article store ${file}: ${(error as Error).message}`);
}

/**
 * The archive's source of truth: articles in SQLite (WAL mode, synchronous FULL), each write a
 * transaction that is on disk when it returns.
 *
 * - Every write gets the next position; {@link read} tells what changed after a position, which
 *   is how a snapshot of the index is brought up to date.
 * - Throws `ArshifError('BAD_INDEX')` when the file is not an Arshif store or is damaged.
 *
 * @example
 * const store = SqliteStore.open('data/archive/articles.sqlite');
 * store.writeAll([{ put: [{ id: 'a1', title: 'النفط', paragraphs: ['ارتفعت أسعار النفط'] }] }]); // → [{ position: 1 }]
 */
export class SqliteStore implements ArticleStore {
  private constructor(
    private readonly db: Database.Database,
    readonly file: string,
    /** Made when the store is created: a snapshot records it, so one of another archive is never used. */
    readonly storeId: string,
    /**
     * False for a store of version 1, or edited by another program, opened read-only: facts are then read
     * from the documents.
     */
    private readonly hasFacts: boolean,
    /** False for a store of an older version opened read-only: it holds no vectors. */
    private readonly hasVectors: boolean,
  ) {}

  /** Opens (and creates, unless read-only) the store in a file. */
  static open(file: string, options: SqliteStoreOptions = {}): SqliteStore {
    let db: Database.Database | undefined;
    try {
      db = new Database(file, {
        readonly: options.readonly ?? false,
        fileMustExist: options.readonly ?? false,
      });
      db.pragma('busy_timeout = 5000');
      if (!options.readonly) {
        db.pragma('journal_mode = WAL');
        // FULL syncs the WAL on every commit: an acknowledged write survives a power cut, not only a
        // killed process.
        db.pragma('synchronous = FULL');
        const created = db.transaction((writable: Database.Database) => {
          const fresh = !tableExists(writable, 'meta');
          writable.exec(SCHEMA);
          const init = writable.prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)');
          if (fresh) init.run('formatVersion', String(STORE_FORMAT_VERSION));
          init.run('position', '0');
          init.run('storeId', randomUUID());
          const version = formatVersion(writable);
          if (version === '2') writable.exec('ALTER TABLE article_facts ADD COLUMN acronyms TEXT');
          if (version === '1' || version === '2' || !factsComplete(writable)) deriveFacts(writable);
          else if (version === '3') setFormatVersion(writable);
        });
        created.immediate(db);
      }
      const version = formatVersion(db);
      const readableV1 = options.readonly === true && version === '1';
      const readableOlder = options.readonly === true && (version === '2' || version === '3');
      if (version !== String(STORE_FORMAT_VERSION) && !readableV1 && !readableOlder) {
        throw new Error(`store format ${version ?? 'unknown'}, this program reads ${STORE_FORMAT_VERSION}`);
      }
      const storeId = (db.prepare("SELECT value FROM meta WHERE key = 'storeId'").get() as { value: string })
        .value;
      return new SqliteStore(
        db,
        file,
        storeId,
        !readableV1 && factsComplete(db),
        tableExists(db, 'article_vectors'),
      );
    } catch (error) {
      db?.close();
      throw storeError(file, error);
    }
  }

  /** Position of the latest write; 0 for an empty store. */
  position(): number {
    // A counter of its own, not max(position): a removal advances it too, and a removed row's
    // position must never be handed out again.
    const row = prepared(this.db, "SELECT value FROM meta WHERE key = 'position'").get() as { value: string };
    return Number(row.value);
  }

  private advance(by: number): number {
    const next = this.position() + by;
    prepared(this.db, "UPDATE meta SET value = ? WHERE key = 'position'").run(String(next));
    return next;
  }

  /**
   * Applies writes in order in one durable transaction (one sync to disk for all: a group commit), all
   * or none. Returns for each the store position after it, and for a removal whether the article was
   * stored.
   */
  writeAll(writes: readonly StoreWrite[]): StoreWriteOutcome[] {
    const upsert = prepared(
      this.db,
      `INSERT INTO articles (id, position, doc) VALUES (?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET position = excluded.position, doc = excluded.doc`,
    );
    return this.write(() =>
      writes.map((write) => {
        if ('remove' in write) {
          if (prepared(this.db, 'DELETE FROM articles WHERE id = ?').run(write.remove).changes === 0) {
            return { position: this.position(), removed: false };
          }
          prepared(this.db, 'DELETE FROM article_facts WHERE id = ?').run(write.remove);
          prepared(this.db, 'DELETE FROM article_vectors WHERE id = ?').run(write.remove);
          return { position: this.advance(1), removed: true };
        }
        let position = this.position();
        for (const article of write.put) {
          position += 1;
          const { vectors, ...text } = article;
          upsert.run(article.id, position, JSON.stringify(text));
          putFacts(this.db, articleFacts(article), position);
          putVectors(this.db, article.id, vectors);
        }
        return { position: this.advance(write.put.length) };
      }),
    );
  }

  /** Runs a write transaction; a storage failure (disk full, I/O error) becomes `IO_ERROR`, nothing written. */
  private write<T>(change: () => T): T {
    try {
      return this.db.transaction(change)();
    } catch (error) {
      throw new ArshifError('IO_ERROR', `article store ${this.file}: ${(error as Error).message}`);
    }
  }

  /**
   * The store as of one moment: the facts of every stored article, its position, and the articles
   * changed after `since` — read in one transaction, so the three agree even while another connection
   * writes. Only the changed articles' documents are read.
   */
  read(since = 0): StoreState {
    return this.db.transaction(() => {
      const position = this.position();
      const changed: Article[] = [];
      const query = this.hasVectors
        ? `SELECT doc, dimensions, present, data FROM articles LEFT JOIN article_vectors USING (id)
           WHERE position > ? ORDER BY position`
        : 'SELECT doc FROM articles WHERE position > ? ORDER BY position';
      for (const row of this.db.prepare(query).iterate(since)) {
        const { doc, ...vectors } = row as { doc: string } & Partial<VectorBytes>;
        const article = JSON.parse(doc) as Article;
        if (vectors.data !== undefined && vectors.data !== null)
          article.vectors = decodeVectors(vectors as VectorBytes);
        changed.push(article);
      }
      return { position, facts: this.readFacts(), changed };
    })();
  }

  private readFacts(): ArticleFacts[] {
    if (!this.hasFacts) {
      const facts: ArticleFacts[] = [];
      for (const row of prepared(this.db, 'SELECT doc FROM articles ORDER BY position').iterate()) {
        facts.push(articleFacts(JSON.parse((row as { doc: string }).doc) as Article));
      }
      return facts;
    }
    const rows = this.db
      .prepare('SELECT id, day, source, section, paragraphs, acronyms FROM article_facts ORDER BY position')
      .raw()
      .all() as [string, string | null, string | null, string | null, number, string | null][];
    return rows.map(([id, day, source, section, paragraphs, acronyms]) => {
      const facts: ArticleFacts = {
        id,
        day: day ?? undefined,
        source: source ?? undefined,
        section: section ?? undefined,
        paragraphs,
      };
      if (acronyms !== null) facts.acronyms = JSON.parse(acronyms) as [string, string][];
      return facts;
    });
  }

  /** The stored article, read from disk, or `undefined`. */
  article(id: string): Article | undefined {
    const row = prepared(this.db, 'SELECT doc FROM articles WHERE id = ?').get(id) as
      { doc: string } | undefined;
    return row === undefined ? undefined : (JSON.parse(row.doc) as Article);
  }

  /**
   * One paragraph of a stored article with its title and date. SQLite picks them out of the stored JSON,
   * so a hit costs a look-up and a few hundred characters, not a whole article decoded and parsed (half
   * the time, and a tenth of the garbage).
   */
  paragraph(id: string, para: number): ArticleParagraph | undefined {
    const row = prepared(
      this.db,
      `SELECT json_extract(doc, '$.title') AS title, json_extract(doc, '$.published') AS published,
         json_extract(doc, '$.paragraphs[' || CAST(? AS INTEGER) || ']') AS text
       FROM articles WHERE id = ?`,
    ).get(para, id) as { title: string; published: string | null; text: string | null } | undefined;
    if (row === undefined || row.text === null) return undefined;
    return row.published === null
      ? { title: row.title, text: row.text }
      : { title: row.title, published: row.published, text: row.text };
  }

  /** A stored article's vectors, one per paragraph (`null` for none), or `undefined` when it has none. */
  articleVectors(id: string): (Float32Array | null)[] | undefined {
    if (!this.hasVectors) return undefined;
    const row = prepared(this.db, 'SELECT dimensions, present, data FROM article_vectors WHERE id = ?').get(
      id,
    ) as VectorBytes | undefined;
    return row === undefined ? undefined : decodeVectors(row);
  }

  /**
   * The dimension of the stored vectors and how they are compared, once the first is stored (both are
   * then fixed for the archive); before that, the similarity last asked for (see {@link setVectorSimilarity}).
   */
  vectorSettings(): VectorSettings {
    const meta = (key: string) =>
      (prepared(this.db, 'SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)
        ?.value;
    const dimensions = meta('vectorDimensions');
    const similarity = meta('vectorSimilarity');
    return {
      ...(dimensions === undefined ? {} : { dimensions: Number(dimensions) }),
      ...(similarity === undefined ? {} : { similarity: similarity as VectorSimilarity }),
    };
  }

  /** Records how the archive's vectors are compared; refused (`BAD_PARAMETER`) once a vector is stored with another. */
  setVectorSimilarity(similarity: VectorSimilarity): void {
    const stored = this.vectorSettings();
    if (stored.similarity === similarity) return;
    if (stored.dimensions !== undefined) {
      throw new ArshifError(
        'BAD_PARAMETER',
        `the archive's vectors are compared by ${stored.similarity ?? 'cosine'} similarity, fixed by its first vector; it cannot be opened for ${similarity}`,
      );
    }
    this.write(() =>
      prepared(this.db, 'INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(
        'vectorSimilarity',
        similarity,
      ),
    );
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function tableExists(db: Database.Database, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

function formatVersion(db: Database.Database): string | undefined {
  return (
    db.prepare("SELECT value FROM meta WHERE key = 'formatVersion'").get() as { value: string } | undefined
  )?.value;
}

/** Stores an article's vectors in place of those it had (none: the row goes), fixing the archive's dimension. */
function putVectors(db: Database.Database, id: string, vectors: Article['vectors']): void {
  const bytes = encodeVectors(vectors);
  if (bytes === undefined) {
    prepared(db, 'DELETE FROM article_vectors WHERE id = ?').run(id);
    return;
  }
  prepared(
    db,
    'INSERT OR REPLACE INTO article_vectors (id, dimensions, present, data) VALUES (?, ?, ?, ?)',
  ).run(id, bytes.dimensions, Buffer.from(bytes.present), Buffer.from(bytes.data));
  prepared(db, "INSERT OR IGNORE INTO meta (key, value) VALUES ('vectorDimensions', ?)").run(
    String(bytes.dimensions),
  );
  prepared(db, "INSERT OR IGNORE INTO meta (key, value) VALUES ('vectorSimilarity', 'cosine')").run();
}

function setFormatVersion(db: Database.Database): void {
  db.prepare("UPDATE meta SET value = ? WHERE key = 'formatVersion'").run(String(STORE_FORMAT_VERSION));
}

function putFacts(db: Database.Database, facts: ArticleFacts, position: number): void {
  prepared(
    db,
    `INSERT OR REPLACE INTO article_facts (id, position, day, source, section, paragraphs, acronyms)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    facts.id,
    position,
    facts.day ?? null,
    facts.source ?? null,
    facts.section ?? null,
    facts.paragraphs,
    facts.acronyms === undefined ? null : JSON.stringify(facts.acronyms),
  );
}

/** Whether every article has its facts (a row edited or added by another program has none). */
function factsComplete(db: Database.Database): boolean {
  const count = (table: string) =>
    (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  return tableExists(db, 'article_facts') && count('articles') === count('article_facts');
}

/**
 * Derives `article_facts` from every document: once when version 1 (which had no facts) or 2 (which had
 * no acronyms) is upgraded, and when another program edited the store.
 */
function deriveFacts(db: Database.Database): void {
  db.exec('DELETE FROM article_facts');
  const page = db.prepare(
    'SELECT position, doc FROM articles WHERE position > ? ORDER BY position LIMIT 500',
  );
  // In pages: a connection cannot write while it iterates.
  for (let after = 0; ;) {
    const rows = page.all(after) as { position: number; doc: string }[];
    if (rows.length === 0) break;
    for (const { position, doc } of rows) putFacts(db, articleFacts(JSON.parse(doc) as Article), position);
    after = rows.at(-1)!.position;
  }
  setFormatVersion(db);
}

const statements = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/** A statement prepared once per connection: preparing costs more than a small write. */
function prepared(db: Database.Database, sql: string): Database.Statement {
  let byText = statements.get(db);
  if (byText === undefined) {
    byText = new Map();
    statements.set(db, byText);
  }
  let statement = byText.get(sql);
  if (statement === undefined) {
    statement = db.prepare(sql);
    byText.set(sql, statement);
  }
  return statement;
}
