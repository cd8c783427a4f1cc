/** The HTTP error handler: codes mapped to statuses, schema violations to messages a client can act on. */
import type { FastifyError, FastifyReply, FastifyRequest, FastifySchemaValidationError } from 'fastify';
import type { SchemaErrorDataVar } from 'fastify/types/schema.js';
import { ArshifError, type ArshifErrorCode } from '../errors.js';

const STATUS_OF: Readonly<Record<ArshifErrorCode, number>> = {
  BAD_PARAMETER: 400,
  INVALID_ARTICLE: 400,
  UNAUTHORIZED: 401,
  WRITES_DISABLED: 403,
  NOT_FOUND: 404,
  BAD_INDEX: 500,
  LOCKED: 500,
  // The storage failed (disk full, say): the client may retry later; nothing was stored.
  IO_ERROR: 503,
  OVERLOADED: 503,
  BEHIND: 503,
  UNAVAILABLE: 503,
};

/**
 * Seconds a client told OVERLOADED or BEHIND waits before it retries: searches drain, and a node
 * applies writes, in milliseconds.
 */
const RETRY_AFTER_SECONDS = 1;

const CODE_OF_STATUS: Readonly<Record<number, string>> = {
  400: 'BAD_REQUEST',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  413: 'PAYLOAD_TOO_LARGE',
  414: 'URI_TOO_LONG',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'TOO_MANY_REQUESTS',
  431: 'HEADERS_TOO_LARGE',
};

/** The error body of SPEC.md. */
export function errorBody(code: string, message: string) {
  return { error: { code, message } };
}

/**
 * Maps every error to SPEC.md's `{"error": {"code", "message"}}`: Arshif's codes to their statuses,
 * schema violations to 400 `BAD_PARAMETER`, Fastify's own client errors (bad JSON, body too large,
 * wrong content type) to their 4xx; anything else is logged and answered 500 without details.
 */
export function handleError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof ArshifError) {
    if (error.code === 'OVERLOADED' || error.code === 'BEHIND' || error.code === 'UNAVAILABLE')
      void reply.header('retry-after', String(RETRY_AFTER_SECONDS));
    return reply.status(STATUS_OF[error.code]).send(errorBody(error.code, error.message));
  }
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) {
    return reply.status(400).send(errorBody('BAD_PARAMETER', fastifyError.message));
  }
  const status = fastifyError.statusCode;
  if (fastifyError.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    const type = String(request.headers['content-type'] ?? '').slice(0, 100);
    return reply
      .status(415)
      .send(
        errorBody('UNSUPPORTED_MEDIA_TYPE', `content type "${type}" is not accepted; send application/json`),
      );
  }
  if (status !== undefined && status >= 400 && status < 500) {
    return reply
      .status(status)
      .send(errorBody(CODE_OF_STATUS[status] ?? 'BAD_REQUEST', fastifyError.message));
  }
  request.log.error({ err: error }, 'request failed');
  return reply.status(500).send(errorBody('INTERNAL', 'internal error; it has been logged'));
}

/** What Ajv adds to an error with its `verbose` option: the schemas and the value. */
interface VerboseError extends FastifySchemaValidationError {
  parentSchema?: { properties?: Record<string, unknown>; anyOf?: { const?: unknown }[] };
  data?: unknown;
}

/**
 * One message a client can act on, for the first schema violation of a request: the parameter or field
 * by name, what it must be (for a choice, the values allowed; for an unknown one, those that exist) and
 * what was given.
 */
export function formatSchemaError(
  errors: FastifySchemaValidationError[],
  dataVar: SchemaErrorDataVar,
): Error {
  const [first] = errors as VerboseError[];
  const what = dataVar === 'querystring' ? 'parameter' : dataVar === 'params' ? 'path parameter' : 'field';
  if (first === undefined) return new Error(`invalid ${dataVar}`);
  const name = first.instancePath.replace(/^\//u, '').replaceAll('/', '.');
  const given = (value: unknown) => {
    const text = typeof value === 'string' ? `"${value}"` : JSON.stringify(value);
    return text === undefined ? '' : `, got ${text.length > 60 ? `${text.slice(0, 57)}…` : text}`;
  };
  if (first.keyword === 'additionalProperties') {
    const allowed = Object.keys(first.parentSchema?.properties ?? {});
    return new Error(
      `unknown ${what} "${String(first.params.additionalProperty)}"${allowed.length > 0 ? `; the ${what}s are ${allowed.join(', ')}` : ''}`,
    );
  }
  // A choice among constants (TypeBox's union of literals): list them.
  const choice = (errors as VerboseError[]).find(
    (error) => error.keyword === 'anyOf' && error.instancePath === first.instancePath,
  );
  const constants = (choice?.parentSchema?.anyOf ?? []).map((option) => option.const);
  if (choice !== undefined && constants.length > 0 && constants.every((value) => value !== undefined)) {
    return new Error(`${what} ${name} must be one of ${constants.join(', ')}${given(first.data)}`);
  }
  const subject = name === '' ? dataVar : `${what} ${name}`;
  return new Error(`${subject} ${first.message ?? 'is invalid'}${given(first.data)}`);
}
