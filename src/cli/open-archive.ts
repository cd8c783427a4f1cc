/** How commands open an archive (from files, an `--index` directory, the sample corpus) and its options. */
import { existsSync, readFileSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { packagePath } from '../platform/package-files.js';
import { STORE_FILE } from '../archive/archive-directory.js';
import { Archive, type ArchiveEngineOptions } from '../archive/archive.js';
import { parseSynonymsFile, type SynonymsFile } from '../search/engine.js';
import { VECTOR_SIMILARITIES, type VectorSimilarity } from '../search/engine.js';
import { UsageError } from './usage.js';
import { loadArticleFiles } from '../archive/load-articles.js';
import { PersistentArchive, type PersistentArchiveOptions } from '../archive/persistent-archive.js';

/** The sample corpus shipped with the repository, served when no archive is named. */
export const SAMPLE_CORPUS = packagePath('corpus/articles.jsonl');

/** Where `serve` keeps the archive of the sample corpus, built on first start (git ignores `data/`). */
export const SAMPLE_ARCHIVE = packagePath('data/sample-archive');

/**
 * Builds an in-memory archive from article files; rejected lines are reported on `warn`, one each.
 * Resolves to the archive and the number of rejected lines.
 */
export async function archiveFromFiles(
  files: readonly string[],
  warn: (line: string) => void,
  options: ArchiveEngineOptions = {},
): Promise<{ archive: Archive; rejected: number }> {
  const archive = new Archive(options);
  const report = await loadArticleFiles(archive, files);
  for (const line of report.rejected) warn(line);
  return { archive, rejected: report.rejected.length };
}

/** Opens the archive directory an `--index DIR` option names; it must exist. */
export function openArchiveDirectory(
  directory: string,
  warn: (line: string) => void,
  options: PersistentArchiveOptions = {},
): Promise<PersistentArchive> {
  return PersistentArchive.open(directory, { create: false, log: warn, ...options });
}

/**
 * Opens the sample archive, building it from the sample corpus when it does not exist yet. It is built
 * aside and renamed into place, so an interrupted first start never leaves half an archive.
 */
export async function openSampleArchive(
  warn: (line: string) => void,
  options: ArchiveEngineOptions = {},
): Promise<PersistentArchive> {
  if (!existsSync(join(SAMPLE_ARCHIVE, STORE_FILE))) {
    const building = `${SAMPLE_ARCHIVE}.${process.pid}.building`;
    const archive = await PersistentArchive.open(building, { autoSave: false });
    try {
      const report = await loadArticleFiles(archive, [SAMPLE_CORPUS]);
      for (const line of report.rejected) warn(line);
      await archive.save();
    } finally {
      await archive.close();
    }
    try {
      await rename(building, SAMPLE_ARCHIVE);
      warn(`built the sample archive in ${SAMPLE_ARCHIVE} from ${SAMPLE_CORPUS}`);
    } catch {
      // Another process built it first: use theirs.
      await rm(building, { recursive: true, force: true });
    }
  }
  return PersistentArchive.open(SAMPLE_ARCHIVE, { create: false, log: warn, ...options });
}

/** The archive options a `--similarity cosine|dot` option gives (none without it). */
export function similarityOption(value: string | undefined): { vectorSimilarity?: VectorSimilarity } {
  if (value === undefined) return {};
  if (!(VECTOR_SIMILARITIES as readonly string[]).includes(value)) {
    throw new UsageError(`--similarity must be ${VECTOR_SIMILARITIES.join(' or ')}, got "${value}"`);
  }
  return { vectorSimilarity: value as VectorSimilarity };
}

/** Help text of `--similarity`, the same for every command. */
export const SIMILARITY_HELP = `  --similarity S  how paragraph vectors are compared: cosine (default) or dot (the dot product as
                   given); fixed by an archive's first vector`;

/**
 * The archive options a `--synonyms FILE` option gives (none without it); a file that cannot be read or
 * is not a synonyms file is a usage error saying why.
 */
export function synonymsOption(file: string | undefined): { synonymsFile?: SynonymsFile } {
  if (file === undefined) return {};
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`--synonyms ${file}: ${(error as Error).message}`);
  }
  try {
    return { synonymsFile: parseSynonymsFile(text, file) };
  } catch (error) {
    throw new UsageError(`--synonyms ${(error as Error).message}`);
  }
}
