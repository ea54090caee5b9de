/**
 * The pure-JavaScript backend on the audited @noble packages, for browsers that run JavaScript
 * without WebAssembly or a JIT (Tor Browser at "Safer"). It reproduces libsodium's constructions
 * byte for byte: crypto_box_seal is X25519 → HSalsa20 → XSalsa20-Poly1305 with the nonce
 * BLAKE2b-192(epk || pk), exactly as libsodium builds it.
 */
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { hsalsa, xsalsa20poly1305 } from '@noble/ciphers/salsa.js';
import { ed25519, x25519 } from '@noble/curves/ed25519.js';
import { argon2id } from '@noble/hashes/argon2.js';
import { blake2b } from '@noble/hashes/blake2.js';
import type { IncrementalHash, Primitives } from './primitives.ts';

const SIGMA = Uint32Array.of(0x61707865, 0x3320646e, 0x79622d32, 0x6b206574); // "expand 32-byte k"

function toWordsLE(bytes: Uint8Array): Uint32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Uint32Array(bytes.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getUint32(i * 4, true);
  return out;
}

function fromWordsLE(words: Uint32Array): Uint8Array {
  const out = new Uint8Array(words.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < words.length; i++) view.setUint32(i * 4, words[i]!, true);
  return out;
}

/** crypto_box_beforenm: HSalsa20(X25519(sk, pk), 0^16). Null for a small-order public key. */
function boxSharedKey(publicKey: Uint8Array, secretKey: Uint8Array): Uint8Array | null {
  let shared: Uint8Array;
  try {
    shared = x25519.getSharedSecret(secretKey, publicKey);
  } catch {
    return null;
  }
  if (shared.every((b) => b === 0)) return null;
  const out = new Uint32Array(8);
  hsalsa(SIGMA, toWordsLE(shared), new Uint32Array(4), out);
  shared.fill(0);
  return fromWordsLE(out);
}

function sealNonce(ephemeralPublicKey: Uint8Array, recipientPublicKey: Uint8Array): Uint8Array {
  const input = new Uint8Array(64);
  input.set(ephemeralPublicKey, 0);
  input.set(recipientPublicKey, 32);
  return blake2b(input, { dkLen: 24 });
}

export function loadNoble(): Primitives {
  return {
    name: 'noble',
    randomBytes(length) {
      const out = new Uint8Array(length);
      // getRandomValues fills at most 65,536 bytes per call.
      for (let i = 0; i < length; i += 65536) globalThis.crypto.getRandomValues(out.subarray(i, Math.min(length, i + 65536)));
      return out;
    },
    blake2b: (outputLength, message, key) => blake2b(message, key ? { dkLen: outputLength, key } : { dkLen: outputLength }),
    blake2bIncremental(outputLength, key): IncrementalHash {
      const hash = blake2b.create(key ? { dkLen: outputLength, key } : { dkLen: outputLength });
      return {
        update: (data) => void hash.update(data),
        digest: () => hash.digest(),
      };
    },
    ed25519PublicKey: (seed) => ed25519.getPublicKey(seed),
    ed25519Sign: (seed, message) => ed25519.sign(message, seed),
    ed25519Verify(publicKey, message, signature) {
      try {
        return ed25519.verify(signature, message, publicKey, { zip215: false });
      } catch {
        return false;
      }
    },
    x25519PublicKey: (secretKey) => x25519.getPublicKey(secretKey),
    sealBox(message, recipientPublicKey, ephemeralSecretKey) {
      const ephemeralPublicKey = x25519.getPublicKey(ephemeralSecretKey);
      const key = boxSharedKey(recipientPublicKey, ephemeralSecretKey);
      if (!key) throw new Error('recipient public key is of small order');
      const boxed = xsalsa20poly1305(key, sealNonce(ephemeralPublicKey, recipientPublicKey)).encrypt(message);
      key.fill(0);
      const out = new Uint8Array(32 + boxed.length);
      out.set(ephemeralPublicKey, 0);
      out.set(boxed, 32);
      return out;
    },
    openSealedBox(sealed, recipientPublicKey, recipientSecretKey) {
      if (sealed.length < 48) return null;
      const ephemeralPublicKey = sealed.subarray(0, 32);
      const key = boxSharedKey(ephemeralPublicKey, recipientSecretKey);
      if (!key) return null;
      try {
        return xsalsa20poly1305(key, sealNonce(ephemeralPublicKey, recipientPublicKey)).decrypt(sealed.subarray(32));
      } catch {
        return null;
      } finally {
        key.fill(0);
      }
    },
    aeadEncrypt: (key, nonce, plaintext, associatedData) => xchacha20poly1305(key, nonce, associatedData).encrypt(plaintext),
    aeadDecrypt(key, nonce, ciphertext, associatedData) {
      try {
        return xchacha20poly1305(key, nonce, associatedData).decrypt(ciphertext);
      } catch {
        return null;
      }
    },
    argon2id: (password, salt, opsLimit, memLimitBytes, outputLength) =>
      argon2id(password, salt, { t: opsLimit, m: memLimitBytes / 1024, p: 1, dkLen: outputLength, maxmem: memLimitBytes * 2 }),
    memzero: (bytes) => bytes.fill(0),
  };
}
