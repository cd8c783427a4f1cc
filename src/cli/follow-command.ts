/** The `arshif follow` command: keeps an archive fed from RSS and Atom feeds. */
import { join } from 'node:path';
import { FeedFollower } from '../follow/feed-follower.js';
import { type Command, integerOption, parseCommandArgs, UsageError } from './usage.js';
import { openArchiveDirectory } from './open-archive.js';

/** `arshif follow URL... --index DIR`: keeps an archive fed from RSS and Atom feeds. */
export const followCommand: Command = {
  name: 'follow',
  summary: 'keep an archive fed from RSS and Atom feeds',
  help: `Usage: arshif follow URL... --index DIR [--interval 300] [--once]

Polls each feed every interval (with If-None-Match and If-Modified-Since, so an unchanged feed costs
a 304), imports every entry new or changed since it was last seen (its full content when the feed
has it, otherwise its summary), and remembers what it has seen in DIR/follow-state.json, so that a
restart neither imports an entry again nor misses one. A feed that fails waits one interval, then
twice as long after each failure in a row (up to an hour); it never stops the others. One log line
per round on stderr. Stops cleanly on SIGINT/SIGTERM.

  --index DIR     the archive directory (created when absent)
  --interval N    seconds between rounds (default 300, at least 10)
  --once          one round, then exit (for cron); exit status 1 when a feed failed`,
  async run({ args, stderr }) {
    const { values, positionals } = parseCommandArgs(args, {
      index: { type: 'string' },
      interval: { type: 'string' },
      once: { type: 'boolean' },
    });
    if (positionals.length === 0) throw new UsageError('follow needs at least one feed URL');
    if (values.index === undefined || values.index === '') throw new UsageError('follow needs --index DIR');
    for (const url of positionals) {
      if (!/^https?:\/\//iu.test(url)) throw new UsageError(`"${url}" is not an http(s) URL`);
    }
    const intervalSeconds = integerOption('interval', values.interval, 300, 10, 86_400);
    const log = (line: string) => stderr.write(`arshif: ${line}\n`);
    const archive = await openArchiveDirectory(values.index, log, { create: true });
    try {
      const follower = await FeedFollower.open(
        archive,
        positionals,
        join(values.index, 'follow-state.json'),
        {
          intervalMs: intervalSeconds * 1000,
          log,
        },
      );
      if (values.once) {
        const reports = await follower.round();
        return reports.some((report) => report.status === 'failed') ? 1 : 0;
      }
      const stop = new AbortController();
      const onSignal = () => stop.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        await follower.run(stop.signal);
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
      return 0;
    } finally {
      await archive.close();
    }
  },
};
