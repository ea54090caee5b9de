/**
 * The known-answer cases. `buildVectors(backend)` makes every vector from fixed seeds; the
 * generator writes its result to *.json once, and the vector test rebuilds it on each backend and
 * requires the same bytes, then opens the stored ciphertexts independently. A change to any
 * format therefore fails the suite until the vectors are deliberately regenerated (and the
 * format version reconsidered).
 */
import {
  answerLoginChallenge,
  asDisclosureId,
  AUDIT_GENESIS,
  auditEntryHash,
  canonicalJson,
  generateLoginChallenge,
  hashPassword,
  solveProofOfWork,
  asEd25519Seed,
  asOrganisationId,
  asSymmetricKey,
  asThreadId,
  asX25519PublicKey,
  asX25519SecretKey,
  buildDirectoryDocument,
  createKeyFile,
  deriveMailboxKeys,
  encodeJson,
  encryptToBlob,
  fromHex,
  generateMailboxCode,
  issueCertificate,
  issueRoster,
  type MessageHash,
  type Primitives,
  sealDisclosure,
  sealKeyGrant,
  sealMessage,
  threadGenesisHash,
  toBase64Url,
  toHex,
  utf8,
  type X25519PublicKey,
} from '../../crypto/index.ts';
import {
  caseBundleAttachment,
  caseBundleEnd,
  caseBundleFrame,
  caseBundleHasher,
  caseBundleManifest,
  caseBundleStart,
} from '../../crypto/case-bundle.ts';
import { splitKeyMaterial } from '../../crypto/recovery-share.ts';
import { issueRootRotation } from '../../crypto/root-rotation.ts';
import { StreamEncryptor } from '../../crypto/stream.ts';
import { unsafeSeededRandomForVectors } from '../../crypto/testing.ts';

function seeded(p: Primitives, seed: string): Primitives {
  return unsafeSeededRandomForVectors(p, p.blake2b(32, utf8(seed)));
}

function keyPair(p: Primitives, label: string) {
  const secretKey = asX25519SecretKey(p.blake2b(32, utf8(`vector x25519 ${label}`)));
  return { secretKey, publicKey: asX25519PublicKey(p.x25519PublicKey(secretKey)) };
}

function signingSeed(p: Primitives, label: string) {
  return asEd25519Seed(p.blake2b(32, utf8(`vector ed25519 ${label}`)));
}

function mailboxVectors(base: Primitives) {
  return ['mailbox-1', 'mailbox-2', 'mailbox-3'].map((seed) => {
    const p = seeded(base, seed);
    const code = generateMailboxCode(p);
    const keys = deriveMailboxKeys(p, code);
    return {
      seed,
      code,
      authSeed: toHex(keys.authSeed),
      authPublicKey: toHex(keys.authPublicKey),
      boxSecretKey: toHex(keys.boxSecretKey),
      boxPublicKey: toHex(keys.boxPublicKey),
    };
  });
}

function keyGrantVectors(base: Primitives) {
  return (['content', 'identity', 'message'] as const).map((purpose) => {
    const seed = `grant-${purpose}`;
    const p = seeded(base, seed);
    const recipient = keyPair(base, seed);
    const key = asSymmetricKey(p.blake2b(32, utf8(`${seed} key`)));
    return {
      seed,
      purpose,
      recipientSecretKey: toHex(recipient.secretKey),
      recipientPublicKey: toHex(recipient.publicKey),
      key: toHex(key),
      grant: toHex(sealKeyGrant(p, key, purpose, recipient.publicKey)),
    };
  });
}

