/**
 * Written from docs/protocol.md alone, with plain libsodium and no import from crypto/: if the
 * document is enough to decrypt and verify the checked-in vectors by hand, it is a usable
 * specification. Section numbers refer to the document.
 */
import sodium from 'libsodium-wrappers-sumo';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { describe, expect, it } from 'vitest';
import certificate from '../vectors/certificate.json' with { type: 'json' };
import envelope from '../vectors/envelope.json' with { type: 'json' };
import keyFile from '../vectors/key-file.json' with { type: 'json' };
import mailbox from '../vectors/mailbox-code.json' with { type: 'json' };
import message from '../vectors/message.json' with { type: 'json' };
import stream from '../vectors/stream.json' with { type: 'json' };

await sodium.ready;
const hex = (h: string) => sodium.from_hex(h);
const ascii = (s: string) => new TextEncoder().encode(s);
const H32 = (label: string, m: Uint8Array) => sodium.crypto_generichash(32, m, ascii(label));
const u32 = (b: Uint8Array, at: number) => new DataView(b.buffer, b.byteOffset + at, 4).getUint32(0, false);
const cat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};
/** §2: strip zeros, then the 0x80 marker. */
const unpad = (padded: Uint8Array) => {
  let end = padded.length - 1;
  while (padded[end] === 0) end--;
  expect(padded[end]).toBe(0x80);
  return padded.subarray(0, end);
};
/** §1: Sign(label, m) = Ed25519 over label || 0x00 || m. */
const verify = (label: string, m: Uint8Array, sig: Uint8Array, pk: Uint8Array) =>
  sodium.crypto_sign_verify_detached(sig, cat(ascii(label), Uint8Array.of(0), m), pk);

