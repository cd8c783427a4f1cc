import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresStore } from '../../src/storage/postgres-store.js';
import { POSTGRES_MISSING, type PostgresServer, startPostgres } from '../helpers/postgres.js';
import { GOLD, jsonl, MATCH, OIL, run, temporaryFiles } from './cli-fixture.js';

if (POSTGRES_MISSING) console.warn(POSTGRES_MISSING);

describe('arshif index --store', () => {
  const { tmpFile } = temporaryFiles();

  it('refuses --out and --store together, and serve refuses --store with --input', async () => {
    const file = tmpFile('both.jsonl', jsonl([OIL]));
    const index = await run('index', file, '--out', 'x', '--store', 'postgres://127.0.0.1/none');
    expect(index.status).toBe(2);
    expect(index.stderr).toMatch(/--out DIR or --store URL, not both/u);
    const serve = await run('serve', '--input', file, '--store', 'postgres://127.0.0.1/none');
    expect(serve.status).toBe(2);
    expect(serve.stderr).toMatch(/a cluster node \(--store\) follows its store/u);
  });

  describe.skipIf(POSTGRES_MISSING !== undefined)('into a PostgreSQL store', () => {
    let server: PostgresServer;
    beforeAll(async () => {
      server = await startPostgres();
    });
    afterAll(() => server?.stop());

    it('loads the files, reports bad lines as index --out does, and says what the store holds', async () => {
      const url = await server.createDatabase();
      const file = tmpFile('store.jsonl', `${jsonl([OIL, MATCH])}{"id": ""}\n${jsonl([GOLD])}`);
      const { status, stdout, stderr } = await run('index', file, '--store', url);
      expect(status).toBe(1);
      expect(stderr).toMatch(/store\.jsonl:3: /u);
      expect(stdout).toMatch(
        /^stored 3 articles \(4 paragraphs\), 1 rejected lines, in [\d.]+ s; .* holds 3 articles$/mu,
      );
      const store = await PostgresStore.connect(url);
      try {
        expect((await store.article('match'))?.paragraphs).toHaveLength(2);
      } finally {
        await store.close();
      }
    });

    it('fails in one line when the store cannot be reached', async () => {
      const file = tmpFile('unreachable.jsonl', jsonl([OIL]));
      const { status, stderr } = await run(
        'index',
        file,
        '--store',
        `postgres://arshif@127.0.0.1:${server.port}/missing_db`,
      );
      expect(status).toBe(1);
      expect(stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(stderr).toMatch(/missing_db.*does not exist/u);
    });
  });
});
