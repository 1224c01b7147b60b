import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError } from '../errors.ts';

type ErrorBody = { error: { code: string; message: string; details?: unknown } };

export function errorBody(code: string, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

/**
 * One place maps every failure to the documented error shape. Operational errors (AppError,
 * Fastify's own 4xx) say what went wrong; anything else is a programmer error: logged in
 * full, answered with a bare 500 and never a stack trace.
 */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | AppError, request, reply) => {
    if (err instanceof AppError) {
      return reply.code(err.status).send(errorBody(err.code, err.message, err.details));
    }
    const e = err as FastifyError & { validationContext?: string };
    if (e.validation) {
      const details = e.validation.map((v) => ({
        path: `${e.validationContext ?? 'body'}${v.instancePath || ''}`,
        message: describeAjvError(v as never),
      }));
      const first = details[0];
      return reply
        .code(400)
        .send(
          errorBody(
            'validation_failed',
            first ? `Invalid request: ${first.path} ${first.message}.` : 'Invalid request.',
            details,
          ),
        );
    }
    switch (e.code) {
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return reply.code(400).send(errorBody('invalid_json', 'The request body is not valid JSON.'));
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return reply.code(413).send(errorBody('payload_too_large', 'The request body is larger than 1 MB.'));
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return reply
          .code(415)
          .send(errorBody('unsupported_media_type', 'Send the request body as application/json.'));
      case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
        return reply
          .code(400)
          .send(errorBody('bad_content_length', 'Content-Length does not match the body.'));
    }
    const status = e.statusCode ?? 500;
    if (status === 429) {
      return reply
        .code(429)
        .send(errorBody('rate_limited', 'Too many requests; wait a moment and try again.'));
    }
    if (status >= 400 && status < 500) {
      return reply.code(status).send(errorBody('bad_request', e.message || 'Bad request.'));
    }
    request.log.error({ err }, 'unhandled error');
    return reply
      .code(500)
      .send(errorBody('internal_error', 'Something went wrong on our side; it has been logged.'));
  });

  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send(errorBody('not_found', `No route ${request.method} ${request.url.split('?')[0]}.`));
  });
}

function describeAjvError(v: { keyword: string; message?: string; params: Record<string, unknown> }): string {
  if (v.keyword === 'additionalProperties')
    return `has an unknown field "${String(v.params.additionalProperty)}"`;
  if (v.keyword === 'required') return `is missing the field "${String(v.params.missingProperty)}"`;
  return v.message ?? 'is invalid';
}
