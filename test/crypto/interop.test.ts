/**
 * Interoperability with plain libsodium, used directly rather than through crypto/: a grant made
 * by Candour (either backend) opens with crypto_box_seal_open, and an envelope part opens with
 * crypto_aead_xchacha20poly1305_ietf_decrypt given the framing alone.
 */
import sodium from 'libsodium-wrappers-sumo';
import { describe, expect, it } from 'vitest';
import {
  asX25519PublicKey,
  generateDisclosureId,
  generateSymmetricKey,
  loadBackend,
  sealDisclosure,
  sealKeyGrant,
} from '../../crypto/index.ts';

await sodium.ready;
const backends = [await loadBackend({ prefer: 'libsodium' }), await loadBackend({ prefer: 'noble' })];

describe.each(backends)('plain libsodium opens what the $name backend makes', (p) => {
  it('crypto_box_seal_open opens a content-key grant', () => {
    const recipient = sodium.crypto_box_keypair();
    const key = generateSymmetricKey(p);
    const grant = sealKeyGrant(p, key, 'content', asX25519PublicKey(recipient.publicKey));
    const inner = sodium.crypto_box_seal_open(grant.subarray(3), recipient.publicKey, recipient.privateKey);
    expect(Array.from(inner.subarray(0, 4))).toEqual([1, 1, 2, 1]); // version, suite, kind, purpose
    expect(inner.subarray(4)).toEqual(key);
  });

  it('crypto_aead_xchacha20poly1305_ietf_decrypt opens a body from its framing', () => {
    const recipient = sodium.crypto_box_keypair();
    const disclosureId = generateDisclosureId(p);
    const sealed = sealDisclosure(p, {
      disclosureId,
      body: { answers: { what: 'interop' }, attachments: [] },
      recipients: [asX25519PublicKey(recipient.publicKey)],
    });
    const header = sealed.body.subarray(0, 20);
    const nonce = sealed.body.subarray(20, 44);
    const padded = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, sealed.body.subarray(44), header, nonce, sealed.contentKey);
    const text = new TextDecoder().decode(padded.subarray(0, padded.lastIndexOf(0x80)));
    expect(JSON.parse(text).answers.what).toBe('interop');
  });
});

describe('passwords interoperate with libsodium crypto_pwhash_str', () => {
  it.each(backends)('crypto_pwhash_str_verify accepts a $name hash, and we accept libsodium’s', async (p) => {
    const { hashPassword, verifyPassword } = await import('../../crypto/index.ts');
    const ours = hashPassword(p, 'kia ora', { opsLimit: 1, memLimitBytes: 64 * 1024 });
    expect(sodium.crypto_pwhash_str_verify(ours, 'kia ora')).toBe(true);
    expect(sodium.crypto_pwhash_str_verify(ours, 'kia ora!')).toBe(false);
    const theirs = sodium.crypto_pwhash_str('kia ora', 2, 64 * 1024 * 1024);
    expect(verifyPassword(p, 'kia ora', theirs)).toBe(true);
  });
});
