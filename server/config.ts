// Configuration from the environment, validated once at start-up into a frozen object.
// Every problem is collected and reported together, each naming its setting, so an operator
// fixes a deployment in one pass instead of one restart per typo.
import { isIP } from 'node:net';
import path from 'node:path';

export type Mode = 'demo' | 'production';

/** Where the store of record lives. `memory://` is PGlite's in-memory store (tests only). */
export type DatabaseLocation =
  | { readonly kind: 'postgres'; readonly url: string }
  | { readonly kind: 'pglite'; readonly dataDir: string };

/** Fastify's `trustProxy`: off, every hop, a hop count, or a list of proxy addresses/CIDRs. */
export type TrustProxy = boolean | number | readonly string[];

export interface Config {
  readonly mode: Mode;
  readonly host: string;
  readonly port: number;
  /** Absolute path of the folder that holds local state (the embedded database). */
  readonly dataDir: string;
  readonly database: DatabaseLocation;
  readonly trustProxy: TrustProxy;
  /** The https origin disclosers reach, e.g. `https://candour.example.nz`. Required in production. */
  readonly publicOrigin: string | undefined;
  /**
   * 32-byte key for the server's stateless tokens (mailbox sessions, proof-of-work challenges),
   * shared by every instance. Required in production; a demo keeps one in the data folder.
   */
  readonly serverSecret: Uint8Array | undefined;
  /**
   * The operator's root public keys (Ed25519, base64url, comma-separated in
   * CANDOUR_ROOT_PUBLIC_KEYS): organisation certificates must chain to one of them. Several
   * during a rotation. Required in production; a demo makes its own root.
   */
  readonly rootPublicKeys: readonly Uint8Array[];
  /**
   * Most bytes that uploads not yet part of a disclosure may hold, all uploaders together
   * (CANDOUR_PENDING_UPLOADS_GIB, default 16). Uploads need no proof of work; this bounds them.
   */
  readonly pendingUploadQuotaBytes: number;
}

export type Environment = Readonly<Record<string, string | undefined>>;

