import type { SearchResponse } from '../index/archive.js';
import { FACET_NAMES, type FacetName, MAX_LIMIT, type SearchOptions } from '../index/search-options.js';
import { archiveFromFiles, openArchiveDirectory, SAMPLE_CORPUS, synonymsOption } from './open-archive.js';
import { type Command, integerOption, parseCommandArgs, UsageError } from './usage.js';

/** `arshif search QUERY`: ranked paragraph hits on the terminal. */
export const searchCommand: Command = {
  name: 'search',
  summary: 'search an archive and print ranked paragraph hits',
  help: `Usage: arshif search QUERY [--index DIR | --input FILE...] [--limit N] [--facets LIST] [--no-collapse] [--synonyms FILE] [--json]

Searches an archive directory or article files (the sample corpus/ when neither is given) and
prints the best paragraphs, best first. Query syntax: words (any may match), "an exact phrase",
-word to exclude, +word to require.

  --index DIR    the archive directory built by "arshif index"
  --input FILE   article file, .jsonl or .jsonl.gz (may be repeated)
  --limit N      number of hits, 1–${MAX_LIMIT} (default 10)
  --facets LIST  count every match by ${FACET_NAMES.join(', ')} (comma-separated)
  --no-collapse  list copies of a paragraph (a wire story republished) as hits of their own
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
    });
    const synonyms = synonymsOption(values.synonyms);
    const facets = values.facets?.split(',').map((name) => name.trim());
    const unknown = facets?.find((name) => !(FACET_NAMES as readonly string[]).includes(name));
    if (unknown !== undefined) {
      throw new UsageError(`--facets takes ${FACET_NAMES.join(', ')}, got "${unknown}"`);
    }
    const query = positionals.join(' ');
    if (query.trim() === '') throw new UsageError('search needs a QUERY');
    const limit = integerOption('limit', values.limit, 10, 1, MAX_LIMIT);
    const options: SearchOptions = {
      limit,
      collapse: values['no-collapse'] !== true,
      ...(facets ? { facets: facets as FacetName[] } : {}),
    };
    if (values.index !== undefined && values.input?.length) {
      throw new UsageError('give --index DIR or --input FILE, not both');
    }
    let response: SearchResponse;
    let rejected = 0;
    if (values.index !== undefined) {
      const warn = (line: string) => stderr.write(`arshif: ${line}\n`);
      const archive = await openArchiveDirectory(values.index, warn, { readonly: true, ...synonyms });
      try {
        response = archive.search(query, options);
      } finally {
        await archive.close();
      }
    } else {
      const files = values.input?.length ? values.input : [SAMPLE_CORPUS];
      const opened = await archiveFromFiles(files, (line) => stderr.write(`${line}\n`), synonyms);
      rejected = opened.rejected;
      response = opened.archive.search(query, options);
    }
    stdout.write(values.json ? `${JSON.stringify(response)}\n` : formatHits(response));
    return rejected > 0 ? 1 : 0;
  },
};

function formatHits(response: SearchResponse): string {
  const lines = [
    `${response.total} paragraphs match "${response.query}"${response.relaxed ? ' (phrase loosened)' : ''}`,
  ];
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
