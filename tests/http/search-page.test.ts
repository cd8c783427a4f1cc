import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, type Server } from 'node:http';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import { Archive } from '../../src/archive/archive.js';
import { ROOT } from '../helpers/serve-process.js';

/** Debian's chromium (`.ci/run` installs it when missing): Playwright's own download cannot work here. */
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));
if (CHROMIUM === undefined) console.warn('no chromium in /usr/bin: the search page tests are skipped');

/** Where the run leaves its screenshots (gitignored). */
const SCREENSHOTS = join(ROOT, '.tmp/screenshots');

const ARTICLES = [
  {
    id: 'oil-1',
    title: 'ارتفاع أسعار النفط',
    published: '2024-03-01',
    source: 'وكالة الأنباء',
    section: 'اقتصاد',
    paragraphs: [
      'تمهيد الخبر.',
      'ارتفعت أسعار النفط في الأسواق العالمية اليوم <script>alert(1)</script> بنسبة كبيرة.',
    ],
  },
  {
    id: 'oil-2',
    title: 'النفط والذهب',
    published: '2023-06-10',
    source: 'الصحيفة',
    section: 'اقتصاد',
    paragraphs: ['تراجعت أسعار الذهب بينما استقرت أسعار النفط.'],
  },
  ...Array.from({ length: 14 }, (_, n) => ({
    id: `market-${n}`,
    title: `تقرير السوق ${n}`,
    published: `2022-01-${String(n + 10)}`,
    source: 'الموقع',
    section: 'أسواق',
    paragraphs: [`سجلت أسعار الأسهم في السوق تغيرا رقم ${n} مع تداولات النفط.`],
  })),
];

