import type { LoadProgress } from '../index/load-articles.js';

/** Shortest interval between two redraws of the progress bar. */
const REDRAW_MS = 100;
const BAR_WIDTH = 30;

/** A one-line progress bar redrawn in place on a terminal. */
export function progressBar(stream: NodeJS.WritableStream, started: number) {
  let drawn = 0;
  const draw = (progress: LoadProgress) => {
    const share = progress.totalBytes > 0 ? Math.min(progress.bytesRead / progress.totalBytes, 1) : 0;
    const filled = Math.round(share * BAR_WIDTH);
    const seconds = (performance.now() - started) / 1000;
    const rate = seconds > 0 ? Math.round(progress.paragraphs / seconds) : 0;
    stream.write(
      `\r[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${(share * 100).toFixed(0).padStart(3)}%  ` +
        `${progress.articles} articles, ${progress.paragraphs} paragraphs, ${progress.rejected.length} rejected, ` +
        `${rate} paragraphs/s\u001b[K`,
    );
  };
  let last: LoadProgress | undefined;
  return {
    update(progress: LoadProgress) {
      last = progress;
      const now = performance.now();
      if (now - drawn < REDRAW_MS) return;
      drawn = now;
      draw(progress);
    },
    finish() {
      if (last !== undefined) draw(last);
      stream.write('\n');
    },
  };
}
