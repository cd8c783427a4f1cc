import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { syncDirectory, writeFileDurably } from '../../src/platform/durable-file.js';

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'arshif-durable-'));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('writeFileDurably', () => {
  it('writes every part in order, replaces an older file, and leaves no temporary file', async () => {
    const file = join(directory, 'out.bin');
    await writeFileDurably(file, [Buffer.from('old')]);
    await writeFileDurably(file, [Buffer.from('نص '), Buffer.from('جديد')]);
    expect(await readFile(file, 'utf8')).toBe('نص جديد');
    expect(await readdir(directory)).toEqual(['out.bin']);
  });

  it('fails when its folder is missing, and so does syncing that folder', async () => {
    const file = join(directory, 'missing', 'out.bin');
    await expect(writeFileDurably(file, [Buffer.from('x')])).rejects.toThrow(/ENOENT/u);
    await expect(syncDirectory(join(directory, 'missing'))).rejects.toThrow(/ENOENT/u);
  });
});
