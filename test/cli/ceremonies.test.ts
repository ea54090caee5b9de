// Every key ceremony end to end through the real command entry, and the chain they build
// (root → organisation → officers and recovery key → roster) verified with crypto/directory.ts
// exactly as a discloser's browser verifies it.
import { execFile } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dayNumber,
  fromBase64Url,
  inspectKeyFile,
  loadBackend,
  openKeyFile,
  type Primitives,
  verifyDirectory,
  verifyRootRotation,
  asEd25519PublicKey,
  toBase64Url,
} from '../../crypto/index.ts';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../server/config.ts';
import { createDatabase, type DatabaseHandle } from '../../server/db/create-database.ts';
import { buildTestApp } from '../server/helpers/app.ts';
import { candour, field, ok, scratch } from './cli-harness.ts';

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../../cli/candour.mjs', import.meta.url));
const FAST = ['--kdf', 'interactive'];
const ROOT_PASS = 'root passphrase kept offline';
const ORG_PASS = 'organisation signing passphrase';
const RECOVERY_PASS = 'recovery passphrase held apart';
const OFFICER_PASS = 'officer passphrase of aroha';

const today = dayNumber(new Date());
let p: Primitives;
let s: Awaited<ReturnType<typeof scratch>>;
const out: Record<string, string> = {};

const directoryOf = (entry: unknown) => ({ format: 'candour-directory', version: 1, organisations: [entry] });

beforeAll(async () => {
  p = await loadBackend({ prefer: 'libsodium' });
  s = await scratch();
});
afterAll(() => s.remove());

