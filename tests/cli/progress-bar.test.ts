import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { formatDuration, progressBar } from '../../src/cli/progress-bar.js';

describe('the progress bar', () => {
  it('shows the share read, the rate and the time left as the part read took', () => {
    let written = '';
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        written += chunk.toString();
        done();
      },
    });
    const bar = progressBar(stream, performance.now() - 10_000);
    bar.update({ articles: 50, paragraphs: 400, rejected: [], skipped: 0, bytesRead: 25, totalBytes: 100 });
    expect(written).toMatch(
      /^\r\[#{8}\.{22}\]  25% {2}50 articles, 400 paragraphs, 0 rejected, 40 paragraphs\/s, 30 s left/u,
    );
  });

  it.each([
    [0, '0 s'],
    [59.4, '59 s'],
    [185, '3 min 05 s'],
    [3725, '1 h 02 min'],
  ])('formats %f seconds as %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});
