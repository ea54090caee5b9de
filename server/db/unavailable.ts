// Tells "the database cannot be reached right now" (answer 503, client retries) apart from every
// other database error (a bug: answer 500). Kept in one place because each driver says it differently.

/** Network-level failures reported by Node's sockets (pg). */
const SOCKET_ERROR_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN',
  'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ECONNABORTED',
]);

/**
 * PostgreSQL SQLSTATEs that mean the server is unreachable, restarting or full:
 * class 08 (connection exception), 57P01-57P03 (shutdown, cannot connect now), 53300 (too many connections).
 */
const UNAVAILABLE_SQLSTATE = /^(08\d{3}|57P0[123]|53300)$/;

/** Messages of driver errors that carry no code. */
const UNAVAILABLE_MESSAGES = [
  'Connection terminated',                   // pg: server closed the socket
  'timeout exceeded when trying to connect', // pg-pool: connectionTimeoutMillis passed
  'Cannot use a pool after calling end',     // pg-pool: closed during shutdown
  'is not queryable',                        // pg: client broke earlier
  'driver has already been destroyed',       // Kysely: handle closed
  'PGlite is closed',
  'PGlite is closing',
  'PGLite not initialized',                  // kysely-pglite-dialect after destroy
];

export function isDatabaseUnavailableError(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 3) return false;
  const { code, message, errors, cause } = error as {
    code?: unknown; message?: unknown; errors?: unknown; cause?: unknown;
  };
  if (typeof code === 'string' && (SOCKET_ERROR_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code))) return true;
  if (typeof message === 'string' && UNAVAILABLE_MESSAGES.some((known) => message.includes(known))) return true;
  // pg reports "localhost" resolving to ::1 and 127.0.0.1 as an AggregateError of both refusals.
  if (Array.isArray(errors) && errors.length > 0 && errors.every((inner) => isDatabaseUnavailableError(inner, depth + 1))) {
    return true;
  }
  return isDatabaseUnavailableError(cause, depth + 1);
}
