/** The `arshif eval` command: relevance metrics and latency of the search on an evaluation set. */
import { evaluate, readQueries, type RunReport } from '../evaluation/evaluate.js';
import { DEFAULT_SEMANTIC_RATIO } from '../archive/search-options.js';
import { progressBar } from './progress-bar.js';
import { type Command, integerOption, parseCommandArgs, ratioOption, UsageError } from './usage.js';

/** `arshif eval`: relevance metrics of the search on an evaluation set. */
export const evalCommand: Command = {
  name: 'eval',
  summary: 'measure relevance on an evaluation set',
  help: `Usage: arshif eval --articles FILE --queries FILE [--ranking words|vector|hybrid [--semantic-ratio R]] [--typos [--seed N]] [--json]

Indexes the articles (JSON Lines, .jsonl or .jsonl.gz), runs every query of the queries file
(JSON Lines {"qid", "query", "relevant": [{"id", "para"}]}) and prints MRR@10, nDCG@10,
Recall@1/10/100 (binary relevance), the index time and the query latency p50/p99 (of one pass
over every query, after the first 200 are run once to warm up, as ../shared/peers/run.sh times
every engine). Shows a progress bar on a terminal while indexing.

  --articles FILE   article file (may be repeated)
  --queries FILE    queries with their relevant paragraphs
  --typos           also run every query with one typing error (a sound-alike letter, a
                    dropped, doubled or swapped letter) and print both
  --seed N          the seed the typing errors are drawn with (default 1)
  --ranking R       words (default); vector: by each query's "vector" alone; hybrid: words and
                    vector blended, from each query line's "vector" (from the model that made the
                    articles'; bench/tools/make-vectors.ts makes stand-ins). A query without one finds
                    nothing by vector, and is ranked by its words in a blend.
  --semantic-ratio R  with hybrid: the vector ranking's share of the blend, 0–1 (default ${DEFAULT_SEMANTIC_RATIO})
  --json            print one JSON object instead of a table`,
  async run({ args, stdout, stderr }) {
    const { values, positionals } = parseCommandArgs(args, {
      articles: { type: 'string', multiple: true },
      queries: { type: 'string' },
      json: { type: 'boolean' },
      typos: { type: 'boolean' },
      seed: { type: 'string' },
      ranking: { type: 'string' },
      'semantic-ratio': { type: 'string' },
    });
    const ranking = values.ranking ?? 'words';
    if (ranking !== 'words' && ranking !== 'vector' && ranking !== 'hybrid') {
      throw new UsageError(`--ranking must be words, vector or hybrid, got "${ranking}"`);
    }
    const ratioText = values['semantic-ratio'];
    if (ratioText !== undefined && ranking !== 'hybrid')
      throw new UsageError('--semantic-ratio needs --ranking hybrid');
    const semanticRatio = ratioText === undefined ? undefined : ratioOption('semantic-ratio', ratioText);
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    if (!values.articles?.length) throw new UsageError('eval needs --articles FILE');
    if (!values.queries) throw new UsageError('eval needs --queries FILE');
    const queries = await readQueries(values.queries);
    const progress = stderr.isTTY ? progressBar(stderr, performance.now()) : undefined;
    const seed = integerOption('seed', values.seed, 1, 0, 2 ** 32 - 1);
    const report = await evaluate(values.articles, queries, {}, progress?.update, {
      ranking,
      ...(values.typos ? { typoSeed: seed } : {}),
      ...(semanticRatio === undefined ? {} : { semanticRatio }),
    });
    progress?.finish();
    if (values.json) {
      stdout.write(`${JSON.stringify(report)}\n`);
      return 0;
    }
    const typos = report.typos;
    const row = (name: string, value: (run: RunReport) => string): string[] =>
      typos === undefined ? [name, value(report)] : [name, value(report), value(typos)];
    const rows: string[][] = [
      ...(typos === undefined ? [] : [['', 'as written', 'one typo']]),
      row('queries', (run) => String(run.queries)),
      ...(report.unembedded === undefined ? [] : [['no vector', String(report.unembedded)]]),
      ...(typos === undefined ? [] : [['misspelled', '', String(typos.misspelled)]]),
      row('MRR@10', (run) => run.mrr10.toFixed(4)),
      row('nDCG@10', (run) => run.ndcg10.toFixed(4)),
      row('Recall@1', (run) => run.recall1.toFixed(4)),
      row('Recall@10', (run) => run.recall10.toFixed(4)),
      row('Recall@100', (run) => run.recall100.toFixed(4)),
      ['index ms', String(report.indexMs)],
      row('query p50 ms', (run) => run.queryP50Ms.toFixed(2)),
      row('query p99 ms', (run) => run.queryP99Ms.toFixed(2)),
    ];
    stdout.write(
      rows
        .map((cells) =>
          cells
            .map((cell, at) => (at === 0 ? cell.padEnd(14) : cell.padEnd(12)))
            .join('')
            .trimEnd(),
        )
        .join('\n') + '\n',
    );
    return 0;
  },
};
