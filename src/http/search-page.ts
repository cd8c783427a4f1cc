/** The search page and the `<arshif-search>` element, served as static files. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { packagePath } from '../platform/package-files.js';

/** The search page's files: HTML, the `<arshif-search>` element and its style sheets. */
export const WEB_ROOT = packagePath('web');

/**
 * `GET /` serves the search page (Arabic, right to left) and `/embed.js` the `<arshif-search>` element
 * other newsroom tools embed with one script tag; both use only the public HTTP API.
 */
export async function registerSearchPage(app: FastifyInstance): Promise<void> {
  // Its own instance, beside the one /docs registers: no reply decorator of its own.
  await app.register(fastifyStatic, {
    root: WEB_ROOT,
    prefix: '/',
    decorateReply: false,
    index: ['index.html'],
    wildcard: false,
    maxAge: '5m',
  });
  // The element's module under the name embedders use; it finds its style sheet beside itself.
  const element = await readFile(join(WEB_ROOT, 'arshif-search.js'), 'utf8');
  app.get('/embed.js', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=300').send(element),
  );
}
