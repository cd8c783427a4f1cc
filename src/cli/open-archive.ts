import { fileURLToPath } from 'node:url';
import { Archive } from '../index/archive.js';
import { loadArticleFiles } from '../index/load-articles.js';

/** The sample corpus shipped with the repository, served when no archive is named. */
export const SAMPLE_CORPUS = fileURLToPath(new URL('../../corpus/articles.jsonl', import.meta.url));

/**
 * Builds an in-memory archive from article files; rejected lines are reported on `warn`, one each.
 * Resolves to the archive and the number of rejected lines.
 */
export async function archiveFromFiles(
  files: readonly string[],
  warn: (line: string) => void,
): Promise<{ archive: Archive; rejected: number }> {
  const archive = new Archive();
  const report = await loadArticleFiles(archive, files);
  for (const line of report.rejected) warn(line);
  return { archive, rejected: report.rejected.length };
}