describe('the full chain: root → organisation → officers → roster → directory', () => {
  it('root create (the installed bin, passphrase from a file) prints the public key and fingerprint', async () => {
    await writeFile(s.file('root-pass.txt'), `${ROOT_PASS}\n`);
    const { stdout } = await run(process.execPath, [BIN, 'root', 'create', '--out', s.file('root.candour-key'), ...FAST, '--new-passphrase-file', s.file('root-pass.txt')]);
    out.rootKey = field(stdout, 'root public key');
    expect(field(stdout, 'root public key fingerprint')).toMatch(/^([0-9A-HJKMNP-TV-Z]{4} ){4}[0-9A-HJKMNP-TV-Z]{4}$/);
    const file = new Uint8Array(await readFile(s.file('root.candour-key')));
    expect(inspectKeyFile(p, file).kind).toBe('root');
    expect(openKeyFile(p, file, ROOT_PASS).signingPublicKey).toEqual(fromBase64Url(out.rootKey));
  });

  it('org create makes the signing and recovery keys under separate passphrases', async () => {
    const stdout = await ok(['org', 'create', '--key', s.file('org.candour-key'), '--recovery-key', s.file('recovery.candour-key'), ...FAST],
      { CANDOUR_NEW_PASSPHRASE: ORG_PASS, CANDOUR_RECOVERY_PASSPHRASE: RECOVERY_PASS });
    out.orgKey = field(stdout, 'organisation signing key');
    expect(openKeyFile(p, new Uint8Array(await readFile(s.file('recovery.candour-key'))), RECOVERY_PASS).kind).toBe('recovery');
    const recoveryFile = new Uint8Array(await readFile(s.file('recovery.candour-key')));
    expect(() => openKeyFile(p, recoveryFile, ORG_PASS)).toThrow('the passphrase does not unlock');
  });

  it('org certify signs the organisation key with the root key', async () => {
    const stdout = await ok(['org', 'certify', '--root', s.file('root.candour-key'), '--subject', s.file('org.candour-key'),
      '--name', 'Ministry of Examples', '--kind', 'agency', '--out', s.file('org.cert')], { CANDOUR_PASSPHRASE: ROOT_PASS });
    out.orgId = field(stdout, 'organisation').split(' id ')[1]!;
    expect(field(stdout, 'organisation signing key')).toBe(out.orgKey);
  });

  it('recovery certify, officer keygen and officer certify, then roster build: the entry verifies against the root', async () => {
    await ok(['recovery', 'certify', '--org-key', s.file('org.candour-key'), '--org-cert', s.file('org.cert'),
      '--subject', s.file('recovery.candour-key'), '--out', s.file('recovery.cert')], { CANDOUR_PASSPHRASE: ORG_PASS });
    for (const name of ['aroha', 'ben']) {
      const keygen = await ok(['officer', 'keygen', '--out', s.file(`${name}.candour-key`), ...FAST], { CANDOUR_NEW_PASSPHRASE: OFFICER_PASS });
      out[`${name}Public`] = field(keygen, 'officer public part');
      out[`${name}Fingerprint`] = field(keygen, 'officer fingerprint');
      const certify = await ok(['officer', 'certify', '--org-key', s.file('org.candour-key'), '--org-cert', s.file('org.cert'),
        '--public', out[`${name}Public`]!, '--name', `${name} Officer`, '--out', s.file(`${name}.cert`)], { CANDOUR_PASSPHRASE: ORG_PASS });
      expect(field(certify, 'officer fingerprint')).toBe(out[`${name}Fingerprint`]);
    }
    await ok(['roster', 'build', '--org-key', s.file('org.candour-key'), '--org-cert', s.file('org.cert'), '--serial', '1',
      '--member', s.file('aroha.cert'), '--member', s.file('ben.cert'), '--member', s.file('recovery.cert'), '--out', s.file('entry-1.json')],
    { CANDOUR_PASSPHRASE: ORG_PASS });
    const entry = JSON.parse(await readFile(s.file('entry-1.json'), 'utf8'));
    const [org] = verifyDirectory(p, directoryOf(entry), [asEd25519PublicKey(fromBase64Url(out.rootKey!))], today);
    expect(org!.name).toBe('Ministry of Examples');
    expect(org!.officers.map((o) => o.fingerprint)).toEqual([out.arohaFingerprint, out.benFingerprint]);
    expect(org!.rosterSerial).toBe(1);
    // Recipients: both officers' box keys (the second half of each public part) and the recovery key.
    expect(org!.recipients).toHaveLength(3);
    expect(org!.officers[0]!.boxKey).toEqual(fromBase64Url(out.arohaPublic!).subarray(32));
    // Against any other root, the same entry is refused.
    expect(() => verifyDirectory(p, directoryOf(entry), [asEd25519PublicKey(p.randomBytes(32))], today)).toThrow(/trusted root/);
  });

  it('officer retire signs the next roster without the officer', async () => {
    const stdout = await ok(['officer', 'retire', '--org-key', s.file('org.candour-key'), '--entry', s.file('entry-1.json'),
      '--fingerprint', out.benFingerprint!, '--out', s.file('entry-2.json')], { CANDOUR_PASSPHRASE: ORG_PASS });
    expect(stdout).toContain('roster serial 2 without ben Officer');
    const entry = JSON.parse(await readFile(s.file('entry-2.json'), 'utf8'));
    const [org] = verifyDirectory(p, directoryOf(entry), [asEd25519PublicKey(fromBase64Url(out.rootKey!))], today);
    expect(org!.officers.map((o) => o.fingerprint)).toEqual([out.arohaFingerprint]);
    expect(org!.rosterSerial).toBe(2);
    // Retiring the last officer is refused, and nothing is written.
    const last = await candour(['officer', 'retire', '--org-key', s.file('org.candour-key'), '--entry', s.file('entry-2.json'),
      '--officer', s.file('aroha.cert'), '--out', s.file('entry-3.json')], { CANDOUR_PASSPHRASE: ORG_PASS });
    expect(last.code).toBe(1);
    expect(last.stderr).toContain('no officer left');
    expect(await readdir(s.dir)).not.toContain('entry-3.json');
  });

  it('root rotate cross-signs a new root; the organisation certified again under it verifies with the new pin', async () => {
    const stdout = await ok(['root', 'rotate', '--key', s.file('root.candour-key'), '--out', s.file('root-2.candour-key'),
      '--record', s.file('rotation.bin'), ...FAST], { CANDOUR_PASSPHRASE: ROOT_PASS, CANDOUR_NEW_PASSPHRASE: 'the new root passphrase' });
    const newRoot = field(stdout, 'new root public key');
    expect(field(stdout, 'during the rotation')).toBe(`CANDOUR_ROOT_PUBLIC_KEYS=${out.rootKey},${newRoot}`);
    const rotation = verifyRootRotation(p, new Uint8Array(await readFile(s.file('rotation.bin'))));
    expect(rotation.oldRootKey).toEqual(fromBase64Url(out.rootKey!));
    expect(rotation.newRootKey).toEqual(fromBase64Url(newRoot));
    expect(await ok(['root', 'verify-rotation', s.file('rotation.bin')])).toContain('both signatures verify');

    // A flipped byte in the new key breaks both signatures.
    const record = new Uint8Array(await readFile(s.file('rotation.bin')));
    record[40] = record[40]! ^ 1;
    await writeFile(s.file('rotation-bad.bin'), record);
    expect((await candour(['root', 'verify-rotation', s.file('rotation-bad.bin')])).code).toBe(1);

    await ok(['org', 'certify', '--root', s.file('root-2.candour-key'), '--subject', s.file('org.candour-key'), '--id', out.orgId!,
      '--name', 'Ministry of Examples', '--kind', 'agency', '--out', s.file('org-2.cert')], { CANDOUR_PASSPHRASE: 'the new root passphrase' });
    await ok(['roster', 'build', '--org-key', s.file('org.candour-key'), '--org-cert', s.file('org-2.cert'), '--previous', s.file('entry-2.json'),
      '--member', s.file('aroha.cert'), '--member', s.file('recovery.cert'), '--out', s.file('entry-rotated.json')], { CANDOUR_PASSPHRASE: ORG_PASS });
    const entry = JSON.parse(await readFile(s.file('entry-rotated.json'), 'utf8'));
    const both = [out.rootKey!, newRoot].map((k) => asEd25519PublicKey(fromBase64Url(k)));
    expect(verifyDirectory(p, directoryOf(entry), both, today)[0]!.rosterSerial).toBe(3);
    expect(() => verifyDirectory(p, directoryOf(entry), [both[0]!], today)).toThrow(/trusted root/);
  });
});

