/**
 * The two backends must be interchangeable: for random inputs and the same randomness they make
 * the same bytes, and each opens what the other made. Needs WebAssembly (both backends), so it
 * is not part of the jitless run.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  asDisclosureId,
  asEd25519Seed,
  asThreadId,
  asX25519PublicKey,
  asX25519SecretKey,
  createKeyFile,
  decryptBlob,
  deriveMailboxKeys,
  encryptToBlob,
  generateMailboxCode,
  loadBackend,
  openDisclosureBody,
  openKeyFile,
  openKeyGrant,
  openMessage,
  type Primitives,
  sealDisclosure,
  sealMessage,
  threadGenesisHash,
  toHex,
  verifyThread,
} from '../../crypto/index.ts';
import { unsafeSeededRandomForVectors } from '../../crypto/testing.ts';

const libsodium = await loadBackend({ prefer: 'libsodium' });
const noble = await loadBackend({ prefer: 'noble' });
const pairs: [Primitives, Primitives][] = [
  [libsodium, noble],
  [noble, libsodium],
];
const seedArb = fc.uint8Array({ minLength: 32, maxLength: 32 });

function twins(seed: Uint8Array): [Primitives, Primitives] {
  return [unsafeSeededRandomForVectors(libsodium, seed), unsafeSeededRandomForVectors(noble, seed)];
}

describe('cross-backend: same inputs and randomness, same bytes', () => {
  it('primitives agree on random inputs', () => {
    fc.assert(
      fc.property(seedArb, fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ minLength: 24, maxLength: 24 }), (key, message, nonce) => {
        expect(toHex(libsodium.blake2b(32, message, key))).toBe(toHex(noble.blake2b(32, message, key)));
        expect(toHex(libsodium.ed25519Sign(key, message))).toBe(toHex(noble.ed25519Sign(key, message)));
        expect(toHex(libsodium.x25519PublicKey(key))).toBe(toHex(noble.x25519PublicKey(key)));
        const sealed = libsodium.aeadEncrypt(key, nonce, message, nonce);
        expect(toHex(noble.aeadEncrypt(key, nonce, message, nonce))).toBe(toHex(sealed));
        expect(toHex(noble.aeadDecrypt(key, nonce, sealed, nonce)!)).toBe(toHex(message));
        const pk = libsodium.x25519PublicKey(key);
        const signature = noble.ed25519Sign(key, message);
        expect(libsodium.ed25519Verify(libsodium.ed25519PublicKey(key), message, signature)).toBe(true);
        expect(noble.ed25519Verify(noble.ed25519PublicKey(key), message, signature)).toBe(true);
        const box = libsodium.sealBox(message, pk, libsodium.blake2b(32, nonce));
        expect(toHex(noble.openSealedBox(box, pk, key)!)).toBe(toHex(message));
        expect(toHex(libsodium.openSealedBox(noble.sealBox(message, pk, key.slice().reverse()), pk, key)!)).toBe(toHex(message));
      }),
      { numRuns: 100 },
    );
  });

  it('mailbox codes and keys', () => {
    fc.assert(
      fc.property(seedArb, (seed) => {
        const [a, b] = twins(seed);
        const code = generateMailboxCode(a);
        expect(generateMailboxCode(b)).toBe(code);
        expect(toHex(deriveMailboxKeys(a, code).boxPublicKey)).toBe(toHex(deriveMailboxKeys(b, code).boxPublicKey));
      }),
      { numRuns: 50 },
    );
  });

  it('envelopes: identical bytes, and each opens the other’s', () => {
    fc.assert(
      fc.property(seedArb, fc.dictionary(fc.string({ maxLength: 10 }), fc.string({ maxLength: 200 }), { maxKeys: 5 }), (seed, answers) => {
        const [a, b] = twins(seed);
        const secretKey = asX25519SecretKey(libsodium.blake2b(32, seed));
        const publicKey = asX25519PublicKey(libsodium.x25519PublicKey(secretKey));
        const disclosureId = asDisclosureId(seed.subarray(0, 16));
        const input = { disclosureId, body: { answers, attachments: [] }, recipients: [publicKey] };
        const sa = sealDisclosure(a, input);
        const sb = sealDisclosure(b, input);
        expect(toHex(sa.body)).toBe(toHex(sb.body));
        expect(toHex(sa.contentGrants[0]!)).toBe(toHex(sb.contentGrants[0]!));
        for (const [maker, opener] of pairs) {
          const sealed = sealDisclosure(maker, input);
          const key = openKeyGrant(opener, sealed.contentGrants[0]!, 'content', { publicKey, secretKey });
          expect(openDisclosureBody(opener, key, disclosureId, sealed.body).answers).toEqual(answers);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('streams: identical bytes, and each opens the other’s', () => {
    fc.assert(
      fc.property(seedArb, fc.uint8Array({ maxLength: 5000 }), fc.integer({ min: 64, max: 2048 }), (seed, data, chunkSize) => {
        const [a, b] = twins(seed);
        const ea = encryptToBlob(a, data, { chunkSize });
        const eb = encryptToBlob(b, data, { chunkSize });
        expect(toHex(ea.blob)).toBe(toHex(eb.blob));
        expect(toHex(ea.plaintextHash)).toBe(toHex(eb.plaintextHash));
        expect(decryptBlob(noble, ea.key, ea.blob)).toEqual(data);
        expect(decryptBlob(libsodium, eb.key, eb.blob)).toEqual(data);
      }),
      { numRuns: 40 },
    );
  });

  it('thread messages: identical bytes, and each verifies and opens the other’s', () => {
    fc.assert(
      fc.property(seedArb, fc.string({ maxLength: 500 }), (seed, text) => {
        const [a, b] = twins(seed);
        const threadId = asThreadId(seed.subarray(0, 16));
        const input = {
          threadId,
          seq: 0,
          previousHash: threadGenesisHash(a, threadId),
          authorRole: 'officer' as const,
          authorSeed: asEd25519Seed(seed),
          plaintext: new TextEncoder().encode(text),
        };
        const ma = sealMessage(a, input);
        expect(toHex(sealMessage(b, input).message)).toBe(toHex(ma.message));
        for (const [, opener] of pairs) {
          const [parsed] = verifyThread(opener, threadId, [ma.message], () => true);
          expect(new TextDecoder().decode(openMessage(opener, parsed!, ma.messageKey))).toBe(text);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('key files: identical bytes (Argon2id agrees), and each opens the other’s', () => {
    fc.assert(
      fc.property(seedArb, fc.string({ minLength: 1, maxLength: 40 }), (seed, passphrase) => {
        const [a, b] = twins(seed);
        const material = { kind: 'officer' as const, signingSeed: asEd25519Seed(seed), boxSecretKey: asX25519SecretKey(seed.slice().reverse()) };
        const options = { opsLimit: 1, memLimitBytes: 64 * 1024, unsafeAllowWeakParameters: true };
        const fa = createKeyFile(a, material, passphrase, options);
        expect(toHex(createKeyFile(b, material, passphrase, options))).toBe(toHex(fa));
        expect(toHex(openKeyFile(noble, fa, passphrase).boxSecretKey!)).toBe(toHex(material.boxSecretKey));
      }),
      { numRuns: 10 },
    );
  });
});
