import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import { Archive } from '../../src/archive/archive.js';
import { expectErrorLine, run } from './cli-fixture.js';

describe('arshif analyze', () => {
  it('prints exactly {"normalized", "tokens": [{text, term, start, end}]} as one JSON line', async () => {
    const text = 'وقالت الخارجيةُ إنّ زعزعةَ الاستقرار مرفوضة';
    const { status, stdout, stderr } = await run('analyze', text);
    expect(status).toBe(0);
    expect(stderr).toBe('');
    expect(stdout.endsWith('\n')).toBe(true);
    expect(stdout.trimEnd().split('\n')).toHaveLength(1);
    const body = JSON.parse(stdout) as { normalized: string; tokens: Record<string, unknown>[] };
    expect(Object.keys(body).sort()).toEqual(['normalized', 'tokens']);
    expect(body.normalized).toBe('وقالت الخارجيه ان زعزعه الاستقرار مرفوضه');
    expect(body.tokens.length).toBeGreaterThan(0);
    for (const token of body.tokens) {
      expect(Object.keys(token).sort()).toEqual(['end', 'start', 'term', 'text']);
      const surface = token.text as string;
      const start = text.indexOf(surface);
      expect([token.start, token.end]).toEqual([start, start + surface.length]);
      expect(typeof token.term).toBe('string');
    }
    expect(body.tokens.map((token) => token.text)).toEqual(expect.arrayContaining(['الخارجيةُ', 'زعزعةَ']));
  });

  it('prints the same JSON as GET /analyze', async () => {
    const text = 'أعلنت الحكومةُ ٣ قرارات';
    const app = await buildApp({ archive: new Archive() });
    const response = await app.inject({ method: 'GET', url: `/analyze?${new URLSearchParams({ text })}` });
    await app.close();
    expect(JSON.parse((await run('analyze', text)).stdout)).toEqual(response.json());
  });

  it('without TEXT is a usage error (2)', async () => {
    const { status, stdout, stderr } = await run('analyze');
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expectErrorLine(stderr, /^arshif analyze: .*TEXT/u);
  });
});
