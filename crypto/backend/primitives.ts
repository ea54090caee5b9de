/**
 * The narrow interface between Candour's protocol and a cryptographic library. Two
 * implementations exist, libsodium (WebAssembly) and noble (pure JavaScript); they must give
 * byte-identical results for the same inputs and randomness. The protocol draws ALL randomness
 * through `randomBytes`, so a seeded source makes every format reproducible for test vectors.
 *
 * Inputs are assumed length-checked by the caller (the protocol layer checks every length with
 * the `as*` helpers in ../bytes.ts before calling in). Failures to authenticate return `null`;
 * nothing here throws on bad ciphertext.
 */
export type BackendName = 'libsodium' | 'noble';

export interface IncrementalHash {
  update(data: Uint8Array): void;
  /** Finishes the hash; the object must not be used again. */
  digest(): Uint8Array;
}

export interface Primitives {
  readonly name: BackendName;
  /** Platform CSPRNG (crypto.getRandomValues or libsodium's randombytes). */
  randomBytes(length: number): Uint8Array;
  /** BLAKE2b with `outputLength` 16..64 bytes and an optional key of up to 64 bytes. */
  blake2b(outputLength: number, message: Uint8Array, key?: Uint8Array): Uint8Array;
  blake2bIncremental(outputLength: number, key?: Uint8Array): IncrementalHash;
  /** RFC 8032 Ed25519 public key from its 32-byte seed. */
  ed25519PublicKey(seed: Uint8Array): Uint8Array;
  /** Deterministic RFC 8032 Ed25519 signature (64 bytes). */
  ed25519Sign(seed: Uint8Array, message: Uint8Array): Uint8Array;
  /** Strict RFC 8032 verification (canonical encodings, no small-order keys). */
  ed25519Verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
  /** X25519 public key (the scalar is clamped as RFC 7748 says). */
  x25519PublicKey(secretKey: Uint8Array): Uint8Array;
  /**
   * libsodium `crypto_box_seal` with the ephemeral secret supplied by the caller:
   * epk || crypto_box(message, nonce = BLAKE2b-192(epk || recipientPk), recipientPk, ephemeralSecret).
   */
  sealBox(message: Uint8Array, recipientPublicKey: Uint8Array, ephemeralSecretKey: Uint8Array): Uint8Array;
  /** libsodium `crypto_box_seal_open`; null when it does not open. */
  openSealedBox(sealed: Uint8Array, recipientPublicKey: Uint8Array, recipientSecretKey: Uint8Array): Uint8Array | null;
  /** XChaCha20-Poly1305 (IETF construction): ciphertext || 16-byte tag. */
  aeadEncrypt(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, associatedData: Uint8Array): Uint8Array;
  aeadDecrypt(key: Uint8Array, nonce: Uint8Array, ciphertext: Uint8Array, associatedData: Uint8Array): Uint8Array | null;
  /** Argon2id v1.3, parallelism 1 (libsodium `crypto_pwhash` with ALG_ARGON2ID13). */
  argon2id(password: Uint8Array, salt: Uint8Array, opsLimit: number, memLimitBytes: number, outputLength: number): Uint8Array;
  /** Overwrites secret bytes; best effort (JavaScript may have copied them elsewhere). */
  memzero(bytes: Uint8Array): void;
}
