// The air-gapped route end to end against a real server on 127.0.0.1 (PGlite, and PostgreSQL when
// DATABASE_URL is set): an officer exports
// a case bundle, decrypts it offline, seals a reply offline, imports it, and the thread on the
// server verifies with the reply in it. Tampered bundles, the wrong key or passphrase, and the
// case view's access rules all refuse with a message and write nothing. A server that names
// another mailbox key gets no grant and a warning; internal notes decrypt offline.
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import {
  ARGON2_INTERACTIVE,
  asThreadId,
  asEd25519Seed,
  asX25519PublicKey,
  constantTimeEqual,
  createKeyFile,
  encodeJson,
  encryptToBlob,
  fromBase64Url,
  NotARecipientError,
  openAnyKeyGrant,
  openKeyGrant,
  openMessage,
  sealKeyGrants,
  toBase64Url,
  verifyThread,
} from '../../crypto/index.ts';
import { DirectoryService, uuidToBytes } from '../../server/services/directory-service.ts';
import { databaseKinds } from '../server/helpers/databases.ts';
import { startTestDeployment, type TestDeployment } from '../server/helpers/deployment.ts';
import { as, createAccounts, login, PASSWORD, storeDisclosure, storeDiscloserMessage, type StoredDisclosure, type TestOfficer } from '../server/officer-fixtures.ts';
import { candour, ok, scratch } from './cli-harness.ts';

const KEY_PASS = 'officer key passphrase for tests';
let d: TestDeployment;
let officers: Record<string, TestOfficer>;
let disclosure: StoredDisclosure;
let server: string;
let root: string;
let s: Awaited<ReturnType<typeof scratch>>;

const online = (username: string) => ({ CANDOUR_PASSWORD: PASSWORD, CANDOUR_SERVER: server, CANDOUR_USERNAME: username });
const offline = { CANDOUR_PASSPHRASE: KEY_PASS };

