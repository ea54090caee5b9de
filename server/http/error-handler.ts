// Turns every failure into the one JSON error shape, with the right status and no internals:
// client mistakes are 4xx with a stable code, a database outage is 503 + Retry-After,
// anything else is a generic 500 (the details go to the log, never to the client).
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isDatabaseUnavailableError } from '../db/unavailable.ts';
import { ApiError } from './api-error.ts';
import { applyBaselineHeaders } from './security-headers.ts';

/** The longest client-supplied field name echoed back in a validation message. */
const MAX_ECHOED_NAME = 64;

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: unknown, request, reply) => {
    const apiError = toApiError(error);
    // A thrown ApiError is a deliberate answer; whoever threw it logged what mattered.
    if (apiError.statusCode >= 500 && !(error instanceof ApiError)) logServerError(request, error, apiError);
    return sendApiError(reply, apiError);
  });
  app.setNotFoundHandler((_request, reply) => sendApiError(reply, ApiError.notFound()));
}

/**
 * Fastify's `frameworkErrors` option: errors raised while routing, before hooks run
 * (a malformed URL, an over-long path parameter). The default answer echoes the URL back.
 */
export function handleFrameworkError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  applyBaselineHeaders(reply);
  void sendApiError(reply, toApiError(error));
}

export function sendApiError(reply: FastifyReply, apiError: ApiError): FastifyReply {
  if (apiError.retryAfterSeconds !== undefined) reply.header('retry-after', String(apiError.retryAfterSeconds));
  return reply
    .status(apiError.statusCode)
    .header('content-type', 'application/json; charset=utf-8')
    .send(apiError.toBody());
}

export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (isDatabaseUnavailableError(error)) return ApiError.databaseUnavailable();
  if (!isFastifyError(error)) return ApiError.internal();

  if (error.validation !== undefined) return ApiError.invalidRequest(validationMessage(error));
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return ApiError.payloadTooLarge();
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return ApiError.unsupportedMediaType();
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return ApiError.invalidRequest('The request body is empty; send a JSON body with Content-Type: application/json.');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return ApiError.invalidRequest('The request body is not valid JSON.');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return ApiError.invalidRequest('The Content-Length header does not match the request body.');
    case 'FST_ERR_BAD_URL':
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return ApiError.invalidRequest('The address is malformed or too long.');
  }
  // The JSON parser's own errors (syntax, prototype poisoning) arrive as SyntaxError with status 400.
  if (error instanceof SyntaxError && error.statusCode === 400) {
    return ApiError.invalidRequest('The request body is not valid JSON.');
  }
  const status = error.statusCode;
  if (status === 404) return ApiError.notFound();
  if (status === 413) return ApiError.payloadTooLarge();
  if (status === 415) return ApiError.unsupportedMediaType();
  // Any other client error from Fastify: keep the status, never echo its message (it may quote input).
  if (status !== undefined && status >= 400 && status < 500) {
    return new ApiError(status, 'invalid_request', 'The request could not be understood.');
  }
  return ApiError.internal();
}

function isFastifyError(error: unknown): error is FastifyError {
  return error instanceof Error && ('code' in error || 'statusCode' in error || 'validation' in error);
}

/** A human message naming what is wrong and where, e.g. `body has an unknown field "colour"`. */
function validationMessage(error: FastifyError): string {
  const first = error.validation?.[0];
  const part = error.validationContext ?? 'request';
  if (first === undefined) return `The ${part} is not valid.`;
  const where = `${part}${first.instancePath.replaceAll('/', '.')}`;
  const params = first.params as Record<string, unknown>;
  switch (first.keyword) {
    case 'additionalProperties':
      return `${where} has a field that is not allowed: ${quoteName(params['additionalProperty'])}.`;
    case 'required':
      return `${where} is missing the required field ${quoteName(params['missingProperty'])}.`;
    default:
      return `${where} ${first.message ?? 'is not valid'}.`;
  }
}

function quoteName(name: unknown): string {
  const text = typeof name === 'string' ? name : '';
  return JSON.stringify(text.length > MAX_ECHOED_NAME ? `${text.slice(0, MAX_ECHOED_NAME)}…` : text);
}

function logServerError(request: FastifyRequest, error: unknown, apiError: ApiError): void {
  if (apiError.code === 'database_unavailable') {
    request.log.warn({ err: error }, 'database unavailable');
  } else {
    request.log.error({ err: error }, 'unhandled error');
  }
}
