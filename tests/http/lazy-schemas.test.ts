import type { ValidatorFactory } from '@fastify/ajv-compiler';
import type { SerializerFactory } from '@fastify/fast-json-stringify-compiler';
import { describe, expect, it, vi } from 'vitest';
import { Archive } from '../../src/archive/archive.js';
import { buildApp } from '../../src/http/app.js';
import { LazySchemas } from '../../src/http/lazy-schemas.js';

/** Factories that record what they compile: a validator passes `'ok'` only; `/broken` does not compile. */
function recordingFactories() {
  const compiled: string[] = [];
  const validatorFactory = (() => (route: { url: string }) => {
    compiled.push(`validator ${route.url}`);
    if (route.url === '/broken') throw new Error('schema of /broken');
    const validate = (data: unknown) => {
      validate.errors = data === 'ok' ? null : [{ message: `${String(data)} is not ok` }];
      return data === 'ok';
    };
    validate.errors = null as null | { message: string }[];
    return validate;
  }) as unknown as ValidatorFactory;
  const serializerFactory = (() => (route: { url: string }) => {
    compiled.push(`serializer ${route.url}`);
    return (data: unknown) => `${route.url}:${JSON.stringify(data)}`;
  }) as unknown as SerializerFactory;
  return { compiled, schemas: new LazySchemas(validatorFactory, serializerFactory) };
}

const route = (url: string) => ({
  schema: {},
  method: 'GET',
  url,
  httpPart: 'querystring',
  httpStatus: '200',
});
const turns = async (count: number) => {
  for (let turn = 0; turn < count; turn += 1) await new Promise((resolve) => setImmediate(resolve));
};

describe('LazySchemas', () => {
  it('compiles a schema when its route first needs it, once, and answers as the compiled function', () => {
    const { compiled, schemas } = recordingFactories();
    const validate = schemas.validators({}, {} as never)(route('/search') as never);
    const serialize = schemas.serializers([], {})(route('/search') as never);
    schemas.validators({}, {} as never)(route('/articles') as never);
    expect(compiled).toEqual([]);
    expect(schemas.uncompiled).toBe(3);

    expect(validate('no')).toBe(false);
    expect(validate.errors).toEqual([{ message: 'no is not ok' }]);
    expect(validate('ok')).toBe(true);
    expect(validate.errors).toBeNull();
    expect(serialize({ a: 1 })).toBe('/search:{"a":1}');
    expect(serialize({ a: 2 })).toBe('/search:{"a":2}');
    expect(compiled).toEqual(['validator /search', 'serializer /search']);
    expect(schemas.uncompiled).toBe(1);
  });

  it('compiles the rest one schema per turn of the event loop, and leaves a failing one to its request', async () => {
    const { compiled, schemas } = recordingFactories();
    const validators = schemas.validators({}, {} as never);
    const broken = validators(route('/broken') as never);
    for (const url of ['/a', '/b', '/c']) validators(route(url) as never);
    schemas.serializers([], {})(route('/a') as never);

    schemas.compileRest();
    expect(compiled).toEqual(['validator /broken']);
    await turns(10);
    expect(compiled).toEqual([
      'validator /broken',
      'validator /a',
      'validator /b',
      'validator /c',
      'serializer /a',
    ]);
    expect(schemas.uncompiled).toBe(0);
    // The route that needs it reports what failed.
    expect(() => broken('ok')).toThrow('schema of /broken');
  });
});

describe('the service with schemas compiled lazily', () => {
  const requests = [
    '/search',
    '/search?q=%D8%A7%D9%84%D9%86%D9%81%D8%B7&limit=0',
    '/search?q=%D8%A7%D9%84%D9%86%D9%81%D8%B7&limit=abc',
    '/search?q=%D8%A7%D9%84%D9%86%D9%81%D8%B7&offset=-1',
    '/search?q=%D8%A7%D9%84%D9%86%D9%81%D8%B7',
    '/articles/oil',
  ];

  it('answers as with every schema compiled at start-up, errors included', async () => {
    const answers = [];
    for (const checkSchemas of [false, true]) {
      const archive = new Archive();
      await archive.put({ id: 'oil', title: 'النفط', paragraphs: ['ارتفعت أسعار النفط'] });
      const app = await buildApp({ archive, checkSchemas });
      const replies = [];
      for (const url of requests) {
        const reply = await app.inject({ url });
        const body = reply.json();
        delete body.tookMs;
        replies.push([reply.statusCode, body]);
      }
      answers.push(replies);
      await app.close();
    }
    expect(answers[0]).toEqual(answers[1]);
    expect(answers[0]!.map(([status]) => status)).toEqual([400, 400, 400, 400, 200, 200]);
  });

  it('starts compiling the rest once it listens, not before', async () => {
    const compileRest = vi.spyOn(LazySchemas.prototype, 'compileRest');
    const app = await buildApp({ archive: new Archive() });
    try {
      await app.ready();
      expect(compileRest).not.toHaveBeenCalled();
      await app.listen({ port: 0, host: '127.0.0.1' });
      expect(compileRest).toHaveBeenCalledTimes(1);
      const { port } = app.server.address() as { port: number };
      const bad = await fetch(`http://127.0.0.1:${port}/search?q=x&limit=abc`);
      expect(bad.status).toBe(400);
    } finally {
      compileRest.mockRestore();
      await app.close();
    }
  });
});
