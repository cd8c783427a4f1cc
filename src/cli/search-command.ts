/** The `arshif search QUERY` command: ranked paragraph hits printed on the terminal. */
import { readFileSync } from 'node:fs';
import type { SearchResponse } from '../archive/archive-search.js';
import {
  DEFAULT_SEMANTIC_RATIO,
  FACET_NAMES,
  type FacetName,
  MAX_K,
  MAX_LIMIT,
  type SearchOptions,
} from '../archive/search-options.js';
import {
  archiveFromFiles,
  openArchiveDirectory,
  SAMPLE_CORPUS,
  SIMILARITY_HELP,
  similarityOption,
  synonymsOption,
} from './open-archive.js';
import { type Command, integerOption, parseCommandArgs, ratioOption, UsageError } from './usage.js';

/** `arshif search QUERY`: ranked paragraph hits on the terminal. */
export const searchCommand: Command = {
  name: 'search',
  summary: 'search an archive and print ranked paragraph hits',
  help: `Usage: arshif search [QUERY] [--vector FILE [--k N] [--semantic-ratio R] [--exact]] [--index DIR | --input FILE...] [--limit N] [--facets LIST] [--no-collapse] [--synonyms FILE] [--json]

Searches an archive directory or article files (the sample corpus/ when neither is given) and
prints the best paragraphs, best first. Query syntax: words (any may match), "an exact phrase",
-word to exclude, +word to require. With --vector, the paragraphs nearest a query vector (the
client's embedding of the query, from the model that made the archive's), blended with QUERY's
ranking when QUERY is given too.

  --index DIR    the archive directory built by "arshif index"
  --input FILE   article file, .jsonl or .jsonl.gz (may be repeated)
  --limit N      number of hits, 1–${MAX_LIMIT} (default 10)
  --facets LIST  count every match by ${FACET_NAMES.join(', ')} (comma-separated)
  --no-collapse  list copies of a paragraph (a wire story republished) as hits of their own
  --vector FILE  a query vector: a JSON array of numbers, or an object with "vector" (a line of
                 an eval queries file); - reads it from standard input
  --k N          nearest paragraphs the vector finds, 1–${MAX_K} (default: limit, at least 10;
                 100 with QUERY)
  --semantic-ratio R  with QUERY and --vector: the vector ranking's share of the blend, 0–1
                 (default ${DEFAULT_SEMANTIC_RATIO})
  --exact        score every vector exactly (the reference; slower on a large archive)
${SIMILARITY_HELP}
  --json         print the response as JSON, as GET /search answers it
  --synonyms FILE  synonym groups to add and shipped or learned ones to remove, JSON
                   {"groups": [["form", "form"], …], "remove": ["form", …]} (read at start: no re-index)`,
  async run({ args, stdout, stderr }) {
    const { values, positionals } = parseCommandArgs(args, {
      index: { type: 'string' },
      input: { type: 'string', multiple: true },
      limit: { type: 'string' },
      facets: { type: 'string' },
      'no-collapse': { type: 'boolean' },
      json: { type: 'boolean' },
      synonyms: { type: 'string' },
      vector: { type: 'string' },
      k: { type: 'string' },
      'semantic-ratio': { type: 'string' },
      exact: { type: 'boolean' },
      similarity: { type: 'string' },
    });
    const similarity = similarityOption(values.similarity);
    const synonyms = synonymsOption(values.synonyms);
    const facets = values.facets?.split(',').map((name) => name.trim());
    const unknown = facets?.find((name) => !(FACET_NAMES as readonly string[]).includes(name));
    if (unknown !== undefined) {
      throw new UsageError(`--facets takes ${FACET_NAMES.join(', ')}, got "${unknown}"`);
    }
    const query = positionals.join(' ');
    const vector = values.vector === undefined ? undefined : readVector(values.vector);
    if (query.trim() === '' && vector === undefined)
      throw new UsageError('search needs a QUERY or --vector FILE');
    if (vector === undefined) {
      for (const name of ['k', 'semantic-ratio', 'exact'] as const) {
        if (values[name] !== undefined) throw new UsageError(`--${name} needs --vector FILE`);
      }
    }
    const limit = integerOption('limit', values.limit, 10, 1, MAX_LIMIT);
    const options: SearchOptions = {
      limit,
      collapse: values['no-collapse'] !== true,
      ...(facets ? { facets: facets as FacetName[] } : {}),
      ...(vector === undefined ? {} : { vector }),
      ...(values.k === undefined ? {} : { k: integerOption('k', values.k, 10, 1, MAX_K) }),
      ...(values['semantic-ratio'] === undefined
        ? {}
        : { semanticRatio: ratioOption('semantic-ratio', values['semantic-ratio']) }),
      ...(values.exact ? { exact: true } : {}),
    };
    if (values.index !== undefined && values.input?.length) {
      throw new UsageError('give --index DIR or --input FILE, not both');
    }
    let response: SearchResponse;
    let rejected = 0;
    if (values.index !== undefined) {
      const warn = (line: string) => stderr.write(`arshif: ${line}\n`);
      const archive = await openArchiveDirectory(values.index, warn, {
        readonly: true,
        ...synonyms,
        ...similarity,
      });
      try {
        response = archive.search(query, options);
      } finally {
        await archive.close();
      }
    } else {
      const files = values.input?.length ? values.input : [SAMPLE_CORPUS];
      const opened = await archiveFromFiles(files, (line) => stderr.write(`${line}\n`), {
        ...synonyms,
        ...similarity,
      });
      rejected = opened.rejected;
      response = opened.archive.search(query, options);
    }
    stdout.write(values.json ? `${JSON.stringify(response)}\n` : formatHits(response));
    return rejected > 0 ? 1 : 0;
  },
};

