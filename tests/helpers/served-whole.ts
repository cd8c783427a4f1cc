import { expect } from 'vitest';
import type { ServeProcess } from './serve-process.js';

/**
 * Checks from outside that a started command line serves the whole service, as a bundle of it must
 * (whose files and workers are found elsewhere than the sources'): the search page, the OpenAPI page and
 * every asset it names, a search with hits (of the sample corpus), and a search thread that started.
 */
export async function expectServedWhole(serve: ServeProcess): Promise<void> {
  const page = await fetch(`${serve.base}/`);
  expect(page.status).toBe(200);
  expect(await page.text()).toMatch(/arshif-search/u);
  const docs = await (await fetch(`${serve.base}/docs/`)).text();
  const assets = [...docs.matchAll(/(?:src|href)="\.\/(static\/[^"]+)"/gu)].map((match) => match[1]!);
  expect(assets).toContain('static/swagger-ui-bundle.js');
  for (const asset of assets) expect((await fetch(`${serve.base}/docs/${asset}`)).status, asset).toBe(200);
  const search = await fetch(`${serve.base}/search?q=${encodeURIComponent('أسعار النفط')}`);
  expect(((await search.json()) as { total: number }).total).toBeGreaterThan(0);
  // A search thread whose module was not found says so at once.
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(serve.stderr()).not.toMatch(/search replica stopped/u);
}