export class ConfigError extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`Candour cannot start; fix these settings:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = Object.freeze([...problems]);
  }
}

/** Settings this module reads. Any other `CANDOUR_*` variable is most likely a typo, so it is an error. */
const KNOWN_CANDOUR_SETTINGS = new Set([
  'CANDOUR_MODE',
  'CANDOUR_DATA_DIR',
  'CANDOUR_TRUST_PROXY',
  'CANDOUR_PUBLIC_ORIGIN',
  'CANDOUR_SERVER_SECRET',
  'CANDOUR_ROOT_PUBLIC_KEYS',
  'CANDOUR_PENDING_UPLOADS_GIB',
]);

const DEFAULTS = {
  port: 8080,
  host: '127.0.0.1',
  dataDir: './data',
  mode: 'demo',
} as const;

/**
 * Reads and validates the configuration. Throws a `ConfigError` listing every bad or missing
 * setting. `cwd` resolves a relative `CANDOUR_DATA_DIR`.
 */
export function loadConfig(env: Environment = process.env, cwd: string = process.cwd()): Config {
  const problems: string[] = [];
  const value = (name: string): string | undefined => {
    const raw = env[name];
    return raw === undefined || raw.trim() === '' ? undefined : raw.trim();
  };

  for (const name of Object.keys(env)) {
    if (name.startsWith('CANDOUR_') && !KNOWN_CANDOUR_SETTINGS.has(name)) {
      problems.push(`${name} is not a Candour setting (known: ${[...KNOWN_CANDOUR_SETTINGS].join(', ')})`);
    }
  }

  const mode = parseMode(value('CANDOUR_MODE'), problems);
  const port = parsePort(value('PORT'), problems);
  const host = parseHost(value('HOST'), problems);
  const dataDir = path.resolve(cwd, value('CANDOUR_DATA_DIR') ?? DEFAULTS.dataDir);
  const databaseUrl = parseDatabaseUrl(value('DATABASE_URL'), problems);
  const trustProxy = parseTrustProxy(value('CANDOUR_TRUST_PROXY'), problems);
  const publicOrigin = parsePublicOrigin(value('CANDOUR_PUBLIC_ORIGIN'), mode, problems);
  const serverSecret = parseServerSecret(value('CANDOUR_SERVER_SECRET'), problems);
  const rootPublicKeys = parseRootPublicKeys(value('CANDOUR_ROOT_PUBLIC_KEYS'), problems);
  const pendingUploadQuotaBytes = parsePendingUploads(value('CANDOUR_PENDING_UPLOADS_GIB'), problems);

  if (mode === 'production') {
    const missing: string[] = [];
    if (env['DATABASE_URL'] === undefined || env['DATABASE_URL'].trim() === '') {
      missing.push('DATABASE_URL (production needs a real PostgreSQL; the embedded database is for demos)');
    }
    if (env['CANDOUR_PUBLIC_ORIGIN'] === undefined || env['CANDOUR_PUBLIC_ORIGIN'].trim() === '') {
      missing.push('CANDOUR_PUBLIC_ORIGIN (the https:// address disclosers use, e.g. https://candour.example.nz)');
    }
    if (env['CANDOUR_SERVER_SECRET'] === undefined || env['CANDOUR_SERVER_SECRET'].trim() === '') {
      missing.push('CANDOUR_SERVER_SECRET (32 random bytes in base64url, the same on every instance)');
    }
    if (rootPublicKeys.length === 0) {
      missing.push('CANDOUR_ROOT_PUBLIC_KEYS (the operator root public key printed by the root key ceremony)');
    }
    for (const name of missing) problems.push(`${name} is required when CANDOUR_MODE=production`);
  }

  if (problems.length > 0) throw new ConfigError(problems);

  const database: DatabaseLocation = databaseUrl === undefined
    ? { kind: 'pglite', dataDir: path.join(dataDir, 'pglite') }
    : { kind: 'postgres', url: databaseUrl };

  return deepFreeze({ mode, host, port, dataDir, database, trustProxy, publicOrigin, serverSecret, rootPublicKeys, pendingUploadQuotaBytes });
}

function parseServerSecret(raw: string | undefined, problems: string[]): Uint8Array | undefined {
  if (raw === undefined) return undefined;
  const bytes = /^[A-Za-z0-9_-]{43}$/.test(raw) ? Buffer.from(raw, 'base64url') : undefined;
  if (bytes === undefined || bytes.length !== 32) {
    problems.push('CANDOUR_SERVER_SECRET must be 32 bytes in base64url (43 characters)');
    return undefined;
  }
  return new Uint8Array(bytes);
}

function parsePendingUploads(raw: string | undefined, problems: string[]): number {
  if (raw === undefined) return 16 * 1024 ** 3;
  const gib = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw) || gib <= 0 || gib > 1024 * 1024) {
    problems.push('CANDOUR_PENDING_UPLOADS_GIB must be a positive number of GiB');
    return 0;
  }
  return Math.floor(gib * 1024 ** 3);
}

function parseRootPublicKeys(raw: string | undefined, problems: string[]): Uint8Array[] {
  if (raw === undefined) return [];
  const keys = raw.split(',').map((part) => part.trim());
  if (keys.some((key) => !/^[A-Za-z0-9_-]{43}$/.test(key))) {
    problems.push('CANDOUR_ROOT_PUBLIC_KEYS must be comma-separated 32-byte Ed25519 keys in base64url (43 characters each)');
    return [];
  }
  return keys.map((key) => new Uint8Array(Buffer.from(key, 'base64url')));
}

/** Facts about the deployment that only exist after start-up work (keys loaded, database opened). */
export interface ProductionFacts {
  /** True when the deployment still holds the well-known demo keys. Filled in once keys exist. */
  readonly demoKeysPresent?: boolean;
}

/**
 * The hook for refusals that need more than the environment, e.g. "production must not run with
 * demo keys". No-op in demo mode. Throws a `ConfigError` listing every refusal.
 */
export function assertProductionReady(config: Config, facts: ProductionFacts): void {
  if (config.mode !== 'production') return;
  const problems: string[] = [];
  if (facts.demoKeysPresent === true) {
    problems.push('the deployment holds demo keys; production needs keys from a real key ceremony');
  }
  if (problems.length > 0) throw new ConfigError(problems);
}

/** A description of the database that is safe to print: no user name, password or query options. */
export function describeDatabase(location: DatabaseLocation): string {
  if (location.kind === 'pglite') {
    return location.dataDir === 'memory://' ? 'embedded PostgreSQL (PGlite) in memory' : `embedded PostgreSQL (PGlite) in ${location.dataDir}`;
  }
  const url = new URL(location.url);
  return `PostgreSQL at ${url.hostname || 'local socket'}${url.port ? `:${url.port}` : ''}${url.pathname}`;
}

function parseMode(raw: string | undefined, problems: string[]): Mode {
  if (raw === undefined) return DEFAULTS.mode;
  if (raw === 'demo' || raw === 'production') return raw;
  problems.push(`CANDOUR_MODE must be "demo" or "production", not ${JSON.stringify(raw)}`);
  return DEFAULTS.mode;
}

function parsePort(raw: string | undefined, problems: string[]): number {
  if (raw === undefined) return DEFAULTS.port;
  const port = /^\d{1,5}$/.test(raw) ? Number(raw) : Number.NaN;
  if (Number.isInteger(port) && port >= 0 && port <= 65535) return port;
  problems.push(`PORT must be a whole number from 0 to 65535, not ${JSON.stringify(raw)}`);
  return DEFAULTS.port;
}

const HOSTNAME = /^(?=.{1,253}$)[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;

function parseHost(raw: string | undefined, problems: string[]): string {
  if (raw === undefined) return DEFAULTS.host;
  if (isIP(raw) !== 0 || HOSTNAME.test(raw)) return raw;
  problems.push(`HOST must be an IP address or host name to listen on, not ${JSON.stringify(raw)}`);
  return DEFAULTS.host;
}

function parseDatabaseUrl(raw: string | undefined, problems: string[]): string | undefined {
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    // Never echo the value: it may hold a password.
    problems.push('DATABASE_URL is not a valid URL (expected postgres://user:password@host:5432/database)');
    return undefined;
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    problems.push(`DATABASE_URL must start with postgres:// or postgresql://, not ${url.protocol}//`);
    return undefined;
  }
  return raw;
}

