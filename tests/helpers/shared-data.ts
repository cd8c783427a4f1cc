import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** `../shared/data` beside the repository: real public data, absent on some machines. */
export const SHARED_DATA = fileURLToPath(new URL('../../../shared/data/', import.meta.url));

/**
 * The path of a file under `../shared/data`, and why tests that need it are skipped when it is absent
 * (`undefined` when it is there), so a missing file is reported, never passed over silently.
 */
export function sharedFile(relative: string): { path: string; missing: string | undefined } {
  const path = `${SHARED_DATA}${relative}`;
  return { path, missing: existsSync(path) ? undefined : `${path} is absent: tests on real data skipped` };
}
