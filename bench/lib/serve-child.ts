import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';

/** A port nobody listens on: bound to 0 by the OS, then released. */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** How {@link startServeChild} starts the child and says it is ready. */
export interface ServeChildOptions {
  /** Options of Node itself, before the script (`--cpu-prof`, say). */
  nodeArgs?: readonly string[];
  /** Where the line saying what it serves goes. Default: standard output. */
  log?: (line: string) => void;
}

/**
 * Starts `arshif serve ARGS` on a free port in a child process and waits until `/health` answers,
 * printing what it serves and how long starting took.
 */
export async function startServeChild(
  args: readonly string[],
  env: Record<string, string> = {},
  { nodeArgs = [], log = console.log }: ServeChildOptions = {},
): Promise<{ base: string; child: ChildProcess }> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [...nodeArgs, '--import', 'tsx', 'src/cli.ts', 'serve', ...args, '--port', String(port)],
    {
      env: { ...process.env, ARSHIF_LOG_LEVEL: 'warn', ARSHIF_RATE_LIMIT: '0', ...env },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  const base = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`serve exited with ${child.exitCode}`);
    try {
      const health = await (await fetch(`${base}/health`)).json();
      log(`serving ${JSON.stringify(health)} after ${((performance.now() - started) / 1000).toFixed(1)} s`);
      return { base, child };
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}