describe.each(databaseKinds)('the air-gapped route on %s', (kind) => {
  beforeAll(async () => {
    d = await startTestDeployment(kind);
    officers = await createAccounts(d);
    disclosure = await storeDisclosure(d, 0, { identity: true });
    await storeDiscloserMessage(d, disclosure, 'I can also send the emails if that helps.');
    server = await d.app.listen({ host: '127.0.0.1', port: 0 });
    root = toBase64Url(d.keys.rootPublicKey);
    s = await scratch();
    // Each officer's key file, as `candour officer keygen` would have written it.
    for (const officer of d.keys.organisations[0]!.officers) {
      await writeFile(s.file(`${officer.username.split('@')[0]}.candour-key`), createKeyFile(d.crypto, officer.material, KEY_PASS, ARGON2_INTERACTIVE));
    }
    const aroha = as(d, await login(d, officers.aroha!.username));
    expect((await aroha.post(`/api/officer/cases/${disclosure.caseId}/conflict`, { conflict: false })).statusCode).toBe(200);
  }, 60_000);
  afterAll(async () => {
    await d?.close();
    await s?.remove();
  });

  describe('bundle export follows the case view\'s access rules', () => {
    it('refuses an officer who has not declared a conflict position, and answers 404 to another organisation', async () => {
      const ben = await candour(['bundle', 'export', '--case', disclosure.caseId, '--out', s.file('ben.bundle')], online(officers.ben!.username));
      expect(ben).toMatchObject({ code: 1, stderr: expect.stringContaining('conflict_declaration_required') });
      const dan = await candour(['bundle', 'export', '--case', disclosure.caseId, '--out', s.file('dan.bundle')], online(officers.dan!.username));
      expect(dan).toMatchObject({ code: 1, stderr: expect.stringContaining('(404 not_found)') });
      expect(await readdir(s.dir)).not.toContain('ben.bundle');
      const cookie = await login(d, officers.aroha!.username);
      expect((await as(d, cookie).get('/api/officer/cases/not-a-case/bundle')).statusCode).toBe(400);
      expect((await d.app.inject({ method: 'GET', url: `/api/officer/cases/${disclosure.caseId}/bundle` })).statusCode).toBe(401);
      expect(await readdir(s.dir)).not.toContain('dan.bundle');
    });
  });

  describe('export → offline decrypt → sealed reply → import', () => {
    it('exports a bundle that holds ciphertext only, and audits the export', async () => {
      expect(await ok(['bundle', 'export', '--case', disclosure.caseId, '--out', s.file('case.bundle')], online(officers.aroha!.username))).toContain('wrote');
      const bundle = await readFile(s.file('case.bundle'));
      // No plaintext of the answers, the attachment or the follow-up is in the file.
      for (const plain of ['Tender rigging', 'minutes of the meeting', 'send the emails', 'Hemi']) expect(bundle.includes(plain)).toBe(false);
      const audit = await d.context.db.selectFrom('audit_log').select(['action', 'subject']).where('action', '=', 'case.bundle_exported').execute();
      expect(audit).toEqual([{ action: 'case.bundle_exported', subject: `case:${disclosure.caseId}` }]);
    });

    it('decrypts the answers, the attachment (byte for byte), the verified thread and the metadata listing', async () => {
      const stdout = await ok(['decrypt', s.file('case.bundle'), '--key', s.file('aroha.candour-key'), '--out', s.file('plain'), '--root', root], offline);
      expect(stdout).toContain('1 answer(s), 1 message(s), 1 attachment(s)');
      expect(await readFile(s.file('plain/answers.txt'), 'utf8')).toContain('Tender rigging in procurement');
      expect(new Uint8Array(await readFile(s.file('plain/attachments/01-minutes.txt')))).toEqual(disclosure.fileBytes);
      const thread = await readFile(s.file('plain/thread.txt'), 'utf8');
      expect(thread).toContain('The thread verifies: 1 message(s)');
      expect(thread).toContain('message 0 from the discloser (discloser); signature: verified');
      expect(thread).toContain('I can also send the emails if that helps.');
      const listing = JSON.parse(await readFile(s.file('plain/attachments.json'), 'utf8'));
      expect(listing).toEqual([{
        name: 'minutes.txt', file: 'attachments/01-minutes.txt', size: disclosure.fileBytes.length, declaredType: 'text/plain',
        detectedType: 'text', metadata: [], from: 'the disclosure',
      }]);
      // The identity was not revealed: it is not in the bundle's output, and case.txt says so.
      expect(await readdir(s.file('plain'))).not.toContain('identity.json');
      const caseText = await readFile(s.file('plain/case.txt'), 'utf8');
      expect(caseText).toContain('given by the discloser, not revealed');
      expect(caseText).toMatch(/Due \(s 13, 20 working days\): \d{4}-\d{2}-\d{2}/);
      expect(caseText).toMatch(/^ {2}\d{4}-\d{2}-\d{2} acknowledge/m);
      // No file keys reach the disk.
      expect(await readFile(s.file('plain/disclosure.json'), 'utf8')).not.toContain('fileKey');
    });

    it('seals a reply offline that the server accepts; the thread then verifies with it', async () => {
      await writeFile(s.file('reply.txt'), 'Thank you. We have received your disclosure and will assess it.');
      expect(await ok(['reply', s.file('case.bundle'), '--key', s.file('aroha.candour-key'), '--message', s.file('reply.txt'), '--out', s.file('reply.json'), '--root', root], offline))
        .toContain('reply 1 to case');
      const file = JSON.parse(await readFile(s.file('reply.json'), 'utf8'));
      expect(Object.keys(file)).toEqual(['format', 'version', 'caseId', 'seq', 'request']);
      expect(Object.keys(file.request)).toEqual(['message', 'grants']);
      expect(await ok(['import-reply', s.file('reply.json')], online(officers.aroha!.username))).toContain('the reply is message 1');

      // What the server now serves verifies as a thread, and the reply opens with the officer's grant.
      const view = (await as(d, await login(d, officers.aroha!.username)).get(`/api/officer/cases/${disclosure.caseId}`)).json();
      const messages = (view.content.messages as { seq: number; message: string }[]).map((m) => fromBase64Url(m.message));
      const aroha = officers.aroha!;
      const parsed = verifyThread(d.crypto, asThreadId(uuidToBytes(disclosure.caseId)), messages, (role, key) =>
        role === 'discloser' ? constantTimeEqual(key, d.crypto.ed25519PublicKey(disclosure.mailboxAuthSeed)) : constantTimeEqual(key, d.crypto.ed25519PublicKey(aroha.signingSeed)));
      expect(parsed.map((m) => [m.seq, m.authorRole])).toEqual([[0, 'discloser'], [1, 'officer']]);
      const grant = (view.content.grants as { purpose: string; seq: number | null; grant: string }[]).find((g) => g.purpose === 'message' && g.seq === 1)!;
      const key = openKeyGrant(d.crypto, fromBase64Url(grant.grant), 'message', { publicKey: aroha.boxKey, secretKey: aroha.boxSecretKey as never });
      expect(JSON.parse(new TextDecoder().decode(openMessage(d.crypto, parsed[1]!, key)))).toEqual({ text: 'Thank you. We have received your disclosure and will assess it.' });
      // The discloser's mailbox got a grant for the reply, so they can read it.
      const mailboxGrant = await d.context.db.selectFrom('key_grants').select('id').where('thread_id', '=', disclosure.caseId).where('seq', '=', 1)
        .where('recipient_key', '=', disclosure.mailboxBoxKey).execute();
      expect(mailboxGrant).toHaveLength(1);
    });

    it('refuses the same reply a second time (the thread moved on)', async () => {
      const again = await candour(['import-reply', s.file('reply.json')], online(officers.aroha!.username));
      expect(again).toMatchObject({ code: 1, stderr: expect.stringContaining('thread_conflict') });
    });

    it('after an audited reveal, a new bundle decrypts the identity too', async () => {
      const aroha = as(d, await login(d, officers.aroha!.username));
      expect((await aroha.post(`/api/officer/cases/${disclosure.caseId}/reveal-identity`, { reason: 'consent', note: 'the discloser agreed' })).statusCode).toBe(200);
      await ok(['bundle', 'export', '--case', disclosure.caseId, '--out', s.file('case-2.bundle')], online(officers.aroha!.username));
      await ok(['decrypt', s.file('case-2.bundle'), '--key', s.file('aroha.candour-key'), '--out', s.file('plain-2'), '--root', root], offline);
      expect(JSON.parse(await readFile(s.file('plain-2/identity.json'), 'utf8'))).toEqual({ name: 'Hemi Discloser', phone: '021 000 000' });
      expect(await readFile(s.file('plain-2/thread.txt'), 'utf8')).toContain('The thread verifies: 2 message(s)');
    });
  });

  describe('a case referred to the Ombudsman', () => {
    it('the authority\'s bundle decrypts the disclosure and the discloser\'s messages shared from the agency\'s thread', async () => {
      const p = d.crypto;
      const source = await storeDisclosure(d, 0);
      await storeDiscloserMessage(d, source, 'More detail for whoever looks at this next.');
      const aroha = as(d, await login(d, officers.aroha!.username));
      await aroha.post(`/api/officer/cases/${source.caseId}/conflict`, { conflict: false });
      for (const status of ['acknowledged', 'assessing']) expect((await aroha.post(`/api/officer/cases/${source.caseId}/status`, { status })).statusCode).toBe(200);
      // Aroha's console re-wraps the content key and message 0's key for the Ombudsman's recipients.
      const { content } = (await aroha.get(`/api/officer/cases/${source.caseId}`)).json();
      const pair = { publicKey: officers.aroha!.boxKey, secretKey: officers.aroha!.boxSecretKey as never };
      const messageKey = openKeyGrant(p, fromBase64Url(content.grants.find((g: { purpose: string }) => g.purpose === 'message').grant), 'message', pair);
      const ombudsman = await new DirectoryService(d.context).recipients(d.organisationIds[1]!);
      const wrap = (key: Uint8Array, purpose: 'content' | 'message', extra: object) =>
        sealKeyGrants(p, key as never, purpose, ombudsman).map((grant, i) => ({ recipientKey: toBase64Url(ombudsman[i]!), purpose, grant: toBase64Url(grant), ...extra }));
      const referralId = randomUUID();
      const referred = await aroha.post(`/api/officer/cases/${source.caseId}/referral`, {
        caseId: referralId,
        organisationId: d.organisationIds[1],
        consulted: { discloserOn: d.context.today(), authorityOn: d.context.today() },
        grants: [...wrap(source.contentKey, 'content', {}), ...wrap(messageKey, 'message', { threadId: source.caseId, seq: 0 })],
      });
      expect(referred.statusCode).toBe(201);

      const oliviaKeys = d.keys.organisations[1]!.officers[0]!;
      await writeFile(s.file('olivia.candour-key'), createKeyFile(p, oliviaKeys.material, KEY_PASS, ARGON2_INTERACTIVE));
      const olivia = as(d, await login(d, officers.olivia!.username));
      await olivia.post(`/api/officer/cases/${referralId}/conflict`, { conflict: false });
      await ok(['bundle', 'export', '--case', referralId, '--out', s.file('referral.bundle')], online(officers.olivia!.username));
      await ok(['decrypt', s.file('referral.bundle'), '--key', s.file('olivia.candour-key'), '--out', s.file('plain-referral'), '--root', root], offline);
      expect(await readFile(s.file('plain-referral/answers.txt'), 'utf8')).toContain('Tender rigging in procurement');
      expect(new Uint8Array(await readFile(s.file('plain-referral/attachments/01-minutes.txt')))).toEqual(source.fileBytes);
      const thread = await readFile(s.file('plain-referral/thread.txt'), 'utf8');
      expect(thread).toContain('The thread verifies: 0 message(s)');
      expect(thread).toContain(`=== shared from the source case ${source.caseId}: verifies`);
      expect(thread).toContain('message 0 from the discloser (discloser); signature: verified');
      expect(thread).toContain('More detail for whoever looks at this next.');
    });
  });

  describe('a server that names another mailbox key (the discloser\'s keys are sealed in the report)', () => {
    const attackerSecret = new Uint8Array(32).fill(9);
    let source: StoredDisclosure;
    let attackerBox: Uint8Array;
    let impostorSeed: Uint8Array;

    beforeAll(async () => {
      const p = d.crypto;
      source = await storeDisclosure(d, 0);
      await storeDiscloserMessage(d, source, 'The invoices are in the shared drive.');
      const aroha = as(d, await login(d, officers.aroha!.username));
      expect((await aroha.post(`/api/officer/cases/${source.caseId}/conflict`, { conflict: false })).statusCode).toBe(200);
      // An internal note, as the console seals it: a stream of {"text"} under a fresh key, granted to the organisation.
      const recipients = await new DirectoryService(d.context).recipients(d.organisationIds[0]!);
      const note = encryptToBlob(p, encodeJson({ text: 'Canary note 51c2: ask the auditor about March.' }), { chunkSize: 4096 });
      const grants = sealKeyGrants(p, note.key, 'content', recipients).map((grant, i) => ({ recipientKey: toBase64Url(recipients[i]!), grant: toBase64Url(grant) }));
      expect((await aroha.post(`/api/officer/cases/${source.caseId}/notes`, { note: toBase64Url(note.blob), grants })).statusCode).toBe(201);
      // Whoever holds the database points the case at a mailbox of their own: their auth key, their box key.
      attackerBox = p.x25519PublicKey(attackerSecret);
      impostorSeed = asEd25519Seed(p.randomBytes(32));
      const impostorAuth = p.ed25519PublicKey(impostorSeed as never);
      await d.context.db.insertInto('mailboxes').values({ auth_key: impostorAuth, box_key: attackerBox, created_on: d.context.today() }).execute();
      await sql`update disclosures set mailbox_key = ${impostorAuth} where id = ${source.caseId}`.execute(d.context.db);
      await ok(['bundle', 'export', '--case', source.caseId, '--out', s.file('swapped.bundle')], online(officers.aroha!.username));
      const manifestText = (await readFile(s.file('swapped.bundle'))).toString('latin1');
      expect(manifestText).toContain(toBase64Url(attackerBox));
    }, 60_000);

    it('decrypt reports the swap, still verifies the discloser\'s genuine message, and writes the internal note', async () => {
      const result = await candour(['decrypt', s.file('swapped.bundle'), '--key', s.file('aroha.candour-key'), '--out', s.file('plain-swapped'), '--root', root], offline);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('1 message(s), 1 attachment(s), 1 note(s)');
      expect(result.stderr).toContain('WARNING: the bundle names a different discloser mailbox key than the one sealed in the discloser\'s report');
      expect(await readFile(s.file('plain-swapped/case.txt'), 'utf8')).toMatch(/Discloser mailbox keys: sealed in the discloser's report \(WARNING: /);
      // Checked against the auth key in the report, not the manifest's: the genuine message verifies.
      const thread = await readFile(s.file('plain-swapped/thread.txt'), 'utf8');
      expect(thread).toContain('The thread verifies: 1 message(s)');
      expect(thread).toContain('The invoices are in the shared drive.');
      expect(await readFile(s.file('plain-swapped/notes.txt'), 'utf8')).toContain('Canary note 51c2: ask the auditor about March.');
      const notes = JSON.parse(await readFile(s.file('plain-swapped/notes.json'), 'utf8'));
      expect(notes).toEqual([expect.objectContaining({ officerId: officers.aroha!.id, text: 'Canary note 51c2: ask the auditor about March.', problem: null })]);
    });

    it('reply seals to the box key in the report, never to the one the bundle names, and says so', async () => {
      const result = await candour(['reply', s.file('swapped.bundle'), '--key', s.file('aroha.candour-key'), '--message', s.file('reply.txt'), '--out', s.file('reply-swapped.json'), '--root', root], offline);
      expect(result.code).toBe(0);
      expect(result.stderr).toContain('WARNING: the bundle names a different discloser mailbox key');
      const file = JSON.parse(await readFile(s.file('reply-swapped.json'), 'utf8'));
      const keys = (file.request.grants as { recipientKey: string }[]).map((g) => g.recipientKey);
      expect(keys).toContain(toBase64Url(source.mailboxBoxKey));
      expect(keys).not.toContain(toBase64Url(attackerBox));
      const attacker = { publicKey: asX25519PublicKey(attackerBox), secretKey: attackerSecret as never };
      expect(() => openAnyKeyGrant(d.crypto, (file.request.grants as { grant: string }[]).map((g) => fromBase64Url(g.grant)), 'message', attacker)).toThrow(NotARecipientError);
    });

    it('a discloser message signed by the key the server named is flagged, and reply will not answer it', async () => {
      await storeDiscloserMessage(d, { ...source, mailboxAuthSeed: impostorSeed as never, mailboxBoxKey: asX25519PublicKey(attackerBox) }, 'Send everything to this new address.');
      await ok(['bundle', 'export', '--case', source.caseId, '--out', s.file('impostor.bundle')], online(officers.aroha!.username));
      const result = await candour(['decrypt', s.file('impostor.bundle'), '--key', s.file('aroha.candour-key'), '--out', s.file('plain-impostor'), '--root', root], offline);
      expect(result.stderr).toContain('WARNING: the thread does not verify');
      const thread = await readFile(s.file('plain-impostor/thread.txt'), 'utf8');
      expect(thread).toMatch(/^THE THREAD DOES NOT VERIFY: message 1/);
      expect(thread).toContain('message 1 from the discloser (discloser); signature: signed by a discloser key not allowed in this thread');
      expect(thread).not.toContain('Send everything to this new address.');
      const refused = await candour(['reply', s.file('impostor.bundle'), '--key', s.file('aroha.candour-key'), '--message', s.file('reply.txt'), '--out', s.file('reply-impostor.json'), '--root', root], offline);
      expect(refused).toMatchObject({ code: 1, stderr: expect.stringContaining('does not verify') });
    });

    it('a report made before the keys were sealed: the bundle\'s key, with a note that it cannot be verified', async () => {
      const old = await storeDisclosure(d, 0, { sealMailboxKeys: false });
      const aroha = as(d, await login(d, officers.aroha!.username));
      expect((await aroha.post(`/api/officer/cases/${old.caseId}/conflict`, { conflict: false })).statusCode).toBe(200);
      await ok(['bundle', 'export', '--case', old.caseId, '--out', s.file('old.bundle')], online(officers.aroha!.username));
      const result = await candour(['reply', s.file('old.bundle'), '--key', s.file('aroha.candour-key'), '--message', s.file('reply.txt'), '--out', s.file('reply-old.json'), '--root', root], offline);
      expect(result.code).toBe(0);
      expect(result.stderr).toContain('mailbox keys not verifiable (report made before reports carried them)');
      const file = JSON.parse(await readFile(s.file('reply-old.json'), 'utf8'));
      expect((file.request.grants as { recipientKey: string }[]).map((g) => g.recipientKey)).toContain(toBase64Url(old.mailboxBoxKey));
      expect(file.seq).toBe(0);
    });
  });

  describe('refusals write nothing', () => {
    let refusals = 0;
    async function expectNothingWritten(args: string[], env: Record<string, string>, message: string | RegExp) {
      const dir = s.file(`refusal-${++refusals}`);
      await mkdir(dir);
      const result = await candour([...args, '--out', path.join(dir, 'out')], env);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(message);
      expect(await readdir(dir)).toEqual([]);
    }

    it('a bundle with a flipped byte in the manifest, in an attachment frame, or cut short', async () => {
      const bundle = new Uint8Array(await readFile(s.file('case.bundle')));
      for (const [name, at] of [['manifest', 200], ['frame', bundle.length - 60]] as const) {
        const bad = bundle.slice();
        bad[at] = bad[at]! ^ 0x01;
        await writeFile(s.file(`tampered-${name}.bundle`), bad);
        await expectNothingWritten(['decrypt', s.file(`tampered-${name}.bundle`), '--key', s.file('aroha.candour-key'), '--root', root], offline,
          /bundle|chunk|decrypt|manifest|malformed|tampered/i);
      }
      await writeFile(s.file('short.bundle'), bundle.subarray(0, bundle.length - 100));
      await expectNothingWritten(['decrypt', s.file('short.bundle'), '--key', s.file('aroha.candour-key'), '--root', root], offline, /cut short|tampered/);
      await expectNothingWritten(['reply', s.file('short.bundle'), '--key', s.file('aroha.candour-key'), '--message', s.file('reply.txt'), '--root', root], offline, /cut short|tampered/);
    });

    it('another officer\'s key, the wrong passphrase, the wrong root', async () => {
      await expectNothingWritten(['decrypt', s.file('case.bundle'), '--key', s.file('ben.candour-key'), '--root', root], offline, 'wrong key file');
      await expectNothingWritten(['decrypt', s.file('case.bundle'), '--key', s.file('aroha.candour-key'), '--root', root], { CANDOUR_PASSPHRASE: 'not my passphrase' },
        'the passphrase does not unlock this key file');
      await expectNothingWritten(['decrypt', s.file('case.bundle'), '--key', s.file('aroha.candour-key'), '--root', toBase64Url(d.crypto.randomBytes(32))], offline,
        'does not verify against the pinned root');
    });
  });

  describe('a server that alters the thread', () => {
    it('decrypt still writes the case but says the thread does not verify; reply refuses to answer it', async () => {
      // Someone with the database flips one ciphertext byte of the officer's reply (seq 1).
      const row = await d.context.db.selectFrom('messages').select('message').where('thread_id', '=', disclosure.caseId).where('seq', '=', 1).executeTakeFirstOrThrow();
      const altered = new Uint8Array(row.message);
      altered[200] = altered[200]! ^ 0x01;
      // (The schema types messages as write-once; raw SQL is what such an attacker would use.)
      await sql`update messages set message = ${altered} where thread_id = ${disclosure.caseId} and seq = 1`.execute(d.context.db);
      await ok(['bundle', 'export', '--case', disclosure.caseId, '--out', s.file('altered.bundle')], online(officers.aroha!.username));

      const result = await candour(['decrypt', s.file('altered.bundle'), '--key', s.file('aroha.candour-key'), '--out', s.file('plain-altered'), '--root', root], offline);
      expect(result.code).toBe(0);
      expect(result.stderr).toContain('WARNING: the thread does not verify');
      const thread = await readFile(s.file('plain-altered/thread.txt'), 'utf8');
      expect(thread).toMatch(/^THE THREAD DOES NOT VERIFY: /);
      expect(thread).toContain('message 1 from Aroha Officer');
      expect(thread).toMatch(/message 1 .*signature: NOT VERIFIED/);
      // The discloser's message before it still verifies and reads.
      expect(thread).toContain('I can also send the emails if that helps.');

      const refused = await candour(['reply', s.file('altered.bundle'), '--key', s.file('aroha.candour-key'), '--message', s.file('reply.txt'), '--out', s.file('reply-altered.json'), '--root', root], offline);
      expect(refused).toMatchObject({ code: 1, stderr: expect.stringContaining('does not verify') });
      expect(await readdir(s.dir)).not.toContain('reply-altered.json');
    });
  });
});
