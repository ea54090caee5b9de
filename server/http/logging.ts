// Logging that cannot identify a discloser (DESIGN.md §2.3, REVIEW.md "Server"): no address, port,
// user agent, cookie, header, token, query string or body ever reaches a log line. Fastify's own
// per-request lines carry the raw URL and request object, so they are replaced by one sanitized
// access line per request: method, route pattern, status, response time.
//
// Log lines carry no timestamp either: a precise time of a discloser action is itself identifying
// (DESIGN.md §2.3). Operators who need times get them from their log collector, which is also why
// discloser-facing routes should opt out of the access line (`config: { accessLog: false }`).
import { LogController, type FastifyInstance, type FastifyRequest, type FastifyServerOptions } from 'fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** false: write no access line for this route (health probes, discloser actions). Default true. */
    accessLog?: boolean;
  }
}

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface LogOptions {
  readonly level?: LogLevel;
  /** Where JSON lines go; stdout when absent. Tests inject a collector here. */
  readonly stream?: { write(line: string): void };
}

/** Paths pino removes if some future code logs a whole object by mistake. Defence in depth only. */
const REDACTED_PATHS = [
  'headers', 'req.headers', 'res.headers', 'request.headers', 'body', 'req.body', 'request.body',
  'query', 'req.query', 'url', 'req.url', 'ip', 'ips', 'req.ip', 'remoteAddress', 'remotePort',
  'req.remoteAddress', 'req.remotePort', 'hostname', 'req.hostname', 'cookie', 'cookies',
  'authorization', '*.authorization', '*.cookie', '*.cookies', 'token', '*.token', 'password', '*.password',
];

export function loggerOptions(options: LogOptions = {}): NonNullable<FastifyServerOptions['logger']> {
  return {
    level: options.level ?? 'info',
    ...(options.stream === undefined ? {} : { stream: options.stream }),
    timestamp: false,
    base: { pid: process.pid },
    redact: { paths: REDACTED_PATHS, remove: true },
    serializers: {
      req: (request) => describeRequest(request),
      res: (reply) => ({ statusCode: reply.statusCode }),
      err: (error) => describeError(error),
    },
  };
}

/**
 * Replaces Fastify's internal request logging. Lines Fastify would write with the raw URL or the
 * request object (incoming request, request completed, route not found, default error log) are
 * dropped; the access line comes from `registerAccessLog`, errors from the error handler.
 */
export class SanitizedLogController extends LogController {
  override incomingRequest(): void {}
  override requestCompleted(): void {}
  override routeNotFound(): void {}
  override defaultErrorLog(): void {}
  override writeHeadError(error: Error, request: FastifyRequest): void {
    request.log.warn({ err: error }, 'could not write response headers');
  }
}

export function registerAccessLog(app: FastifyInstance): void {
  app.addHook('onResponse', async (request, reply) => {
    if (request.routeOptions.config.accessLog === false) return;
    request.log.info({
      method: request.method,
      route: request.routeOptions.url ?? '(no route)',
      statusCode: reply.statusCode,
      responseTimeMs: Math.round(reply.elapsedTime),
    }, 'request');
  });
}

function describeRequest(request: unknown): Record<string, unknown> {
  const { method, routeOptions } = request as { method?: unknown; routeOptions?: { url?: unknown } };
  return { method, route: routeOptions?.url ?? '(no route)' };
}

/**
 * Whatever is logged under `err` (pino applies this to any value, not only Errors). Network
 * errors quote addresses ("connect ECONNREFUSED 10.0.0.5:5432"); they are masked so that the rule
 * "no IP address in any log line" holds without exceptions to reason about.
 */
function describeError(error: unknown): { type: string; message: string; stack: string; [key: string]: unknown } {
  if (!(error instanceof Error)) return { type: typeof error, message: '', stack: '' };
  const { code, statusCode } = error as { code?: unknown; statusCode?: unknown };
  return {
    type: error.name,
    code,
    statusCode,
    message: maskAddresses(error.message),
    stack: maskAddresses(error.stack ?? ''),
  };
}

const IPV4_WITH_PORT = /(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?::\d{1,5})?(?![\d.])/g;
const IPV6 = /\[?(?<![\w:])(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}(?![\w:])(?:\]:\d{1,5})?\]?/gi;

export function maskAddresses(text: string): string {
  return text.replace(IPV4_WITH_PORT, '[address]').replace(IPV6, '[address]');
}
