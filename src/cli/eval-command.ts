import { evaluate, readQueries } from '../evaluation/evaluate.js';
import { progressBar } from './progress-bar.js';
import { type Command, parseCommandArgs, UsageError } from './usage.js';

/** `arshif eval`: relevance metrics of the search on an evaluation set. */
export const evalCommand: Command = {
  name: 'eval',
  summary: 'measure relevance on an evaluation set',
  help: `Usage: arshif eval --articles FILE --queries FILE [--json]

Indexes the articles (JSON Lines, .jsonl or .jsonl.gz), runs every query of the queries file
(JSON Lines {"qid", "query", "relevant": [{"id", "para"}]}) and prints MRR@10, nDCG@10,
Recall@1/10/100 (binary relevance), the index time and the query latency p50/p99. Shows a
progress bar on a terminal while indexing.

  --articles FILE   article file (may be repeated)
  --queries FILE    queries with their relevant paragraphs
  --json            print one JSON object instead of a table`,
  async run({ args, stdout, stderr }) {
    const { values, positionals } = parseCommandArgs(args, {
      articles: { type: 'string', multiple: true },
      queries: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    if (!values.articles?.length) throw new UsageError('eval needs --articles FILE');
    if (!values.queries) throw new UsageError('eval needs --queries FILE');
    const queries = await readQueries(values.queries);
    const progress = stderr.isTTY ? progressBar(stderr, performance.now()) : undefined;
    const report = await evaluate(values.articles, queries, {}, progress?.update);
    progress?.finish();
    if (values.json) {
      stdout.write(`${JSON.stringify(report)}\n`);
      return 0;
    }
    const rows: [string, string][] = [
      ['queries', String(report.queries)],
      ['MRR@10', report.mrr10.toFixed(4)],
      ['nDCG@10', report.ndcg10.toFixed(4)],
      ['Recall@1', report.recall1.toFixed(4)],
      ['Recall@10', report.recall10.toFixed(4)],
      ['Recall@100', report.recall100.toFixed(4)],
      ['index ms', String(report.indexMs)],
      ['query p50 ms', report.queryP50Ms.toFixed(2)],
      ['query p99 ms', report.queryP99Ms.toFixed(2)],
    ];
    stdout.write(rows.map(([name, value]) => `${name.padEnd(14)}${value}`).join('\n') + '\n');
    return 0;
  },
};
