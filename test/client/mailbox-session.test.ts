// The open mailbox session against a stand-in server: a file is fetched as a stream and
// decrypted piece by piece, accepted only when it is exactly the file its manifest names; and
// once locked, the session sends nothing more (no request with its token) and its keys are zero.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as c from '../../crypto/index.ts';
import { MailboxSession } from '../../client/lib/mailbox/session.ts';
import type { FileEntry } from '../../client/lib/mailbox/view.ts';
import { randomIdBytes, uuidFromBytes } from '../../client/lib/ids.ts';
import { type DeploymentKeys, runKeyCeremony } from '../../server/demo/ceremony.ts';
import { E2E_ORGANISATIONS } from '../e2e/helpers/server.ts';
import { fakeServer, type FakeServer, json } from './helpers/fake-server.ts';

const SECRET = new Uint8Array(32).fill(3);
let p: c.Primitives;
let keys: DeploymentKeys;
let server: FakeServer;

beforeAll(async () => {
  p = await c.loadBackend({ prefer: 'noble' });
  keys = runKeyCeremony(p, E2E_ORGANISATIONS);
  (globalThis as { __CANDOUR_PINNED_ROOT_KEYS__?: readonly string[] }).__CANDOUR_PINNED_ROOT_KEYS__ = [c.toBase64Url(keys.rootPublicKey)];
});

afterEach(() => server?.restore());

function token(purpose: 'pow' | 'login'): string {
  return c.issueServerToken(p, SECRET, purpose, c.concatBytes(p.randomBytes(32), c.u32be(99_999_999), c.u8(2)));
}

/** A server that lets any mailbox log in and serves one attachment blob in 100-byte pieces. */
async function openSession(blob: Uint8Array): Promise<MailboxSession> {
  server = fakeServer();
  const document = c.buildDirectoryDocument(keys.organisations.map((o) => ({ certificate: o.certificate, roster: o.roster, members: o.members })));
  server.on('GET', '/api/directory', () => json(200, document));
  server.on('POST', '/api/pow', () => json(200, { challenge: token('pow'), difficulty: 2 }));
  server.on('POST', '/api/mailbox/challenge', () => json(200, { challenge: token('login') }));
  server.on('POST', '/api/mailbox/session', () => json(200, { token: 'session-token-1', expiresInSeconds: 600 }));
  server.on('GET', '/api/mailbox', () => json(200, { cases: [], disclosures: [], grants: [] }));
  server.on('GET', `/api/mailbox/attachments/${attachmentId}`, () => {
    let at = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (at >= blob.length) return controller.close();
        controller.enqueue(blob.slice(at, at + 100));
        at += 100;
      },
    });
    return new Response(stream, { status: 200, headers: { 'content-type': 'application/octet-stream' } });
  });
  return MailboxSession.open(c.generateMailboxCode(p));
}

const attachmentId = uuidFromBytes(randomIdBytes());

function entryFor(data: Uint8Array, chunkSize = 256): { blob: Uint8Array; entry: FileEntry } {
  const { key, blob, plaintextHash } = c.encryptToBlob(p, data, { chunkSize });
  return { blob, entry: { id: attachmentId, name: 'a.bin', type: 'application/octet-stream', size: data.length, fileKey: c.toBase64Url(key), plaintextHash: c.toBase64Url(plaintextHash) } };
}

describe('MailboxSession', () => {
  it('downloads and decrypts a file piece by piece, reporting progress, with its session token', async () => {
    const data = p.randomBytes(3000);
    const { blob, entry } = entryFor(data);
    const session = await openSession(blob);
    const progress: number[] = [];
    const file = await session.downloadAttachment(entry, { onProgress: (n) => progress.push(n) });
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(data);
    expect(progress.length).toBeGreaterThan(5);
    expect(progress.at(-1)).toBe(3000);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    const call = server.calls.find((x) => x.path === `/api/mailbox/attachments/${attachmentId}`);
    expect(call?.method).toBe('GET');
  });

  it('refuses a file that is not the one the manifest names', async () => {
    const { blob } = entryFor(p.randomBytes(500));
    const other = entryFor(p.randomBytes(500)).entry;
    const session = await openSession(blob);
    await expect(session.downloadAttachment(other)).rejects.toMatchObject({ code: 'chunk_tampered' });
    const sameKey = c.encryptToBlob(p, p.randomBytes(500), { chunkSize: 256, key: c.asSymmetricKey(c.fromBase64Url(other.fileKey)) });
    const swapped = await openSession(sameKey.blob);
    await expect(swapped.downloadAttachment(other)).rejects.toMatchObject({ code: 'file_hash_mismatch' });
  });

  it('once locked, sends nothing more and has wiped its keys', async () => {
    const session = await openSession(new Uint8Array(0));
    await session.load();
    const before = server.calls.length;
    session.lock();
    await expect(session.load()).rejects.toThrow(/locked/);
    await expect(session.downloadAttachment(entryFor(new Uint8Array(10)).entry)).rejects.toThrow(/locked/);
    expect(server.calls.length).toBe(before);
    const secrets = (session as unknown as { keys: c.MailboxKeys }).keys;
    expect(secrets.authSeed.every((b) => b === 0)).toBe(true);
    expect(secrets.boxSecretKey.every((b) => b === 0)).toBe(true);
  });
});
