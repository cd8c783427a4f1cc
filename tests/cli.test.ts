import { describe, expect, it } from 'vitest';
import { run } from './cli/cli-fixture.js';

describe('arshif commands and help', () => {
  it('an unknown command is a usage error (2)', async () => {
    const { status, stdout, stderr } = await run('frobnicate');
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.split('\n')[0]).toBe('arshif: unknown command "frobnicate"');
  });

  it('no command prints the usage on stderr and exits 2', async () => {
    const { status, stderr } = await run();
    expect(status).toBe(2);
    expect(stderr).toMatch(/^Usage:/u);
  });

  it.each([['--help'], ['analyze'], ['index'], ['search'], ['serve'], ['eval']])(
    '%s --help exits 0 and prints Usage:',
    async (name) => {
      const { status, stdout, stderr } = await run(...(name === '--help' ? ['--help'] : [name, '--help']));
      expect(status).toBe(0);
      expect(stderr).toBe('');
      expect(stdout).toMatch(/^Usage: arshif /u);
      if (name !== '--help') expect(stdout).toContain(`arshif ${name}`);
    },
  );
});
