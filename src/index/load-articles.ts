import type { Archive } from './archive.js';
import { readArticleLines } from './read-articles.js';

/** What loading article files did. */
export interface LoadReport {
  /** Articles added (a later line with the same id replaces an earlier one). */
  articles: number;
  /** Rejected lines, each as `file:line: reason`. */
  rejected: string[];
}

/**
 * Adds every article of the given files to an archive; bad lines are reported, never fatal.
 *
 * @param onProgress - called after every line with the number of lines read so far.
 */
export async function loadArticleFiles(
  archive: Archive,
  files: readonly string[],
  onProgress?: (linesRead: number) => void,
): Promise<LoadReport> {
  const report: LoadReport = { articles: 0, rejected: [] };
  let linesRead = 0;
  for (const file of files) {
    for await (const line of readArticleLines(file)) {
      linesRead += 1;
      if (line.ok) {
        archive.put(line.article);
        report.articles += 1;
      } else {
        report.rejected.push(line.error);
      }
      onProgress?.(linesRead);
    }
  }
  return report;
}