describe('docs/protocol.md is enough to read the vectors by hand', () => {
  it('§3 mailbox code: words → entropy → checksum and keys', () => {
    for (const v of mailbox) {
      let bits = 0n;
      for (const word of v.code.split(' ')) bits = (bits << 11n) | BigInt(wordlist.indexOf(word));
      const checksum = Number(bits & 0x7fffn);
      const entropy = new Uint8Array(16);
      let e = bits >> 15n;
      for (let i = 15; i >= 0; i--, e >>= 8n) entropy[i] = Number(e & 0xffn);
      const digest = H32('candour/v1/mailbox-code/checksum', entropy);
      expect(((digest[0]! << 16) | (digest[1]! << 8) | digest[2]!) >>> 9).toBe(checksum);
      const authSeed = H32('candour/v1/mailbox-code/auth-ed25519', entropy);
      expect(sodium.to_hex(sodium.crypto_sign_seed_keypair(authSeed).publicKey)).toBe(v.authPublicKey);
      const boxSecret = H32('candour/v1/mailbox-code/box-x25519', entropy);
      expect(sodium.to_hex(sodium.crypto_scalarmult_base(boxSecret))).toBe(v.boxPublicKey);
    }
  });

  it('§4–5 envelope: open a grant with crypto_box_seal_open, then the body and identity', () => {
    for (const v of envelope) {
      const r = v.recipients[1]!;
      const grant = hex(v.contentGrants[1]!);
      expect(grant.length).toBe(87);
      const inner = sodium.crypto_box_seal_open(grant.subarray(3), hex(r.publicKey), hex(r.secretKey));
      expect(Array.from(inner.subarray(0, 4))).toEqual([1, 1, 2, 1]);
      const K = inner.subarray(4);
      const part = hex(v.body);
      const header = part.subarray(0, 20);
      expect(Array.from(header.subarray(0, 4))).toEqual([1, 1, 1, 1]);
      expect(sodium.to_hex(header.subarray(4, 20))).toBe(v.disclosureId);
      const padded = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, part.subarray(44), header, part.subarray(20, 44), K);
      expect(padded.length).toBe(1024);
      expect(sodium.to_hex(unpad(padded))).toBe(v.bodyPlaintext);
      if (v.identity) {
        const idInner = sodium.crypto_box_seal_open(hex(v.identityGrants[1]!).subarray(3), hex(r.publicKey), hex(r.secretKey));
        expect(idInner[3]).toBe(2);
        const idPart = hex(v.identity);
        const idPadded = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, idPart.subarray(44), idPart.subarray(0, 20), idPart.subarray(20, 44), idInner.subarray(4));
        expect(sodium.to_hex(unpad(idPadded))).toBe(v.identityPlaintext);
      }
    }
  });

  it('§6 streams: header, frames, nonces, final flag', () => {
    for (const v of stream) {
      const blob = hex(v.blob);
      const header = blob.subarray(0, 26);
      expect(Array.from(header.subarray(0, 3))).toEqual([1, 1, 3]);
      const chunkSize = u32(header, 3);
      expect(chunkSize).toBe(v.chunkSize);
      const noncePrefix = header.subarray(7, 26);
      const plain: Uint8Array[] = [];
      let offset = 26;
      for (let index = 0; ; index++) {
        expect(u32(blob, offset)).toBe(index);
        const flags = blob[offset + 4]!;
        const end = flags === 1 ? blob.length : offset + chunkSize + 21;
        const nonce = cat(noncePrefix, blob.subarray(offset, offset + 4), Uint8Array.of(flags));
        plain.push(sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, blob.subarray(offset + 5, end), header, nonce, hex(v.key)));
        offset = end;
        if (flags === 1) break;
      }
      const data = unpad(cat(...plain));
      expect(data.length).toBe(v.length);
      expect(sodium.to_hex(H32('candour/v1/file/plaintext-hash', data))).toBe(v.plaintextHash);
    }
  });

  it('§7 messages: signature, hash chain from genesis, decryption', () => {
    let previous = H32('candour/v1/thread/genesis', hex(message[0]!.threadId));
    for (const v of message) {
      const m = hex(v.message);
      const adLength = 3 + 16 + 4 + 32 + 1 + 32 + 24;
      const ad = m.subarray(0, adLength);
      expect(sodium.to_hex(ad.subarray(23, 55))).toBe(sodium.to_hex(previous));
      const ctLength = u32(m, adLength);
      const signed = m.subarray(0, adLength + 4 + ctLength);
      const authorKey = ad.subarray(56, 88);
      expect(verify('candour/v1/message/signature', signed, m.subarray(signed.length), authorKey)).toBe(true);
      expect(m.length).toBe(signed.length + 64);
      const padded = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, m.subarray(adLength + 4, signed.length), ad, ad.subarray(88, 112), hex(v.messageKey));
      expect(new TextDecoder().decode(unpad(padded))).toBe(v.plaintext);
      previous = H32('candour/v1/message/hash', m);
      expect(sodium.to_hex(previous)).toBe(v.hash);
    }
  });

  it('§8 certificates and roster: signatures and member hashes', () => {
    const org = hex(certificate.organisation);
    const orgSigned = org.subarray(0, org.length - 64);
    expect(verify('candour/v1/certificate/signature', orgSigned, org.subarray(orgSigned.length), hex(certificate.rootPublicKey))).toBe(true);
    const orgKey = org.subarray(3 + 1 + 8 + 32 + 16 + 1, 3 + 1 + 8 + 32 + 16 + 1 + 32);
    const nameAt = 3 + 1 + 8 + 32 + 16 + 1 + 32 + 32;
    const nameLength = (org[nameAt]! << 8) | org[nameAt + 1]!;
    expect(new TextDecoder().decode(org.subarray(nameAt + 2, nameAt + 2 + nameLength))).toBe('Ministry of Examples');
    const roster = hex(certificate.roster);
    const rosterSigned = roster.subarray(0, roster.length - 64);
    expect(verify('candour/v1/roster/signature', rosterSigned, roster.subarray(rosterSigned.length), orgKey)).toBe(true);
    const count = (roster[27]! << 8) | roster[28]!;
    expect(count).toBe(2);
    const officerHash = H32('candour/v1/certificate/hash', hex(certificate.officer));
    expect(sodium.to_hex(roster.subarray(29, 61))).toBe(sodium.to_hex(officerHash));
  });

  it('§9 key files: checksum, Argon2id, decryption', () => {
    for (const v of keyFile) {
      const file = hex(v.file);
      const body = file.subarray(0, file.length - 32);
      expect(sodium.to_hex(file.subarray(body.length))).toBe(sodium.to_hex(H32('candour/v1/key-file/checksum', body)));
      const ops = u32(body, 4);
      const memKiB = u32(body, 8);
      const salt = body.subarray(12, 28);
      const nonce = body.subarray(28, 52);
      const publicLength = (body[52]! << 8) | body[53]!;
      const ad = body.subarray(0, 54 + publicLength);
      const ctLength = u32(body, ad.length);
      const key = sodium.crypto_pwhash(32, ascii(v.passphrase.normalize('NFC')), salt, ops, memKiB * 1024, sodium.crypto_pwhash_ALG_ARGON2ID13);
      const secret = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, body.subarray(ad.length + 4, ad.length + 4 + ctLength), ad, nonce, key);
      expect(sodium.to_hex(secret)).toBe((v.signingSeed ?? '') + (v.boxSecretKey ?? ''));
    }
  });
});
