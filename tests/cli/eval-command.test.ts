import { describe, expect, it } from 'vitest';
import { GOLD, jsonl, MATCH, OIL, run, temporaryFiles, vectorFiles } from './cli-fixture.js';

const { tmpFile } = temporaryFiles();

describe('arshif eval', () => {
  const articles = tmpFile('eval-articles.jsonl', jsonl([OIL, MATCH, GOLD]));
  const KEYS = [
    'indexMs',
    'mrr10',
    'ndcg10',
    'queries',
    'queryP50Ms',
    'queryP99Ms',
    'recall1',
    'recall10',
    'recall100',
  ];

  it('--json prints exactly the SPEC keys; MRR@10 is 1 when every relevant paragraph ranks first', async () => {
    const queries = tmpFile(
      'eval-first.jsonl',
      jsonl([
        { qid: 'q1', query: 'النفط', relevant: [{ id: 'oil', para: 0 }] },
        { qid: 'q2', query: 'المنتخب المباراة', relevant: [{ id: 'match', para: 0 }] },
      ]),
    );
    const { status, stdout, stderr } = await run(
      'eval',
      '--articles',
      articles,
      '--queries',
      queries,
      '--json',
    );
    expect(stderr).toBe('');
    expect(status).toBe(0);
    const report = JSON.parse(stdout) as Record<string, number>;
    expect(Object.keys(report).sort()).toEqual(KEYS);
    for (const key of KEYS) expect(typeof report[key], key).toBe('number');
    expect(report).toMatchObject({ queries: 2, mrr10: 1, ndcg10: 1, recall1: 1, recall10: 1, recall100: 1 });
    expect(report.queryP99Ms).toBeGreaterThanOrEqual(report.queryP50Ms!);
  });

  it('averages over queries: a query whose relevant paragraph is never found scores 0', async () => {
    const queries = tmpFile(
      'eval-half.jsonl',
      jsonl([
        { qid: 'q1', query: 'الذهب', relevant: [{ id: 'gold', para: 0 }] },
        { qid: 'q2', query: 'الفيضانات', relevant: [{ id: 'oil', para: 0 }] },
      ]),
    );
    const report = JSON.parse(
      (await run('eval', '--articles', articles, '--queries', queries, '--json')).stdout,
    );
    expect(report).toMatchObject({ queries: 2, mrr10: 0.5, recall1: 0.5, recall100: 0.5 });
  });
});

describe('arshif with vectors', () => {
  const { withVectors } = vectorFiles(tmpFile);

  it('eval --ranking vector and hybrid rank by each query’s vector', async () => {
    const queries = tmpFile(
      'eval-vectors.jsonl',
      jsonl([
        { qid: 'q1', query: 'الكأس', relevant: [{ id: 'sport', para: 0 }], vector: [0, 0, 1] },
        { qid: 'q2', query: 'الذهب', relevant: [{ id: 'oil', para: 0 }], vector: [1, 0, 0] },
      ]),
    );
    const report = (ranking: string) =>
      run('eval', '--articles', withVectors, '--queries', queries, '--ranking', ranking, '--json').then(
        ({ stdout }) => JSON.parse(stdout) as Record<string, number>,
      );
    // By words q2 finds gold, not oil; by vector both find theirs first.
    expect((await report('words')).mrr10).toBe(0.5);
    expect((await report('vector')).mrr10).toBe(1);
    expect((await report('hybrid')).recall10).toBe(1);
  });
});
