/** What the tests of the commands share: three articles, files of them, and the command line run in-process. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, expect } from 'vitest';
import { runCommandLine as main } from '../../src/cli.js';

export const OIL = {
  id: 'oil',
  title: 'أسواق الطاقة',
  published: '2024-01-15',
  paragraphs: ['ارتفعت أسعار النفط في الأسواق.'],
};
export const MATCH = {
  id: 'match',
  title: 'فوز المنتخب',
  body: 'فاز المنتخب الوطني في المباراة.\n\nوارتفعت أسعار التذاكر بعد الفوز.',
};
export const GOLD = { id: 'gold', paragraphs: ['تراجعت أسعار الذهب اليوم.'] };

/**
 * For a test file: a temporary directory (`DIR`), deleted after its tests (registered with `afterAll`
 * where it is called), and `tmpFile`, which writes a file in it and returns its path.
 */
export function temporaryFiles() {
  const DIR = mkdtempSync(join(tmpdir(), 'arshif-cli-'));
  afterAll(() => rmSync(DIR, { recursive: true, force: true }));

  /** Writes a file under the test's temporary directory and returns its path. */
  function tmpFile(name: string, content: string | Buffer): string {
    const path = join(DIR, name);
    writeFileSync(path, content);
    return path;
  }

  return { DIR, tmpFile };
}

export const jsonl = (values: readonly unknown[]) =>
  values.map((value) => JSON.stringify(value)).join('\n') + '\n';

/** Runs the command line in this process with in-memory stdout and stderr. */
export async function run(...argv: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return runWith({}, ...argv);
}

/** {@link run}, with stderr claiming to be a terminal or not. */
export async function runWith(
  { terminal = false }: { terminal?: boolean },
  ...argv: string[]
): Promise<{ status: number; stdout: string; stderr: string }> {
  const output = { stdout: '', stderr: '' };
  const sink = (name: keyof typeof output) =>
    Object.assign(
      new Writable({
        write(chunk: Buffer | string, _encoding, done) {
          output[name] += chunk.toString();
          done();
        },
      }),
      { isTTY: name === 'stderr' && terminal },
    );
  const status = await main(argv, { stdout: sink('stdout'), stderr: sink('stderr') });
  return { status, ...output };
}

/** Asserts a usage or failure message: one line naming the problem, then at most a usage line. */
export function expectErrorLine(stderr: string, pattern: RegExp): void {
  const lines = stderr.trimEnd().split('\n');
  expect(lines[0]).toMatch(pattern);
  expect(lines.length).toBeLessThanOrEqual(2);
  if (lines[1] !== undefined) expect(lines[1]).toMatch(/^Usage: /u);
  expect(stderr).not.toMatch(/^\s+at /mu);
}

/**
 * The files of the tests with vectors, written with `tmpFile`: three articles with a vector of three
 * dimensions each, a query vector as a JSON array, and one as a query line with a `vector`.
 */
export function vectorFiles(tmpFile: (name: string, content: string) => string) {
  const withVectors = tmpFile(
    'vectors.jsonl',
    jsonl([
      { ...OIL, vectors: [[1, 0, 0]] },
      { ...GOLD, vectors: [[0, 1, 0]] },
      { id: 'sport', paragraphs: ['فاز الفريق بالكأس'], vectors: [[0, 0.2, 1]] },
    ]),
  );
  const queryVector = tmpFile('query-vector.json', JSON.stringify([0, 0.1, 1]));
  const queryLine = tmpFile('query-line.json', JSON.stringify({ qid: 'q', query: 'x', vector: [1, 0.1, 0] }));
  return { withVectors, queryVector, queryLine };
}
