// What every route, service and repository factory may depend on, built once per application.
// Tests pass their own clock (the statutory clock is tested by moving it) and secret.
import type { Kysely } from 'kysely';
import type { Primitives } from '../crypto/index.ts';
import type { Config } from './config.ts';
import type { Database } from './db/schema.ts';
import { nzCalendarDate, type IsoDate } from './statutory/working-days.ts';

export interface AppContext {
  readonly config: Config;
  readonly db: Kysely<Database>;
  /** The libsodium backend: the server verifies with crypto/, it never decrypts. */
  readonly crypto: Primitives;
  /** Key for stateless tokens (crypto/server-token.ts). */
  readonly serverSecret: Uint8Array;
  now(): Date;
  /** Today in New Zealand: the only time recorded for a discloser's action. */
  today(): IsoDate;
}

export function createContext(options: {
  config: Config;
  db: Kysely<Database>;
  crypto: Primitives;
  serverSecret: Uint8Array;
  now?: () => Date;
}): AppContext {
  const now = options.now ?? (() => new Date());
  return {
    config: options.config,
    db: options.db,
    crypto: options.crypto,
    serverSecret: options.serverSecret,
    now,
    today: () => nzCalendarDate(now()),
  };
}