function envelopeVectors(base: Primitives) {
  // 'envelope-plain' and 'envelope-identity' are bodies as sealed before the mailbox keys were
  // bound (they must keep opening); 'envelope-mailbox' carries them, as every body sealed since.
  return (['envelope-plain', 'envelope-identity', 'envelope-mailbox'] as const).map((seed) => {
    const withIdentity = seed === 'envelope-identity';
    const p = seeded(base, seed);
    const recipients = ['officer-a', 'officer-b', 'recovery'].map((label) => keyPair(base, `${seed} ${label}`));
    const disclosureId = asDisclosureId(p.blake2b(16, utf8(`${seed} id`)));
    const mailbox = seed === 'envelope-mailbox' ? deriveMailboxKeys(base, generateMailboxCode(seeded(base, `${seed} code`))) : null;
    const body = {
      answers: { what: 'Invoices for work never done, canary-7f3a', when: 'March 2026', how: 'I processed them' },
      attachments: [],
      ...(mailbox ? { mailbox: { authKey: toBase64Url(mailbox.authPublicKey), boxKey: toBase64Url(mailbox.boxPublicKey) } } : {}),
    };
    const identity = withIdentity ? { name: 'A. Person', contact: 'Signal +64 21 000 0000' } : undefined;
    const sealed = sealDisclosure(p, { disclosureId, body, identity, recipients: [...recipients.map((r) => r.publicKey), ...(mailbox ? [mailbox.boxPublicKey] : [])] });
    return {
      seed,
      disclosureId: toHex(disclosureId),
      ...(mailbox ? { mailboxAuthPublicKey: toHex(mailbox.authPublicKey), mailboxBoxPublicKey: toHex(mailbox.boxPublicKey) } : {}),
      recipients: recipients.map((r) => ({ secretKey: toHex(r.secretKey), publicKey: toHex(r.publicKey) })),
      bodyPlaintext: toHex(encodeJson(body)),
      identityPlaintext: identity ? toHex(encodeJson(identity)) : null,
      contentKey: toHex(sealed.contentKey),
      identityKey: sealed.identityKey ? toHex(sealed.identityKey) : null,
      body: toHex(sealed.body),
      identity: sealed.identity ? toHex(sealed.identity) : null,
      contentGrants: sealed.contentGrants.map(toHex),
      identityGrants: sealed.identityGrants.map(toHex),
    };
  });
}

/** Deterministic "file" bytes with structure (zeros, runs, 0x80) that padding must not confuse. */
export function vectorFile(length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = i % 97 < 40 ? 0 : (i * 31 + 7) & 0xff;
  if (length > 0) out[length - 1] = 0x80;
  return out;
}

function streamVectors(base: Primitives) {
  return [
    { length: 0, chunkSize: 64 },
    { length: 1, chunkSize: 64 },
    { length: 64, chunkSize: 64 },
    { length: 1000, chunkSize: 256 },
    { length: 5000, chunkSize: 1024 },
  ].map(({ length, chunkSize }) => {
    const seed = `stream-${length}-${chunkSize}`;
    const p = seeded(base, seed);
    const { key, blob, plaintextHash } = encryptToBlob(p, vectorFile(length), { chunkSize });
    return { seed, length, chunkSize, key: toHex(key), plaintextHash: toHex(plaintextHash), blob: toHex(blob) };
  });
}

function messageVectors(base: Primitives) {
  const threadId = asThreadId(base.blake2b(16, utf8('vector thread')));
  const discloser = signingSeed(base, 'discloser');
  const officer = signingSeed(base, 'officer');
  let previousHash: MessageHash = threadGenesisHash(base, threadId);
  const texts = [
    ['officer', 'We acknowledge your disclosure, received 3 November 2026.'],
    ['discloser', 'Thank you. I have not raised it anywhere else.'],
    ['officer', 'We are investigating.'],
  ] as const;
  return texts.map(([role, text], seq) => {
    const seed = `message-${seq}`;
    const p = seeded(base, seed);
    const sealed = sealMessage(p, {
      threadId,
      seq,
      previousHash,
      authorRole: role,
      authorSeed: role === 'officer' ? officer : discloser,
      plaintext: utf8(text),
    });
    const vector = {
      seed,
      threadId: toHex(threadId),
      seq,
      previousHash: toHex(previousHash),
      authorRole: role,
      authorSeed: toHex(role === 'officer' ? officer : discloser),
      plaintext: text,
      messageKey: toHex(sealed.messageKey),
      message: toHex(sealed.message),
      hash: toHex(sealed.hash),
    };
    previousHash = sealed.hash;
    return vector;
  });
}

