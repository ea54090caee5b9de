/**
 * The primary backend: libsodium compiled to WebAssembly (the sumo build, because the standard
 * build lacks crypto_pwhash). Sealed boxes are composed from crypto_box_easy so that the
 * ephemeral key comes from `randomBytes` (and so from a seeded source in test vectors); the
 * bytes are exactly crypto_box_seal's, and opening uses crypto_box_seal_open itself.
 */
import sodiumModule from 'libsodium-wrappers-sumo';
import type { IncrementalHash, Primitives } from './primitives.ts';

type Sodium = typeof sodiumModule;

export async function loadLibsodium(): Promise<Primitives> {
  await sodiumModule.ready;
  return libsodiumPrimitives(sodiumModule);
}

function libsodiumPrimitives(sodium: Sodium): Primitives {
  return {
    name: 'libsodium',
    randomBytes: (length) => sodium.randombytes_buf(length),
    blake2b: (outputLength, message, key) => sodium.crypto_generichash(outputLength, message, key ?? null),
    blake2bIncremental(outputLength, key): IncrementalHash {
      const state = sodium.crypto_generichash_init(key ?? null, outputLength);
      return {
        update: (data) => sodium.crypto_generichash_update(state, data),
        digest: () => sodium.crypto_generichash_final(state, outputLength),
      };
    },
    ed25519PublicKey: (seed) => sodium.crypto_sign_seed_keypair(seed).publicKey,
    ed25519Sign(seed, message) {
      const { privateKey } = sodium.crypto_sign_seed_keypair(seed);
      try {
        return sodium.crypto_sign_detached(message, privateKey);
      } finally {
        privateKey.fill(0);
      }
    },
    ed25519Verify(publicKey, message, signature) {
      try {
        return sodium.crypto_sign_verify_detached(signature, message, publicKey);
      } catch {
        return false;
      }
    },
    x25519PublicKey: (secretKey) => sodium.crypto_scalarmult_base(secretKey),
    sealBox(message, recipientPublicKey, ephemeralSecretKey) {
      const ephemeralPublicKey = sodium.crypto_scalarmult_base(ephemeralSecretKey);
      const nonce = sodium.crypto_generichash(
        sodium.crypto_box_NONCEBYTES,
        concat(ephemeralPublicKey, recipientPublicKey),
        null,
      );
      const boxed = sodium.crypto_box_easy(message, nonce, recipientPublicKey, ephemeralSecretKey);
      return concat(ephemeralPublicKey, boxed);
    },
    openSealedBox(sealed, recipientPublicKey, recipientSecretKey) {
      try {
        return sodium.crypto_box_seal_open(sealed, recipientPublicKey, recipientSecretKey);
      } catch {
        return null;
      }
    },
    aeadEncrypt: (key, nonce, plaintext, associatedData) =>
      sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, associatedData, null, nonce, key),
    aeadDecrypt(key, nonce, ciphertext, associatedData) {
      try {
        return sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, ciphertext, associatedData, nonce, key);
      } catch {
        return null;
      }
    },
    argon2id: (password, salt, opsLimit, memLimitBytes, outputLength) =>
      sodium.crypto_pwhash(outputLength, password, salt, opsLimit, memLimitBytes, sodium.crypto_pwhash_ALG_ARGON2ID13),
    // sodium.memzero on a JavaScript array is fill(0) after costly checks (about 1 ms per MiB);
    // for memory outside the WebAssembly heap, fill(0) is the same guarantee.
    memzero: (bytes) => void bytes.fill(0),
  };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
