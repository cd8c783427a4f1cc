import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LOCK_FILE, lockDirectory } from '../../src/platform/directory-lock.js';
import { temporaryDirectory } from '../helpers/temp-archive.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function newDirectory(): Promise<string> {
  const directory = await temporaryDirectory();
  cleanups.push(directory.remove);
  return directory.path;
}

/** Locks a directory, released after the test. */
function lock(directory: string): { release: () => void } {
  const held = lockDirectory(directory);
  cleanups.push(held.release);
  return held;
}

/** The pid of a process that has exited. */
function exitedPid(): number {
  const exited = spawnSync(process.execPath, ['-e', 'process.exit(0)']);
  expect(exited.status).toBe(0);
  return exited.pid!;
}

describe('lockDirectory', () => {
  it('writes its pid to the lock file, and removes the file when released', async () => {
    const directory = await newDirectory();
    const held = lock(directory);
    expect((await readFile(join(directory, LOCK_FILE), 'utf8')).split('\n')[0]).toBe(String(process.pid));
    held.release();
    expect(existsSync(join(directory, LOCK_FILE))).toBe(false);
  });

  it('puts the lock in place whole, leaving no draft of it behind, and a failed attempt none either', async () => {
    const directory = await newDirectory();
    const held = lock(directory);
    expect(await readdir(directory)).toEqual([LOCK_FILE]);
    expect(() => lockDirectory(`${directory}/.`)).toThrow(/already open for writing in this process/u);
    held.release();
    await writeFile(join(directory, LOCK_FILE), `${process.ppid}\n`);
    expect(() => lockDirectory(directory)).toThrow(/open for writing by process/u);
    expect(await readdir(directory)).toEqual([LOCK_FILE]);
  });

  it.each([
    ['the same path', async (directory: string) => directory],
    ['another spelling of it', async (directory: string) => `${directory}/.`],
    [
      'a symbolic link to it',
      async (directory: string) => {
        const link = join(await newDirectory(), 'أرشيف');
        await symlink(directory, link);
        return link;
      },
    ],
  ])('refuses a second lock in this process, by %s, with LOCKED', async (_name, spelling) => {
    const directory = await newDirectory();
    lock(directory);
    const other = await spelling(directory);
    expect(() => lockDirectory(other)).toThrow(
      expect.objectContaining({
        code: 'LOCKED',
        message: `archive ${other} is already open for writing in this process`,
      }),
    );
  });

  it('locks two directories at once', async () => {
    const [first, second] = [await newDirectory(), await newDirectory()];
    lock(first);
    lock(second);
    expect(existsSync(join(first, LOCK_FILE)) && existsSync(join(second, LOCK_FILE))).toBe(true);
  });

  it('can be taken again once released; releasing twice leaves the new holder its lock', async () => {
    const directory = await newDirectory();
    const first = lockDirectory(directory);
    first.release();
    lock(directory);
    first.release();
    expect(existsSync(join(directory, LOCK_FILE))).toBe(true);
    expect(() => lockDirectory(directory)).toThrow(expect.objectContaining({ code: 'LOCKED' }));
  });

  it('refuses a lock held by another running process, naming its pid, and leaves its file', async () => {
    const directory = await newDirectory();
    const holder = process.ppid;
    await writeFile(join(directory, LOCK_FILE), `${holder}\n`);
    expect(() => lockDirectory(directory)).toThrow(
      expect.objectContaining({
        code: 'LOCKED',
        message: `archive ${directory} is open for writing by process ${holder}`,
      }),
    );
    expect(await readFile(join(directory, LOCK_FILE), 'utf8')).toBe(`${holder}\n`);
  });

  it.each([
    ['a process that no longer runs', () => `${exitedPid()}\n`],
    ['this very pid, left by an earlier process (a restarted container)', () => `${process.pid}\n`],
    ['no pid at all', () => 'ليس رقما\n'],
    ['an empty file', () => ''],
  ])('takes over a stale lock: the file names %s', async (_name, contents) => {
    const directory = await newDirectory();
    await writeFile(join(directory, LOCK_FILE), contents());
    lock(directory);
    expect((await readFile(join(directory, LOCK_FILE), 'utf8')).split('\n')[0]).toBe(String(process.pid));
  });

  it('refuses a path that is not a directory with IO_ERROR', async () => {
    const directory = await newDirectory();
    const file = join(directory, 'مقالات.jsonl');
    await writeFile(file, '');
    expect(() => lockDirectory(file)).toThrow(
      expect.objectContaining({ code: 'IO_ERROR', message: expect.stringContaining(`cannot lock ${file}`) }),
    );
  });
});
