/** A private PostgreSQL server for tests: initdb in a temporary directory, listening on loopback only. */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** The folder of PostgreSQL's server programs (Debian's packages put them out of PATH), or undefined. */
function serverBinaries(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((version) => existsSync(join(root, version, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0] !== undefined) return join(root, versions[0], 'bin');
  }
  try {
    const initdb = execFileSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' }).trim();
    return initdb === '' ? undefined : initdb.slice(0, -'/initdb'.length);
  } catch {
    return undefined;
  }
}

const BIN = serverBinaries();

/** Why tests that need PostgreSQL are skipped here, or `undefined` when it is installed. */
export const POSTGRES_MISSING =
  BIN === undefined
    ? "PostgreSQL's server is not installed (Debian's postgresql package): PostgreSQL tests skipped"
    : undefined;

/** initdb refuses to run as root: as root, the servers run as the `postgres` user the package creates. */
const AS_ROOT = process.getuid?.() === 0;

function run(program: string, args: readonly string[]): string {
  const command = join(BIN!, program);
  return AS_ROOT
    ? execFileSync('runuser', ['-u', 'postgres', '--', command, ...args], { encoding: 'utf8', stdio: 'pipe' })
    : execFileSync(command, [...args], { encoding: 'utf8', stdio: 'pipe' });
}

/** A free TCP port on loopback. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A running test server. */
export interface PostgresServer {
  /** A connection URL to the `postgres` database. */
  url: string;
  port: number;
  /** A new empty database, its URL: one per test keeps tests apart. */
  createDatabase(): Promise<string>;
  /** Stops the server as `kill -9` would (no shutdown checkpoint). */
  crash(): void;
  /** Starts it again after {@link crash} or {@link stop}. */
  start(): void;
  /** Stops it and removes its files. */
  stop(): void;
  /** Runs SQL as the superuser on the `postgres` database. */
  sql(statement: string): Promise<void>;
}

/** A streaming standby of a test server. */
export interface StandbyServer extends PostgresServer {
  /** Makes it the primary (as after the primary's failure). */
  promote(): void;
}

let databases = 0;

/**
 * Starts a PostgreSQL server of its own for a test file, on a free loopback port, in a temporary
 * directory; `fsync` off unless asked for (tests of crashes that must not lose a commit ask).
 */
export async function startPostgres(options: { fsync?: boolean } = {}): Promise<PostgresServer> {
  if (BIN === undefined) throw new Error(POSTGRES_MISSING);
  const directory = ownedDirectory();
  const data = join(directory, 'data');
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'arshif', '-E', 'UTF8', '--no-sync', '--locale', 'C']);
  return serverIn(directory, options.fsync ?? false);
}

/**
 * Starts a streaming standby of `primary` (pg_basebackup), and makes the primary's commits wait for it
 * (`synchronous_standby_names`): a write the primary acknowledged is on the standby too.
 */
export async function startStandby(primary: PostgresServer): Promise<StandbyServer> {
  const directory = ownedDirectory();
  const data = join(directory, 'data');
  run('pg_basebackup', [
    '-h',
    '127.0.0.1',
    '-p',
    String(primary.port),
    '-U',
    'arshif',
    '-D',
    data,
    '-R',
    '-X',
    'stream',
    // A spread checkpoint takes minutes once a database was created: the copy starts from a fast one.
    '--checkpoint=fast',
  ]);
  const standby = await serverIn(directory, true);
  await primary.sql("ALTER SYSTEM SET synchronous_standby_names = '*'");
  await primary.sql('SELECT pg_reload_conf()');
  return { ...standby, promote: () => run('pg_ctl', ['-D', data, '-w', 'promote']) };
}

/** A new temporary directory the server's user owns. */
function ownedDirectory(): string {
  const directory = mkdtempSync(join(tmpdir(), 'arshif-pg-'));
  if (AS_ROOT) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
    chownSync(directory, uid, gid);
  }
  return directory;
}

/** Starts the server whose data is in `directory/data`, on a free loopback port. */
async function serverIn(directory: string, fsync: boolean): Promise<PostgresServer> {
  const data = join(directory, 'data');
  const port = await freePort();
  const settings = [
    `-p ${port}`,
    `-k ${directory}`,
    '-c listen_addresses=127.0.0.1',
    `-c fsync=${fsync ? 'on' : 'off'}`,
    '-c max_connections=200',
  ].join(' ');
  const start = () =>
    run('pg_ctl', ['-D', data, '-o', settings, '-l', join(directory, 'log'), '-w', 'start']);
  start();
  const url = `postgres://arshif@127.0.0.1:${port}/postgres`;
  const sql = async (statement: string) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  return {
    url,
    port,
    sql,
    async createDatabase() {
      databases += 1;
      const name = `test_${process.pid}_${databases}`;
      await sql(`CREATE DATABASE ${name}`);
      return `postgres://arshif@127.0.0.1:${port}/${name}`;
    },
    crash() {
      run('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
    },
    start,
    stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
      } catch {
        // Already stopped.
      }
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