export const VECTOR_TODAY = 20_775; // 2026-11-18
function certificateVectors(base: Primitives) {
  const p = seeded(base, 'certificates');
  const root = signingSeed(base, 'root');
  const organisationSeed = signingSeed(base, 'organisation');
  const organisationId = asOrganisationId(fromHex('00112233445566778899aabbccddeeff'));
  const officer = keyPair(base, 'officer box');
  const officerSigning = signingSeed(base, 'officer signing');
  const recovery = keyPair(base, 'recovery');
  const organisation = issueCertificate(p, root, {
    type: 'organisation',
    issuedDay: VECTOR_TODAY - 10,
    expiresDay: VECTOR_TODAY + 365,
    organisationId,
    organisationKind: 'agency',
    signingKey: p.ed25519PublicKey(organisationSeed) as never,
    boxKey: null,
    name: 'Ministry of Examples',
  });
  const officerCertificate = issueCertificate(p, organisationSeed, {
    type: 'officer',
    issuedDay: VECTOR_TODAY - 5,
    expiresDay: VECTOR_TODAY + 180,
    organisationId,
    organisationKind: 'none',
    signingKey: p.ed25519PublicKey(officerSigning) as never,
    boxKey: officer.publicKey,
    name: 'Aroha Officer',
  });
  const recoveryCertificate = issueCertificate(p, organisationSeed, {
    type: 'recovery',
    issuedDay: VECTOR_TODAY - 5,
    expiresDay: VECTOR_TODAY + 3650,
    organisationId,
    organisationKind: 'none',
    signingKey: null,
    boxKey: recovery.publicKey as X25519PublicKey,
    name: 'Recovery key',
  });
  const members = [officerCertificate, recoveryCertificate];
  const roster = issueRoster(p, organisationSeed, { organisationId, issuedDay: VECTOR_TODAY - 5, serial: 7, members });
  return {
    today: VECTOR_TODAY,
    rootSeed: toHex(root),
    rootPublicKey: toHex(p.ed25519PublicKey(root)),
    organisationSeed: toHex(organisationSeed),
    organisation: toHex(organisation),
    officer: toHex(officerCertificate),
    recovery: toHex(recoveryCertificate),
    roster: toHex(roster),
    directory: buildDirectoryDocument([{ certificate: organisation, roster, members }]),
  };
}

export const VECTOR_PASSPHRASE = 'correct horse battery staple — tēnā koe';
function keyFileVectors(base: Primitives) {
  return (['officer', 'recovery', 'root'] as const).map((kind) => {
    const seed = `key-file-${kind}`;
    const p = seeded(base, seed);
    const material = {
      kind,
      signingSeed: kind === 'recovery' ? null : signingSeed(base, seed),
      boxSecretKey: kind === 'root' ? null : keyPair(base, seed).secretKey,
    };
    // Small Argon2id limits keep the suite fast (and feasible without a JIT); the format is the same.
    const options = { opsLimit: 1, memLimitBytes: 64 * 1024, unsafeAllowWeakParameters: true };
    return {
      seed,
      kind,
      passphrase: VECTOR_PASSPHRASE,
      opsLimit: options.opsLimit,
      memLimitBytes: options.memLimitBytes,
      signingSeed: material.signingSeed ? toHex(material.signingSeed) : null,
      boxSecretKey: material.boxSecretKey ? toHex(material.boxSecretKey) : null,
      file: toHex(createKeyFile(p, material, VECTOR_PASSPHRASE, options)),
    };
  });
}

function mailboxLoginVectors(base: Primitives) {
  const p = seeded(base, 'mailbox-login');
  const code = generateMailboxCode(p);
  const keys = deriveMailboxKeys(p, code);
  const challenge = generateLoginChallenge(p);
  return { code, authPublicKey: toHex(keys.authPublicKey), challenge: toHex(challenge), answer: toHex(answerLoginChallenge(p, keys.authSeed, challenge)) };
}

