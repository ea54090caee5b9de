// The console's import of a reply file made offline (client/officer/lib/offline-reply.ts): only
// the format `candour reply` writes (docs/protocol.md §15) is read, and every check the page can
// make without a private key refuses a file that fails it, with its own reason.
import { randomUUID } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  asThreadId,
  buildDirectoryDocument,
  encodeJson,
  loadBackend,
  type Primitives,
  sealKeyGrants,
  sealMessage,
  threadGenesisHash,
  toBase64Url,
} from '../../crypto/index.ts';
import { type DeploymentKeys, runKeyCeremony } from '../../server/demo/ceremony.ts';
import { loadTrustedDirectory, type Receiver } from '../../client/lib/directory.ts';
import { uuidToBytes } from '../../client/lib/ids.ts';
import { OfflineReplyError, readOfflineReply } from '../../client/officer/lib/offline-reply.ts';
import { E2E_ORGANISATIONS } from '../e2e/helpers/server.ts';
import { fakeServer, type FakeServer, json } from './helpers/fake-server.ts';

let p: Primitives;
let keys: DeploymentKeys;
let agency: Receiver;
let other: Receiver;
let server: FakeServer | undefined;

beforeAll(async () => {
  p = await loadBackend({ prefer: 'noble' });
  keys = runKeyCeremony(p, E2E_ORGANISATIONS);
  const document = buildDirectoryDocument(keys.organisations.map((o) => ({ certificate: o.certificate, roster: o.roster, members: o.members })));
  (globalThis as { __CANDOUR_PINNED_ROOT_KEYS__?: readonly string[] }).__CANDOUR_PINNED_ROOT_KEYS__ = [toBase64Url(keys.rootPublicKey)];
  server = fakeServer();
  server.on('GET', '/api/directory', () => json(200, document));
  const directory = await loadTrustedDirectory();
  [agency, , other] = directory.receivers as [Receiver, Receiver, Receiver];
});

afterEach(() => {
  server?.restore();
  server = undefined;
});

/** A reply file as `candour reply` writes it: message 0 of `caseId`'s thread, by the agency's first officer unless told otherwise. */
function replyFile(caseId: string, options: { seq?: number; organisation?: number } = {}) {
  const organisation = keys.organisations[options.organisation ?? 0]!;
  const threadId = asThreadId(uuidToBytes(caseId));
  const { message, messageKey } = sealMessage(p, {
    threadId,
    seq: options.seq ?? 0,
    previousHash: threadGenesisHash(p, threadId),
    authorRole: 'officer',
    authorSeed: organisation.officers[0]!.signingSeed,
    plaintext: encodeJson({ text: 'A reply written offline.' }),
  });
  const recipients = organisation.officers.map((o) => o.boxKey);
  const grants = sealKeyGrants(p, messageKey, 'message', recipients);
  return {
    format: 'candour-reply',
    version: 1,
    caseId,
    seq: options.seq ?? 0,
    request: { message: toBase64Url(message), grants: grants.map((g, i) => ({ recipientKey: toBase64Url(recipients[i]!), grant: toBase64Url(g) })) },
  };
}

const file = (value: unknown) => new Blob([typeof value === 'string' ? value : JSON.stringify(value)]);

async function refusal(value: unknown, caseId: string, organisation: Receiver = agency): Promise<string> {
  const error = await readOfflineReply(file(value), caseId, organisation).then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(OfflineReplyError);
  return (error as Error).message;
}

describe('readOfflineReply', () => {
  it('reads a reply file and returns its request unchanged, with the certified author', async () => {
    const caseId = randomUUID();
    const reply = replyFile(caseId);
    const read = await readOfflineReply(file(reply), caseId, agency);
    expect({ message: read.message, grants: read.grants }).toEqual(reply.request);
    expect([read.seq, read.officerName]).toEqual([0, E2E_ORGANISATIONS[0]!.officers[0]!.name]);
  });

  it('refuses anything but the candour reply format, version 1', async () => {
    const caseId = randomUUID();
    const reply = replyFile(caseId);
    expect(await refusal('not json', caseId)).toContain('it is not JSON');
    expect(await refusal(reply.request, caseId)).toContain('its "format" is not "candour-reply"');
    expect(await refusal({ ...reply.request, caseId }, caseId)).toContain('its "format" is not "candour-reply"');
    expect(await refusal({ ...reply, version: 2 }, caseId)).toContain('version 2; this console reads version 1');
    expect(await refusal({ ...reply, request: { message: reply.request.message } }, caseId)).toContain('"request" needs a "message" and "grants"');
    expect(await refusal({ ...reply, request: { ...reply.request, grants: [{ recipientKey: 'x' }] } }, caseId)).toContain('A grant in this reply file is malformed');
  });

  it('refuses a file for another case, an edited seq, a broken signature and an author who is not certified here', async () => {
    const caseId = randomUUID();
    const reply = replyFile(caseId);
    expect(await refusal(reply, randomUUID())).toBe('This reply was sealed for another case.');
    const otherCase = randomUUID();
    expect(await refusal({ ...reply, caseId: otherCase }, otherCase)).toBe('This reply was sealed for another case.');
    expect(await refusal({ ...reply, seq: 3 }, caseId)).toBe('This reply file says message 3, but the signed message inside is 0.');
    const bytes = Buffer.from(reply.request.message, 'base64url');
    bytes[bytes.length - 1]! ^= 1;
    expect(await refusal({ ...reply, request: { ...reply.request, message: toBase64Url(bytes) } }, caseId)).toContain('does not verify');
    expect(await refusal(replyFile(caseId, { organisation: 2 }), caseId)).toBe('This reply is not signed by a certified officer of your organisation.');
    expect(await refusal(reply, caseId, other)).toBe('This reply is not signed by a certified officer of your organisation.');
  });
});