// A number is a hop count ("1" = trust the one proxy in front), never a boolean.
const TRUE_WORDS = new Set(['true', 'on', 'yes']);
const FALSE_WORDS = new Set(['false', 'off', 'no']);

function parseTrustProxy(raw: string | undefined, problems: string[]): TrustProxy {
  if (raw === undefined) return false;
  const lower = raw.toLowerCase();
  if (FALSE_WORDS.has(lower)) return false;
  if (TRUE_WORDS.has(lower)) return true;
  if (/^\d{1,2}$/.test(raw)) return Number(raw) === 0 ? false : Number(raw);
  const entries = raw.split(',').map((entry) => entry.trim());
  if (entries.every(isAddressOrCidr)) return entries;
  problems.push(
    'CANDOUR_TRUST_PROXY must be off, on, a hop count (e.g. 1), or a comma-separated list of proxy addresses or CIDRs',
  );
  return false;
}

function isAddressOrCidr(entry: string): boolean {
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  const bits = /^\d{1,3}$/.test(prefix) ? Number(prefix) : -1;
  return bits >= 0 && bits <= (family === 4 ? 32 : 128);
}

function parsePublicOrigin(raw: string | undefined, mode: Mode, problems: string[]): string | undefined {
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    problems.push(`CANDOUR_PUBLIC_ORIGIN is not a valid URL: ${JSON.stringify(raw)}`);
    return undefined;
  }
  const allowed = mode === 'production' ? ['https:'] : ['https:', 'http:'];
  if (!allowed.includes(url.protocol)) {
    problems.push(`CANDOUR_PUBLIC_ORIGIN must use ${mode === 'production' ? 'https:// in production' : 'http:// or https://'}, not ${url.protocol}//`);
    return undefined;
  }
  if (url.origin !== raw.replace(/\/$/, '') || url.username !== '' || url.password !== '') {
    problems.push(`CANDOUR_PUBLIC_ORIGIN must be an origin only (scheme, host and port; no path, query or credentials), not ${JSON.stringify(raw)}`);
    return undefined;
  }
  return url.origin;
}

function deepFreeze<T extends object>(value: T): T {
  for (const inner of Object.values(value)) {
    // Typed arrays cannot be frozen; the secret is copied out by whoever uses it.
    if (typeof inner === 'object' && inner !== null && !ArrayBuffer.isView(inner)) deepFreeze(inner);
  }
  return Object.freeze(value);
}
