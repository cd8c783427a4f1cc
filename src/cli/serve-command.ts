import { startServer } from '../http/server.js';
import { archiveFromFiles, SAMPLE_CORPUS } from './open-archive.js';
import { type Command, integerOption, parseCommandArgs, UsageError } from './usage.js';

/** `arshif serve`: the HTTP service. */
export const serveCommand: Command = {
  name: 'serve',
  summary: 'start the HTTP search service',
  help: `Usage: arshif serve [--input FILE...] [--port 3000] [--host 127.0.0.1]

Serves the articles of the given files (the sample corpus/ when none is given) over HTTP:
GET /search, /articles/:id, /analyze, /health; OpenAPI docs at /docs. Write routes
(POST /articles, DELETE /articles/:id) need ARSHIF_TOKEN. Stops cleanly on SIGINT/SIGTERM.

  --input FILE   article file, .jsonl or .jsonl.gz (may be repeated)
  --port N       port to listen on (default 3000; 0 picks a free one)
  --host ADDR    address to listen on (default 127.0.0.1)`,
  async run({ args, stderr }) {
    const { values, positionals } = parseCommandArgs(args, {
      input: { type: 'string', multiple: true },
      port: { type: 'string' },
      host: { type: 'string' },
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const port = integerOption('port', values.port, 3000, 0, 65535);
    const files = values.input?.length ? values.input : [SAMPLE_CORPUS];
    const { archive } = await archiveFromFiles(files, (line) => stderr.write(`${line}\n`));
    const server = await startServer({ archive, port, host: values.host ?? '127.0.0.1' });
    await server.closed;
    return 0;
  },
};
