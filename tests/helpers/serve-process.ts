import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/** The repository root, where `src/cli.ts` runs from. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A port nobody listens on: bound to 0 by the OS, then released. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject()));
    });
  });
}

/** Resolves when a child process has exited, with its code or signal. */
export function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve({ code: child.exitCode, signal: child.signalCode });
      return;
    }
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
}

/** A `serve` process started by a test. */
export interface ServeProcess {
  child: ChildProcess;
  /** `http://127.0.0.1:<port>` */
  base: string;
  /** Everything it wrote to stderr so far. */
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Kills it with SIGKILL if it still runs. */
  kill(): Promise<void>;
}

/**
 * Starts `arshif serve ARGS --port <free port>` (or with `PORT` and `HOST` set instead) as a real
 * process and waits until `/health` answers.
 * Throws (with its stderr) if it exits or does not answer in time.
 */
export async function startServe(
  args: readonly string[],
  env: Record<string, string> = {},
  timeoutMs = 20_000,
  portVia: 'flag' | 'environment' = 'flag',
  /** What runs the command line, from where: the sources through tsx in the checkout by default. */
  { entry = ['--import', 'tsx', 'src/cli.ts'], cwd = ROOT }: { entry?: readonly string[]; cwd?: string } = {},
): Promise<ServeProcess> {
  const port = await freePort();
  const portArgs = portVia === 'flag' ? ['--port', String(port)] : [];
  const portEnv = portVia === 'environment' ? { PORT: String(port), HOST: '127.0.0.1' } : {};
  const child = spawn(process.execPath, [...entry, 'serve', ...args, ...portArgs], {
    cwd,
    env: { ...process.env, ARSHIF_LOG_LEVEL: 'silent', ARSHIF_RATE_LIMIT: '0', ...portEnv, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout!.resume();
  const exited = exitOf(child);
  const serve: ServeProcess = {
    child,
    base: `http://127.0.0.1:${port}`,
    stderr: () => stderr,
    exited,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline;) {
    if (child.exitCode !== null || child.signalCode !== null) break;
    try {
      if ((await fetch(`${serve.base}/health`)).ok) return serve;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  await serve.kill();
  throw new Error(`serve ${args.join(' ')} never answered /health; stderr: ${stderr}`);
}
