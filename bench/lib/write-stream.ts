import { Agent, request as httpRequest } from 'node:http';
import type { Article } from '../../src/article/article.js';

/** Where each body's id goes: the serialised id of a mark no article has. */
const ID_MARK = JSON.stringify('@bench-id@');

/**
 * Posts `articles` (in turn, again from the first when they run out) under new ids `${idPrefix}1`,
 * `${idPrefix}2`… at `perSecond` until stopped. The bodies are serialised beforehand and sent over
 * kept-alive connections, so that the client, on the same cores as the server, takes as little of them
 * as it can. `stop()` waits for the writes in flight, then tells how many were sent and which ids were
 * acknowledged.
 */
export function streamWrites(
  base: string,
  token: string,
  perSecond: number,
  articles: readonly Article[],
  idPrefix: string,
) {
  const bodies = articles.slice(0, 2000).map((article) => JSON.stringify({ ...article, id: '@bench-id@' }));
  const agent = new Agent({ keepAlive: true });
  let sent = 0;
  const acknowledged: string[] = [];
  let failed = 0;
  let inFlight = 0;
  const timer = setInterval(() => {
    sent += 1;
    const id = `${idPrefix}${sent}`;
    const body = bodies[sent % bodies.length]!.replace(ID_MARK, JSON.stringify(id));
    inFlight += 1;
    const request = httpRequest(
      `${base}/articles`,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          authorization: `Bearer ${token}`,
        },
      },
      (response) => {
        response.resume();
        inFlight -= 1;
        if (response.statusCode === 200) acknowledged.push(id);
        else failed += 1;
      },
    );
    request.on('error', () => {
      inFlight -= 1;
      failed += 1;
    });
    request.end(body);
  }, 1000 / perSecond);
  return {
    stop: async () => {
      clearInterval(timer);
      while (inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 20));
      agent.destroy();
      return { sent, acknowledged, failed };
    },
  };
}
