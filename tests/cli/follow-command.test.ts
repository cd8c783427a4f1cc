import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommandLine as main } from '../../src/cli.js';
import { PersistentArchive } from '../../src/archive/persistent-archive.js';
import { FeedServer, rss, rssItem } from '../helpers/feeds.js';
import { temporaryDirectory } from '../helpers/temp-archive.js';

describe('arshif follow --once', () => {
  const server = new FeedServer();
  beforeAll(() => server.start());
  afterAll(() => server.close());

  it('imports a feed into a new archive, exits 0, then 1 when a feed fails', async () => {
    const directory = await temporaryDirectory();
    try {
      server.feeds.set('/rss', { body: rss(rssItem('d1', 'خبر', '<p>نص الخبر</p>')) });
      let stderr = '';
      const output = {
        write: (chunk: string) => ((stderr += chunk), true),
      } as unknown as NodeJS.WritableStream;
      const run = (...args: string[]) =>
        main(['follow', ...args], { stdout: output, stderr: output } as never);
      const index = join(directory.path, 'archive');
      expect(await run(`${server.base}/rss`, '--index', index, '--once')).toBe(0);
      expect(stderr).toMatch(/follow: 1 feeds, 1 fetched.*1 entries added/u);
      expect(await run(`${server.base}/rss`, `${server.base}/missing`, '--index', index, '--once')).toBe(1);
      expect(stderr).toMatch(/missing: HTTP 404/u);
      expect(await run('ftp://x', '--index', index)).toBe(2);
      const archive = await PersistentArchive.open(index, { readonly: true });
      expect(archive.get('d1')?.title).toBe('خبر');
      await archive.close();
    } finally {
      await directory.remove();
    }
  });
});
