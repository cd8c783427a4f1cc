/** Files Arshif ships beside its code (the search page, the sample corpus), wherever that code runs from. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/**
 * The folder of Arshif's `package.json`: found by walking up from this module, because the code runs
 * from `src/` (a checkout), `dist/` (compiled) or one bundled file (`dist/cli.js`, or a checkout's
 * bundle under `node_modules/.cache/`), each at another depth.
 */
export function packageRoot(): string {
  if (root !== undefined) return root;
  let folder = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(folder, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'arshif'
    ) {
      root = folder;
      return root;
    }
    const parent = dirname(folder);
    if (parent === folder)
      throw new Error(`no package.json of arshif above ${fileURLToPath(import.meta.url)}`);
    folder = parent;
  }
}

/**
 * A path inside Arshif's package folder.
 *
 * @example packagePath('corpus/articles.jsonl')
 */
export function packagePath(relative: string): string {
  return join(packageRoot(), relative);
}
