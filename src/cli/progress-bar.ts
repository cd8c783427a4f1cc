/** A one-line progress bar for loading articles, redrawn in place on a terminal. */
import type { LoadProgress } from '../archive/load-articles.js';

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
    // Time left, as the bytes read so far took: reading and indexing keep pace within a batch.
    const left = share > 0 && share < 1 ? `, ${formatDuration((seconds * (1 - share)) / share)} left` : '';
    stream.write(
      `\r[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${(share * 100).toFixed(0).padStart(3)}%  ` +
        `${progress.articles} articles, ${progress.paragraphs} paragraphs, ${progress.rejected.length} rejected, ` +
        `${rate} paragraphs/s${left}\u001b[K`,
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

/** `42 s`, `3 min 05 s`, `1 h 02 min`. */
export function formatDuration(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  if (whole < 60) return `${whole} s`;
  if (whole < 3600) return `${Math.floor(whole / 60)} min ${String(whole % 60).padStart(2, '0')} s`;
  return `${Math.floor(whole / 3600)} h ${String(Math.floor((whole % 3600) / 60)).padStart(2, '0')} min`;
}
