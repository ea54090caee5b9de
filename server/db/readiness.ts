import { sql, type Kysely } from 'kysely';

/** Long enough for a healthy database under load, short enough for a load balancer's probe. */
const READINESS_TIMEOUT_MS = 2_000;

/**
 * Resolves when the database answers `select 1` within the timeout; rejects otherwise
 * (with the driver's error, or a timeout error that `isDatabaseUnavailableError` recognises).
 */
export async function checkDatabaseReady<DB>(db: Kysely<DB>, timeoutMs = READINESS_TIMEOUT_MS): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(Object.assign(new Error(`database did not answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' }));
    }, timeoutMs);
  });
  try {
    await Promise.race([sql`select 1`.execute(db), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
