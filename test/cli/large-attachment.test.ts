// A large attachment goes through `candour decrypt` a chunk at a time: a bundle with a 192 MiB file
// (1 MiB chunks) decrypts to the exact bytes while the memory held in ArrayBuffers grows by less
// than half the file's size. (What it does grow by is garbage the collector has not yet reclaimed:
// V8 collects external memory in steps of about 64 MiB, whatever the file size.)
import { randomUUID } from 'node:crypto';
import { open, readFile, stat, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ARGON2_INTERACTIVE,
  buildDirectoryDocument,
  caseBundleAttachment,
  caseBundleEnd,
  caseBundleFrame,
  caseBundleHasher,
  caseBundleManifest,
  caseBundleStart,
  createKeyFile,
  fileHasher,
  loadBackend,
  paddedLength,
  type Primitives,
  sealDisclosure,
  StreamEncryptor,
  toBase64Url,
  asDisclosureId,
} from '../../crypto/index.ts';
import { runKeyCeremony } from '../../server/demo/ceremony.ts';
import { uuidToBytes } from '../../server/services/directory-service.ts';
import { ok, scratch } from './cli-harness.ts';

const MiB = 1024 * 1024;
const FILE_BYTES = 192 * MiB;
let p: Primitives;
let s: Awaited<ReturnType<typeof scratch>>;
let root: string;
let expectedHash: Uint8Array;

/** The file's bytes, made a MiB at a time from its index so nothing holds the whole of it. */
function block(index: number): Uint8Array {
  const out = new Uint8Array(MiB);
  for (let i = 0; i < out.length; i += 4) out[i] = (index * 31 + i) & 0xff;
  return out;
}

beforeAll(async () => {
  p = await loadBackend({ prefer: 'libsodium' });
  s = await scratch();
  const keys = runKeyCeremony(p, [{ name: 'Ministry of Examples', kind: 'agency', officers: [{ name: 'Aroha', username: 'aroha', role: 'officer' }] }]);
  const org = keys.organisations[0]!;
  root = toBase64Url(keys.rootPublicKey);
  await writeFile(s.file('aroha.candour-key'), createKeyFile(p, org.officers[0]!.material, 'large file passphrase', ARGON2_INTERACTIVE));

  const caseId = randomUUID();
  const attachmentId = randomUUID();
  const encryptor = new StreamEncryptor(p, { chunkSize: MiB });
  const hash = fileHasher(p);
  const frameCount = Math.ceil(paddedLength(FILE_BYTES) / MiB);
  const out = await open(s.file('large.bundle'), 'w');
  const bundleHash = caseBundleHasher(p);
  const write = async (bytes: Uint8Array) => {
    bundleHash.update(bytes);
    await out.write(bytes);
  };
  // The manifest (inside the encrypted body) carries the file's hash, and comes before the frames:
  // hash the file in a first pass, a block at a time.
  for (let i = 0; i < FILE_BYTES / MiB; i++) hash.update(block(i));
  expectedHash = hash.digest();
  const recipients = [...org.officers.map((o) => o.boxKey), org.recoveryKey];
  const sealed = sealDisclosure(p, {
    disclosureId: asDisclosureId(uuidToBytes(caseId)),
    body: {
      answers: { what: 'a large recording' },
      attachments: [{ id: toBase64Url(uuidToBytes(attachmentId)), name: 'recording.mp4', type: 'video/mp4', size: FILE_BYTES, fileKey: toBase64Url(encryptor.key), plaintextHash: toBase64Url(expectedHash) }],
    },
    recipients,
  });
  const manifest = {
    format: 'candour-case-bundle', version: 1, exportedOn: '2026-01-01', caseId, organisationId: toUuid(org.id),
    case: { status: 'received', receivedOn: '2026-01-01', identityPresent: false }, events: [], sourceTimeline: null,
    directoryEntry: buildDirectoryDocument([{ certificate: org.certificate, roster: org.roster, members: org.members }]).organisations[0],
    mailbox: null,
    content: {
      keyLinked: true,
      disclosure: { id: caseId, body: toBase64Url(sealed.body), identity: null },
      grants: [{ purpose: 'content', threadId: null, seq: null, grant: toBase64Url(sealed.contentGrants[0]!) }],
      attachments: [{ id: attachmentId, chunkSize: MiB, chunkCount: frameCount, threadId: null, seq: null }],
      messages: [], sharedMessages: [], notes: [],
    },
  };
  await write(caseBundleStart());
  await write(caseBundleManifest(new TextEncoder().encode(JSON.stringify(manifest))));
  await write(caseBundleAttachment(uuidToBytes(attachmentId), frameCount, encryptor.header));
  let frames = 0;
  for (let i = 0; i < FILE_BYTES / MiB; i++) {
    for (const frame of encryptor.push(block(i))) {
      await write(caseBundleFrame(frame));
      frames++;
    }
  }
  for (const frame of encryptor.finish()) {
    await write(caseBundleFrame(frame));
    frames++;
  }
  expect(frames).toBe(frameCount);
  await out.write(caseBundleEnd(bundleHash));
  await out.close();
}, 120_000);
afterAll(() => s.remove());

function toUuid(bytes: Uint8Array): string {
  const hex = Buffer.from(bytes).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

describe('a large attachment', () => {
  it('decrypts to the exact bytes without holding the file in memory', async () => {
    global.gc?.();
    const baseline = process.memoryUsage().arrayBuffers;
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().arrayBuffers);
    }, 5);
    try {
      await ok(['decrypt', s.file('large.bundle'), '--key', s.file('aroha.candour-key'), '--out', s.file('plain'), '--root', root],
        { CANDOUR_PASSPHRASE: 'large file passphrase' });
    } finally {
      clearInterval(sampler);
    }
    expect((await stat(s.file('plain/attachments/01-recording.mp4'))).size).toBe(FILE_BYTES);
    // decrypt already checked the plaintext hash; check a block in the middle by hand as well.
    const handle = await open(s.file('plain/attachments/01-recording.mp4'), 'r');
    const middle = new Uint8Array(MiB);
    await handle.read(middle, 0, MiB, 150 * MiB);
    await handle.close();
    expect(middle).toEqual(block(150));
    expect(JSON.parse(await readFile(s.file('plain/attachments.json'), 'utf8'))[0]).toMatchObject({ name: 'recording.mp4', size: FILE_BYTES });
    expect(peak - baseline).toBeLessThan(FILE_BYTES / 2);
  }, 120_000);
});