describe('registering and publishing to a real server on 127.0.0.1', () => {
  let deployment: { app: FastifyInstance; database: DatabaseHandle; url: string };
  const adminEnv = () => ({ CANDOUR_SERVER: deployment.url, CANDOUR_USERNAME: 'admin@examples.govt.nz', CANDOUR_PASSWORD: ADMIN_PASSWORD });
  const ADMIN_PASSWORD = 'the first admin password of the ministry';

  beforeAll(async () => {
    // The operator, on the server host with the server stopped, registers the organisation and its
    // first admin in the embedded database; then the server starts on that database.
    const serverEnv = { CANDOUR_DATA_DIR: s.file('server-data'), CANDOUR_ROOT_PUBLIC_KEYS: out.rootKey! };
    const registered = await ok(['org', 'register', '--certificate', s.file('org.cert'), '--admin-username', 'admin@examples.govt.nz', '--admin-name', 'Admin'],
      { ...serverEnv, CANDOUR_PASSWORD: ADMIN_PASSWORD });
    expect(registered).toContain(`registered organisation ${out.orgId}`);
    const again = await candour(['org', 'register', '--certificate', s.file('org.cert'), '--admin-username', 'admin@examples.govt.nz', '--admin-name', 'Admin'],
      { ...serverEnv, CANDOUR_PASSWORD: ADMIN_PASSWORD });
    expect(again).toMatchObject({ code: 1, stderr: expect.stringContaining('already in use') });
    expect(await candour(['org', 'register', '--certificate', s.file('org.cert')], { CANDOUR_DATA_DIR: s.file('server-data'), CANDOUR_ROOT_PUBLIC_KEYS: toBase64Url(p.randomBytes(32)) }))
      .toMatchObject({ code: 1, stderr: expect.stringContaining('not signed by a root key this deployment trusts') });
    const database = await createDatabase({ database: loadConfig(serverEnv).database });
    const { app } = await buildTestApp(database, { env: serverEnv });
    deployment = { app, database, url: await app.listen({ host: '127.0.0.1', port: 0 }) };
  });
  afterAll(async () => {
    await deployment?.app.close();
    await deployment?.database.close();
  });

  it('directory publish uploads the roster; directory verify checks what the server serves against the root', async () => {
    expect(await ok(['directory', 'publish', s.file('entry-1.json')], adminEnv())).toContain('published roster serial 1 for Ministry of Examples: 2 officer(s)');
    const verified = await ok(['directory', 'verify', deployment.url, '--root', out.rootKey!]);
    expect(verified).toContain(`officer aroha Officer ${out.arohaFingerprint}`);
    expect(verified).toContain('directory: 1 organisation(s) verify');
    expect(await candour(['directory', 'verify', deployment.url, '--root', toBase64Url(p.randomBytes(32))])).toMatchObject({ code: 1, stderr: expect.stringContaining('not certified by a trusted root key') });
  });

  it('the retirement roster replaces it, and an older roster is refused', async () => {
    expect(await ok(['directory', 'publish', s.file('entry-2.json')], adminEnv())).toContain('published roster serial 2');
    expect(await ok(['directory', 'verify', deployment.url, '--root', out.rootKey!])).not.toContain('ben Officer');
    const older = await candour(['directory', 'publish', s.file('entry-1.json')], adminEnv());
    expect(older).toMatchObject({ code: 1, stderr: expect.stringContaining('serial must be greater than the current one (2)') });
  });

  it('a wrong password is a clear sign-in failure', async () => {
    expect(await candour(['directory', 'publish', s.file('entry-2.json')], { ...adminEnv(), CANDOUR_PASSWORD: 'wrong password entirely!' }))
      .toMatchObject({ code: 1, stderr: expect.stringContaining('sign-in failed') });
  });
});

