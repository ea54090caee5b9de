/**
 * Invariant 5: a disclosure answered with 2xx survives the server being killed outright. The real
 * entry point runs in a child process; the test submits over HTTP as a browser would, kills the
 * process with SIGKILL (no shutdown code runs), starts it again and reads the disclosure back
 * through the mailbox.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  answerLoginChallenge,
  dayNumber,
  deriveMailboxKeys,
  fromBase64Url,
  generateDisclosureId,
  generateMailboxCode,
  loadBackend,
  openDisclosureBody,
  openKeyGrant,
  sealDisclosure,
  solveProofOfWork,
  toBase64Url,
  verifyDirectory,
} from '../../crypto/index.ts';
import { uuidFromBytes, uuidToBytes } from '../../server/services/directory-service.ts';
import { databaseKinds, openTestDatabase, type TestDatabase } from './helpers/databases.ts';
import { start, stopAll, waitForUrl } from './helpers/start-server.ts';

const p = await loadBackend({ prefer: 'libsodium' });

async function call(url: string, method: string, body?: unknown, token?: string) {
  const response = await fetch(url, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

async function pow(origin: string) {
  const { json } = await call(`${origin}/api/pow`, 'POST');
  const challenge = json['challenge'] as string;
  return { challenge, nonce: toBase64Url(solveProofOfWork(p, fromBase64Url(challenge).subarray(0, 32), json['difficulty'] as number)!) };
}

afterEach(() => stopAll());

describe.each(databaseKinds)('a committed disclosure survives SIGKILL and restart, on %s', (kind) => {
  let dataDir: string;
  let database: TestDatabase | undefined;
  let env: Record<string, string>;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'candour-durable-'));
    env = { CANDOUR_DATA_DIR: dataDir };
    if (kind === 'postgres') {
      database = await openTestDatabase('postgres');
      await database.handle.close();
      env['DATABASE_URL'] = (database.location as { url: string }).url;
    }
  });
  afterAll(async () => {
    await database?.dispose();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('reads back, after a crash, exactly what was accepted', async () => {
    const first = start(env);
    const origin = await waitForUrl(first);
    const directory = (await call(`${origin}/api/directory`, 'GET')).json;
    const roots = ((await call(`${origin}/demo/root-public-key.json`, 'GET')).json['rootPublicKeys'] as string[]).map((k) => fromBase64Url(k));
    const agency = verifyDirectory(p, directory, roots as never, dayNumber(new Date())).find((o) => o.kind === 'agency')!;
    const code = generateMailboxCode(p);
    const mailbox = deriveMailboxKeys(p, code);
    const disclosureId = generateDisclosureId(p);
    const recipients = [...agency.recipients, mailbox.boxPublicKey];
    const sealed = sealDisclosure(p, { disclosureId, body: { answers: { what: 'kept after a crash' }, attachments: [] }, recipients });
    const accepted = await call(`${origin}/api/disclosures`, 'POST', {
      id: uuidFromBytes(disclosureId),
      organisationId: uuidFromBytes(agency.id),
      mailbox: { authKey: toBase64Url(mailbox.authPublicKey), boxKey: toBase64Url(mailbox.boxPublicKey) },
      body: toBase64Url(sealed.body),
      grants: sealed.contentGrants.map((grant, i) => ({ recipientKey: toBase64Url(recipients[i]!), purpose: 'content', grant: toBase64Url(grant) })),
      attachmentIds: [],
      pow: await pow(origin),
    });
    expect(accepted.status).toBe(201);

    first.child.kill('SIGKILL');
    await first.exitCode;

    const second = start(env);
    const again = await waitForUrl(second);
    const authKey = toBase64Url(mailbox.authPublicKey);
    const { json: challenged } = await call(`${again}/api/mailbox/challenge`, 'POST', { authKey, pow: await pow(again) });
    const challenge = challenged['challenge'] as string;
    const answer = toBase64Url(answerLoginChallenge(p, mailbox.authSeed, fromBase64Url(challenge).subarray(0, 32)));
    const session = await call(`${again}/api/mailbox/session`, 'POST', { authKey, challenge, answer });
    expect(session.status).toBe(200);
    const view = (await call(`${again}/api/mailbox`, 'GET', undefined, session.json['token'] as string)).json as {
      disclosures: { id: string; body: string }[];
      grants: { purpose: string; grant: string }[];
    };
    expect(view.disclosures.map((x) => x.id)).toEqual([uuidFromBytes(disclosureId)]);
    const key = openKeyGrant(p, fromBase64Url(view.grants.find((g) => g.purpose === 'content')!.grant), 'content', { publicKey: mailbox.boxPublicKey, secretKey: mailbox.boxSecretKey });
    const body = openDisclosureBody(p, key, uuidToBytes(view.disclosures[0]!.id) as never, fromBase64Url(view.disclosures[0]!.body));
    expect(body.answers).toEqual({ what: 'kept after a crash' });
    second.child.kill('SIGTERM');
    expect(await second.exitCode).toBe(0);
  });
});