/** A query vector from a file (`-`: standard input): a JSON array, or an object with `vector`. */
function readVector(file: string): number[] {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file === '-' ? 0 : file, 'utf8'));
  } catch (error) {
    throw new UsageError(`--vector ${file}: ${(error as Error).message}`);
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && 'vector' in value)
    value = value.vector;
  if (!Array.isArray(value)) throw new UsageError(`--vector ${file} must hold a JSON array of numbers`);
  return value as number[];
}

function formatHits(response: SearchResponse): string {
  const matched = response.query === '' ? 'are nearest the vector' : `match "${response.query}"`;
  const lines = [`${response.total} paragraphs ${matched}${response.relaxed ? ' (phrase loosened)' : ''}`];
  if (response.suggestion !== undefined) lines.push(`Did you mean: ${response.suggestion}`);
  response.hits.forEach((hit, index) => {
    lines.push('', `${index + 1}. ${hit.title || hit.id} — ${hit.id}#${hit.para}  [${hit.score.toFixed(2)}]`);
    const meta = [hit.published, hit.source, hit.section].filter((value) => value !== null).join(' · ');
    if (meta) lines.push(`   ${meta}`);
    if (hit.copies) {
      lines.push(
        `   also in: ${hit.copies.map((copy) => copy.source ?? `${copy.id}#${copy.para}`).join(', ')}`,
      );
    }
    lines.push(`   ${markForTerminal(hit.text, hit.highlights)}`);
  });
  for (const [name, counts] of Object.entries(response.facets ?? {})) {
    lines.push('', `${name}: ${counts.map(({ value, count }) => `${value} (${count})`).join(', ')}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The text with matched words in brackets: terminals show no HTML. */
function markForTerminal(text: string, highlights: readonly [number, number][]): string {
  let out = '';
  let cursor = 0;
  for (const [start, end] of highlights) {
    out += `${text.slice(cursor, start)}[${text.slice(start, end)}]`;
    cursor = end;
  }
  return out + text.slice(cursor);
}
