import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertProductionReady, ConfigError, describeDatabase, loadConfig, type Environment } from '../../server/config.ts';

const SECRET = Buffer.alloc(32, 7).toString('base64url');
const ROOT_A = Buffer.alloc(32, 1).toString('base64url');
const ROOT_B = Buffer.alloc(32, 2).toString('base64url');

const CWD = '/srv/candour';

function problemsOf(env: Environment): readonly string[] {
  try {
    loadConfig(env, CWD);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected loadConfig to throw a ConfigError');
}

describe('loadConfig', () => {
  it('starts a local demo on a bare machine with no settings at all', () => {
    const config = loadConfig({}, CWD);
    expect(config).toEqual({
      mode: 'demo',
      host: '127.0.0.1',
      port: 8080,
      dataDir: path.join(CWD, 'data'),
      database: { kind: 'pglite', dataDir: path.join(CWD, 'data', 'pglite') },
      trustProxy: false,
      publicOrigin: undefined,
      serverSecret: undefined,
      rootPublicKeys: [],
      pendingUploadQuotaBytes: 16 * 1024 ** 3,
    });
  });

  it('returns a frozen object, nested values included', () => {
    const config = loadConfig({ CANDOUR_TRUST_PROXY: '10.0.0.1,10.0.0.2' }, CWD);
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.database)).toBe(true);
    expect(Object.isFrozen(config.trustProxy)).toBe(true);
    expect(() => {
      (config as { port: number }).port = 1;
    }).toThrow(TypeError);
  });

  it('reads every setting', () => {
    const config = loadConfig({
      PORT: '9000',
      HOST: '0.0.0.0',
      DATABASE_URL: 'postgres://candour:secret@db.internal:5432/candour',
      CANDOUR_DATA_DIR: 'state',
      CANDOUR_MODE: 'production',
      CANDOUR_TRUST_PROXY: '1',
      CANDOUR_PUBLIC_ORIGIN: 'https://candour.example.nz/',
      CANDOUR_SERVER_SECRET: SECRET,
      CANDOUR_ROOT_PUBLIC_KEYS: `${ROOT_A}, ${ROOT_B}`,
    }, CWD);
    expect(config.serverSecret).toHaveLength(32);
    expect(config.rootPublicKeys.map((k) => Buffer.from(k).toString('base64url'))).toEqual([ROOT_A, ROOT_B]);
    expect(config).toMatchObject({
      port: 9000,
      host: '0.0.0.0',
      dataDir: path.join(CWD, 'state'),
      database: { kind: 'postgres', url: 'postgres://candour:secret@db.internal:5432/candour' },
      mode: 'production',
      trustProxy: 1,
      publicOrigin: 'https://candour.example.nz',
    });
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ PORT: '', HOST: ' ', CANDOUR_MODE: '' }, CWD)).toMatchObject({ port: 8080, host: '127.0.0.1', mode: 'demo' });
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['PORT', '-1'],
    ['PORT', '80.5'],
    ['HOST', 'not a host!'],
    ['DATABASE_URL', 'not a url'],
    ['DATABASE_URL', 'mysql://root@localhost/candour'],
    ['CANDOUR_MODE', 'prod'],
    ['CANDOUR_TRUST_PROXY', 'maybe'],
    ['CANDOUR_TRUST_PROXY', '10.0.0.1/99'],
    ['CANDOUR_PUBLIC_ORIGIN', 'candour.example.nz'],
    ['CANDOUR_PUBLIC_ORIGIN', 'https://candour.example.nz/path'],
    ['CANDOUR_PUBLIC_ORIGIN', 'ftp://candour.example.nz'],
  ])('names %s when it is %j', (name, value) => {
    const problems = problemsOf({ [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(name);
  });

  it('never echoes a bad DATABASE_URL, which may carry a password', () => {
    const problems = problemsOf({ DATABASE_URL: 'postgres//candour:hunter2@db' });
    expect(problems.join('\n')).not.toContain('hunter2');
  });

  it('reports every bad setting at once, in one error message', () => {
    const env = { PORT: 'x', HOST: '!', CANDOUR_MODE: 'staging', CANDOUR_TRUST_PROXY: 'perhaps' };
    const problems = problemsOf(env);
    expect(problems).toHaveLength(4);
    let message = '';
    try {
      loadConfig(env, CWD);
    } catch (error) {
      message = (error as Error).message;
    }
    for (const name of ['PORT', 'HOST', 'CANDOUR_MODE', 'CANDOUR_TRUST_PROXY']) expect(message).toContain(name);
  });

  it('rejects an unknown CANDOUR_ variable, which is most likely a typo', () => {
    const problems = problemsOf({ CANDOUR_TRUST_PROXIES: 'on' });
    expect(problems[0]).toContain('CANDOUR_TRUST_PROXIES');
  });

  it.each([
    ['off', false], ['false', false], ['0', false], ['on', true], ['TRUE', true], ['2', 2],
    ['10.0.0.1', ['10.0.0.1']], ['10.0.0.0/8, fd00::/8', ['10.0.0.0/8', 'fd00::/8']],
  ] as const)('parses CANDOUR_TRUST_PROXY=%j', (value, expected) => {
    expect(loadConfig({ CANDOUR_TRUST_PROXY: value }, CWD).trustProxy).toEqual(expected);
  });
});

describe('production mode', () => {
  it('refuses to start without its required settings, naming each in one error', () => {
    const problems = problemsOf({ CANDOUR_MODE: 'production' });
    expect(problems).toHaveLength(4);
    expect(problems[0]).toContain('DATABASE_URL');
    expect(problems[1]).toContain('CANDOUR_PUBLIC_ORIGIN');
    expect(problems[2]).toContain('CANDOUR_SERVER_SECRET');
    expect(problems[3]).toContain('CANDOUR_ROOT_PUBLIC_KEYS');
  });

  it('refuses a malformed server secret or root key', () => {
    expect(problemsOf({ CANDOUR_SERVER_SECRET: 'short' })).toEqual([expect.stringContaining('CANDOUR_SERVER_SECRET must be 32 bytes')]);
    expect(problemsOf({ CANDOUR_ROOT_PUBLIC_KEYS: `${ROOT_A},nope` })).toEqual([expect.stringContaining('CANDOUR_ROOT_PUBLIC_KEYS must be')]);
  });

  it('refuses a plain-http public origin', () => {
    const problems = problemsOf({
      CANDOUR_MODE: 'production',
      DATABASE_URL: 'postgres://candour@db/candour',
      CANDOUR_PUBLIC_ORIGIN: 'http://candour.example.nz',
      CANDOUR_SERVER_SECRET: SECRET,
      CANDOUR_ROOT_PUBLIC_KEYS: ROOT_A,
    });
    expect(problems).toEqual([expect.stringContaining('https://')]);
  });

  it('lists bad and missing settings together', () => {
    const problems = problemsOf({ CANDOUR_MODE: 'production', PORT: 'x' });
    expect(problems.map((p) => p.split(' ')[0])).toEqual(['PORT', 'DATABASE_URL', 'CANDOUR_PUBLIC_ORIGIN', 'CANDOUR_SERVER_SECRET', 'CANDOUR_ROOT_PUBLIC_KEYS']);
  });
});

describe('assertProductionReady', () => {
  const production = loadConfig({
    CANDOUR_MODE: 'production',
    DATABASE_URL: 'postgres://candour@db/candour',
    CANDOUR_PUBLIC_ORIGIN: 'https://candour.example.nz',
    CANDOUR_SERVER_SECRET: SECRET,
    CANDOUR_ROOT_PUBLIC_KEYS: ROOT_A,
  }, CWD);

  it('refuses demo keys in production', () => {
    expect(() => assertProductionReady(production, { demoKeysPresent: true })).toThrow(/demo keys/);
    expect(() => assertProductionReady(production, { demoKeysPresent: false })).not.toThrow();
  });

  it('lets a demo run with demo keys', () => {
    expect(() => assertProductionReady(loadConfig({}, CWD), { demoKeysPresent: true })).not.toThrow();
  });
});

describe('describeDatabase', () => {
  it('never prints credentials', () => {
    const text = describeDatabase({ kind: 'postgres', url: 'postgres://candour:hunter2@db.internal:5432/candour?sslmode=require' });
    expect(text).toBe('PostgreSQL at db.internal:5432/candour');
  });
});