describe.skipIf(CHROMIUM === undefined)('the search page, in a real browser under its own CSP', () => {
  let browser: Browser;
  let page: Page;
  let base: string;
  let app: Awaited<ReturnType<typeof buildApp>>;
  const violations: string[] = [];

  beforeAll(async () => {
    const archive = new Archive();
    archive.putMany(ARTICLES);
    app = await buildApp({ archive, corsOrigins: ['http://127.0.0.1:1'] });
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    browser = await chromium.launch({ executablePath: CHROMIUM!, args: ['--no-sandbox'] });
    page = await browser.newPage({ locale: 'ar' });
    page.on('console', (message) => {
      if (/Content Security Policy|Refused/iu.test(message.text())) violations.push(message.text());
    });
    page.on('pageerror', (error) => violations.push(String(error)));
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  const element = () => page.locator('arshif-search');

  it('searches from the box, shows highlighted hits with facets, and keeps the query in the URL', async () => {
    await page.goto(`${base}/`);
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    // Typed without hamza, as people type: the marks fall on the words as written, hamza and all.
    await element().locator('input[type=search]').fill('اسعار النفط');
    await element().locator('input[type=search]').press('Enter');
    await expect.poll(() => element().locator('li.hit').count()).toBe(10);
    expect(new URL(page.url()).searchParams.get('q')).toBe('اسعار النفط');
    const marks = await element().locator('li.hit mark').allTextContents();
    expect(marks).toContain('أسعار');
    expect(marks).not.toContain('اسعار');
    // Hit text is text: the paragraph's <script> shows as characters, never runs or becomes markup.
    const withScript = element().locator('li.hit', { hasText: '<script>' });
    expect(await withScript.count()).toBe(1);
    expect(await element().locator('li.hit script').count()).toBe(0);
    const sources = await element().locator('select[name=source] option').allTextContents();
    expect(sources).toContain('الموقع (14)');
    // The lead paragraph of the story whose headline holds the words counts too, its title marked.
    expect(await element().locator('.status').textContent()).toMatch(/17 فقرة/u);
    const titleMarks = await element().locator('li.hit h3 mark').allTextContents();
    expect(titleMarks).toEqual(expect.arrayContaining(['أسعار', 'النفط']));
  });

  it('pages, filters by a facet, and reloads the same search from its URL', async () => {
    await element().getByRole('button', { name: 'التالي' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('page')).toBe('2');
    await expect.poll(() => element().locator('li.hit').count()).toBe(7);
    await element().locator('select[name=source]').selectOption('الصحيفة');
    await expect.poll(() => element().locator('li.hit').count()).toBe(1);
    const url = page.url();
    expect(new URL(url).searchParams.get('source')).toBe('الصحيفة');
    expect(new URL(url).searchParams.get('page')).toBeNull();
    await page.goto(url);
    await expect.poll(() => element().locator('li.hit').count()).toBe(1);
    expect(await element().locator('input[type=search]').inputValue()).toBe('اسعار النفط');
  });

  it('looks right at desktop and phone widths (screenshots in .tmp/screenshots)', async () => {
    for (const [name, size] of [
      ['desktop', { width: 1280, height: 800 }],
      ['phone', { width: 390, height: 844 }],
    ] as const) {
      await page.setViewportSize(size);
      await page.goto(`${base}/?q=${encodeURIComponent('اسعار النفط')}`);
      await expect.poll(() => element().locator('li.hit').count()).toBe(10);
      // Nothing wider than the screen: the page reads on a phone without sideways scrolling.
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(
        size.width,
      );
      await page.screenshot({ path: `${SCREENSHOTS}/results-${name}.png`, fullPage: true });
      await element().locator('button.open').first().click();
      await expect.poll(() => element().locator('section.article p.matched').count()).toBe(1);
      await page.screenshot({ path: `${SCREENSHOTS}/article-${name}.png` });
      await page.keyboard.press('Escape');
    }
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('opens the article with the matched paragraph highlighted in context; Escape closes it', async () => {
    await page.goto(`${base}/?q=${encodeURIComponent('ارتفعت')}`);
    await expect.poll(() => element().locator('li.hit').count()).toBe(1);
    await element().locator('button.open').first().click();
    const article = element().locator('section.article');
    await expect.poll(() => article.locator('p.matched mark').count()).toBeGreaterThan(0);
    expect(await article.locator('p').allTextContents()).toContain('تمهيد الخبر.');
    await page.keyboard.press('Escape');
    await expect.poll(() => article.isHidden()).toBe(true);
  });

  it('offers the corrected query, and searches it when clicked', async () => {
    await page.goto(`${base}/?q=${encodeURIComponent('اسعار النفت')}`);
    const suggested = element().locator('.suggestion button');
    await expect.poll(() => suggested.textContent()).toBe('اسعار النفط');
    await suggested.click();
    await expect.poll(() => new URL(page.url()).searchParams.get('q')).toBe('اسعار النفط');
    expect(await element().locator('input[type=search]').inputValue()).toBe('اسعار النفط');
    await expect.poll(() => element().locator('.suggestion').isHidden()).toBe(true);
  });

  it('shows the empty and error states', async () => {
    await page.goto(`${base}/?q=${encodeURIComponent('كلمةغيرموجودة')}`);
    await expect.poll(() => element().locator('.status').textContent()).toMatch(/لا نتائج/u);
    await page.goto(`${base}/?q=${encodeURIComponent('النفط')}&from=2024-13-01`);
    await expect
      .poll(() => element().locator('.status').textContent())
      .toMatch(/تعذّر البحث: from must be a date/u);
  });

  it('ran under a strict Content-Security-Policy without a violation', async () => {
    const response = await page.goto(`${base}/`);
    const policy = response!.headers()['content-security-policy']!;
    expect(policy).toMatch(/script-src 'self'/u);
    expect(policy).toMatch(/style-src 'self'(;|$)/u);
    expect(policy).not.toMatch(/unsafe-inline|unsafe-eval/u);
    expect(violations).toEqual([]);
  });

  it('embeds in another site with one script tag, calling the API across origins (CORS)', async () => {
    // A newsroom tool on another origin: its page has only the script tag and the element.
    const host: Server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(
        `<!doctype html><html><body><script type="module" src="${base}/embed.js"></script><arshif-search api="${base}"></arshif-search></body></html>`,
      );
    });
    await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
    const address = host.address();
    const origin = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
    try {
      const blocked = await fetch(`${base}/search?q=x`, { headers: { origin } });
      expect(blocked.headers.get('access-control-allow-origin')).toBeNull();
      await app.close();
      app = await buildApp({ archive: archiveOf(), corsOrigins: [origin] });
      base = await app.listen({ port: Number(new URL(base).port), host: '127.0.0.1' });
      const embedder = await browser.newPage();
      await embedder.goto(origin);
      await embedder.locator('arshif-search input[type=search]').fill('النفط');
      await embedder.locator('arshif-search input[type=search]').press('Enter');
      await expect.poll(() => embedder.locator('arshif-search li.hit').count()).toBeGreaterThan(0);
      await embedder.close();
    } finally {
      await new Promise((resolve) => host.close(resolve));
    }
  });
});

function archiveOf(): Archive {
  const archive = new Archive();
  archive.putMany(ARTICLES);
  return archive;
}