describe('recovery split and combine', () => {
  it('any 3 of 5 shares rebuild the recovery key; 2 do not, and nothing is written', async () => {
    const split = await ok(['recovery', 'split', '--key', s.file('recovery.candour-key'), '-k', '3', '-n', '5', '--out-dir', s.dir],
      { CANDOUR_PASSPHRASE: RECOVERY_PASS });
    const publicPart = field(split, 'recovery key public part');
    const share = (i: number) => s.file(`recovery-share-${i}-of-5.txt`);
    expect((await readFile(share(1), 'utf8')).trim()).toMatch(/^[A-Za-z0-9_-]+$/);

    const combined = await ok(['recovery', 'combine', '--out', s.file('recovery-rebuilt.candour-key'), ...FAST, share(5), share(2), share(4)],
      { CANDOUR_NEW_PASSPHRASE: 'a new recovery passphrase' });
    expect(field(combined, 'public part')).toBe(publicPart);
    const original = openKeyFile(p, new Uint8Array(await readFile(s.file('recovery.candour-key'))), RECOVERY_PASS);
    const rebuilt = openKeyFile(p, new Uint8Array(await readFile(s.file('recovery-rebuilt.candour-key'))), 'a new recovery passphrase');
    expect(rebuilt.boxSecretKey).toEqual(original.boxSecretKey);

    const tooFew = await candour(['recovery', 'combine', '--out', s.file('from-two.candour-key'), ...FAST, share(1), share(3)], { CANDOUR_NEW_PASSPHRASE: 'a new recovery passphrase' });
    expect(tooFew.code).toBe(1);
    expect(tooFew.stderr).toContain('3 of the 5 shares are needed; only 2 were given');
    expect(await readdir(s.dir)).not.toContain('from-two.candour-key');

    // A mistyped share is named by its checksum (an altered one with a recomputed checksum is
    // caught by the public-key check: test/crypto/recovery-share.test.ts).
    const text = (await readFile(share(3), 'utf8')).trim();
    const mistyped = `${text.slice(0, 20)}${text[20] === 'A' ? 'B' : 'A'}${text.slice(21)}`;
    await writeFile(s.file('mistyped.txt'), `${mistyped}\n`);
    const bad = await candour(['recovery', 'combine', '--out', s.file('from-bad.candour-key'), ...FAST, share(1), share(2), s.file('mistyped.txt')], { CANDOUR_NEW_PASSPHRASE: 'a new recovery passphrase' });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/checksum does not match|not a share/);
  });
});