function proofOfWorkVectors(base: Primitives) {
  return [0, 4, 10].map((difficulty) => {
    const challenge = base.blake2b(32, utf8(`pow ${difficulty}`));
    return { difficulty, challenge: toHex(challenge), nonce: toHex(solveProofOfWork(base, challenge, difficulty)!) };
  });
}

function auditChainVectors(base: Primitives) {
  let previous: Uint8Array = AUDIT_GENESIS;
  return [
    { action: 'officer.login', actor: 'officer:1', on: '2026-11-18' },
    { action: 'case.acknowledge', actor: 'officer:1', subject: 'case:7', on: '2026-11-18', details: { z: 1, a: [2, { y: 3, b: 4 }] } },
  ].map((value, seq) => {
    const entry = canonicalJson(value);
    const entryHash = auditEntryHash(base, previous, entry);
    const vector = { seq, entry: new TextDecoder().decode(entry), previousHash: toHex(previous), entryHash: toHex(entryHash) };
    previous = entryHash;
    return vector;
  });
}

function passwordVectors(base: Primitives) {
  const p = seeded(base, 'password');
  const password = 'hunter2 — kia kaha';
  return { password, hash: hashPassword(p, password, { opsLimit: 1, memLimitBytes: 64 * 1024 }) };
}

function rootRotationVectors(base: Primitives) {
  const oldSeed = signingSeed(base, 'root-old');
  const newSeed = signingSeed(base, 'root-new');
  return {
    oldRootKey: toHex(base.ed25519PublicKey(oldSeed)),
    newRootKey: toHex(base.ed25519PublicKey(newSeed)),
    issuedDay: 20_000,
    record: toHex(issueRootRotation(base, oldSeed, newSeed, 20_000)),
  };
}

function recoveryShareVectors(base: Primitives) {
  const p = seeded(base, 'recovery-share');
  const material = { kind: 'recovery' as const, signingSeed: null, boxSecretKey: keyPair(base, 'recovery').secretKey };
  return {
    boxSecretKey: toHex(material.boxSecretKey),
    threshold: 2,
    shares: splitKeyMaterial(p, material, 2, 3).map(toHex),
  };
}

/** A bundle with a small manifest and one attachment of one frame: the framing and closing hash. */
function caseBundleVectors(base: Primitives) {
  const p = seeded(base, 'case-bundle');
  const manifest = utf8(JSON.stringify({ format: 'candour-case-bundle', version: 1, caseId: '00000000-0000-4000-8000-000000000001' }));
  const encryptor = new StreamEncryptor(p, { chunkSize: 64 });
  const frames = [...encryptor.push(utf8('attachment bytes')), ...encryptor.finish()];
  const hasher = caseBundleHasher(p);
  const parts: Uint8Array[] = [];
  const add = (bytes: Uint8Array) => {
    hasher.update(bytes);
    parts.push(bytes);
  };
  add(caseBundleStart());
  add(caseBundleManifest(manifest));
  add(caseBundleAttachment(p.blake2b(16, utf8('attachment id')), frames.length, encryptor.header));
  for (const frame of frames) add(caseBundleFrame(frame));
  parts.push(caseBundleEnd(hasher));
  return { fileKey: toHex(encryptor.key), bundle: toHex(Uint8Array.from(parts.flatMap((part) => [...part]))) };
}

export function buildVectors(p: Primitives) {
  return {
    'mailbox-code': mailboxVectors(p),
    'key-grant': keyGrantVectors(p),
    envelope: envelopeVectors(p),
    stream: streamVectors(p),
    message: messageVectors(p),
    certificate: certificateVectors(p),
    'key-file': keyFileVectors(p),
    'mailbox-login': mailboxLoginVectors(p),
    'proof-of-work': proofOfWorkVectors(p),
    'audit-chain': auditChainVectors(p),
    password: passwordVectors(p),
    'root-rotation': rootRotationVectors(p),
    'recovery-share': recoveryShareVectors(p),
    'case-bundle': caseBundleVectors(p),
  };
}
export type Vectors = ReturnType<typeof buildVectors>;
