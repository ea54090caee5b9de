/**
 * The things being compared, each behind the same two calls: `encrypt(bytes)` and the returned
 * `decrypt()`. Candour is measured as the product does it (a fresh file key, the STREAM format of
 * crypto/stream.ts in its default 1 MiB chunks, the key sealed to one X25519 recipient; decrypting
 * opens the grant and then the stream). OpenPGP.js encrypts the same bytes to an X25519 key.
 */
import * as openpgp from 'openpgp';
import {
  asX25519PublicKey,
  asX25519SecretKey,
  type BackendName,
  KEY_BYTES,
  loadBackend,
  openKeyGrant,
  type Primitives,
  type RecipientKeyPair,
  sealKeyGrant,
  StreamDecryptor,
  StreamEncryptor,
  type StreamFrame,
} from '../../crypto/index.ts';

/** File data reaches the encryptor in pieces of this size, as a file read stream gives it. */
export const PUSH_BYTES = 64 * 1024;

export interface Sealed {
  /** Everything the recipient needs besides their key: header, frames and grant (or the PGP message). */
  readonly ciphertextBytes: number;
  decrypt(): Promise<Uint8Array[]>;
}

export interface Implementation {
  readonly name: string;
  encrypt(data: Uint8Array): Promise<Sealed>;
}

export function newRecipient(p: Primitives): RecipientKeyPair {
  const secretKey = asX25519SecretKey(p.randomBytes(KEY_BYTES));
  return { secretKey, publicKey: asX25519PublicKey(p.x25519PublicKey(secretKey)) };
}

export async function candourImplementation(prefer: BackendName): Promise<Implementation> {
  const p = await loadBackend({ prefer });
  if (p.name !== prefer) throw new Error(`asked for the ${prefer} backend, got ${p.name}`);
  const recipient = newRecipient(p);
  return {
    name: p.name,
    async encrypt(data) {
      const encryptor = new StreamEncryptor(p); // fresh file key, DEFAULT_CHUNK_SIZE (1 MiB)
      const frames: StreamFrame[] = [];
      for (let offset = 0; offset < data.length; offset += PUSH_BYTES) {
        for (const frame of encryptor.push(data.subarray(offset, offset + PUSH_BYTES))) frames.push(frame);
      }
      for (const frame of encryptor.finish()) frames.push(frame);
      const grant = sealKeyGrant(p, encryptor.key, 'content', recipient.publicKey);
      const header = encryptor.header;
      let ciphertextBytes = header.length + grant.length;
      for (const frame of frames) ciphertextBytes += frame.length;
      return {
        ciphertextBytes,
        async decrypt() {
          const key = openKeyGrant(p, grant, 'content', recipient);
          const decryptor = new StreamDecryptor(p, key, header);
          const plaintext: Uint8Array[] = [];
          for (const frame of frames) {
            for (const piece of decryptor.push(frame)) plaintext.push(piece);
          }
          decryptor.finish();
          return plaintext;
        },
      };
    },
  };
}

export interface OpenpgpImplementation extends Implementation {
  /** What the library actually produced: key and packet versions, algorithms. */
  describe(): Promise<string>;
}

/**
 * `type: 'curve25519'` is OpenPGP.js 6's name for the RFC 9580 Ed25519 primary key with an X25519
 * encryption subkey (v4 key packets unless `config.v6Keys`). Binary messages, no armour, no
 * compression (the default), no signature.
 */
export async function openpgpImplementation(name: string, config: openpgp.PartialConfig = {}): Promise<OpenpgpImplementation> {
  const { privateKey, publicKey } = await openpgp.generateKey({
    type: 'curve25519',
    userIDs: [{ name: 'Candour benchmark' }],
    format: 'object',
    config,
  });
  const encryptionKey = await publicKey.getEncryptionKey();
  return {
    name,
    async encrypt(data) {
      const message = await openpgp.createMessage({ binary: data });
      const encrypted: Uint8Array = await openpgp.encrypt({ message, encryptionKeys: publicKey, format: 'binary', config });
      return {
        ciphertextBytes: encrypted.length,
        async decrypt() {
          const read = await openpgp.readMessage({ binaryMessage: encrypted });
          const result = await openpgp.decrypt({ message: read, decryptionKeys: privateKey, format: 'binary', config });
          return [result.data];
        },
      };
    },
    async describe() {
      const message = await openpgp.createMessage({ binary: new Uint8Array(16) });
      const encrypted = await openpgp.encrypt({ message, encryptionKeys: publicKey, format: 'binary', config });
      const read = await openpgp.readMessage({ binaryMessage: encrypted });
      const packets = [...read.packets].map((packet) => {
        const fields = packet as unknown as { version?: number; cipherAlgorithm?: number | null; aeadAlgorithm?: number | null };
        const parts = [`${packet.constructor.name} v${fields.version ?? '?'}`];
        if (fields.cipherAlgorithm) parts.push(enumName(openpgp.enums.symmetric, fields.cipherAlgorithm));
        if (fields.aeadAlgorithm) parts.push(enumName(openpgp.enums.aead, fields.aeadAlgorithm));
        return parts.join(' ');
      });
      const key = `v${publicKey.keyPacket.version} ${publicKey.getAlgorithmInfo().algorithm} key, ${encryptionKey.getAlgorithmInfo().algorithm} subkey`;
      return `${key}; message: ${packets.join(' + ')}`;
    },
  };
}

function enumName(values: object, value: number): string {
  return Object.entries(values).find(([, v]) => v === value)?.[0] ?? String(value);
}