describe('refusals: clear message, non-zero exit, nothing written', () => {
  it('a wrong passphrase', async () => {
    const result = await candour(['org', 'certify', '--root', s.file('root.candour-key'), '--subject', s.file('org.candour-key'),
      '--name', 'X', '--kind', 'agency', '--out', s.file('never.cert')], { CANDOUR_PASSPHRASE: 'not the root passphrase' });
    expect(result).toMatchObject({ code: 1, stderr: expect.stringContaining('the passphrase does not unlock this key file') });
    expect(await readdir(s.dir)).not.toContain('never.cert');
  });

  it('the wrong kind of key file, a bad option, an existing output, a short new passphrase, no passphrase source', async () => {
    const env = { CANDOUR_PASSPHRASE: ORG_PASS };
    expect(await candour(['org', 'certify', '--root', s.file('org.candour-key'), '--subject', s.file('org.candour-key'), '--name', 'X', '--kind', 'agency', '--out', s.file('never.cert')], env))
      .toMatchObject({ code: 1, stderr: expect.stringContaining('is an organisation key file; this needs a root key file') });
    expect(await candour(['org', 'certify', '--root', s.file('root.candour-key'), '--subject', s.file('org.candour-key'), '--name', 'X', '--kind', 'ministry', '--out', s.file('never.cert')], env))
      .toMatchObject({ code: 2, stderr: expect.stringContaining('--kind must be agency or authority') });
    expect(await candour(['officer', 'keygen', '--out', s.file('aroha.candour-key'), ...FAST], { CANDOUR_NEW_PASSPHRASE: OFFICER_PASS }))
      .toMatchObject({ code: 2, stderr: expect.stringContaining('already exists') });
    expect(await candour(['officer', 'keygen', '--out', s.file('short.candour-key'), ...FAST], { CANDOUR_NEW_PASSPHRASE: 'short' }))
      .toMatchObject({ code: 2, stderr: expect.stringContaining('at least 12 characters') });
    expect(await candour(['officer', 'keygen', '--out', s.file('short.candour-key'), '--frobnicate'], {}))
      .toMatchObject({ code: 2, stderr: expect.stringContaining("Unknown option '--frobnicate'") });
    expect(await candour(['officer', 'keygen', '--out', s.file('short.candour-key'), ...FAST], {}))
      .toMatchObject({ code: 2, stderr: expect.stringContaining('give --new-passphrase-file FILE or set CANDOUR_NEW_PASSPHRASE') });
    expect(await candour(['officer', 'certify', '--org-key', s.file('org.candour-key'), '--org-cert', s.file('org.cert'), '--public', 'abc', '--name', 'X', '--out', s.file('never.cert')], env))
      .toMatchObject({ code: 2, stderr: expect.stringContaining('--public') });
    expect(await readdir(s.dir)).not.toContain('never.cert');
    expect(await readdir(s.dir)).not.toContain('short.candour-key');
  });

  it('a passphrase is never an argument: there is no --passphrase option', async () => {
    expect(await candour(['root', 'create', '--out', s.file('x.candour-key'), '--passphrase', 'hunter2hunter2'], {}))
      .toMatchObject({ code: 2, stderr: expect.stringContaining("Unknown option '--passphrase'") });
  });
});

