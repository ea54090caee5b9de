import { describe, expect, it } from 'vitest';
import {
  asX25519PublicKey,
  asX25519SecretKey,
  CandourCryptoError,
  DecryptionFailedError,
  deriveMailboxKeys,
  disclosureMailboxKeys,
  generateMailboxCode,
  generateDisclosureId,
  GRANT_BYTES,
  InvalidLengthError,
  MalformedEncodingError,
  MIN_PADDED_LENGTH,
  NotARecipientError,
  openAnyKeyGrant,
  openDisclosureBody,
  openIdentitySection,
  openKeyGrant,
  type Primitives,
  rewrapKey,
  sealDisclosure,
  sealKeyGrant,
  toBase64Url,
  generateSymmetricKey,
  UnsupportedVersionError,
  WrongKeyPurposeError,
  WrongKindError,
} from '../../crypto/index.ts';
import { openEnvelopePart, sealEnvelopePart } from '../../crypto/envelope.ts';
import { backends } from './backends.ts';

function keyPair(p: Primitives) {
  const secretKey = asX25519SecretKey(p.randomBytes(32));
  return { secretKey, publicKey: asX25519PublicKey(p.x25519PublicKey(secretKey)) };
}

const body = { answers: { what: 'canary-4412 invoices', who: 'the finance manager' }, attachments: [] };
const identity = { name: 'Tama Example', phone: '021 000 000' };

describe.each(backends)('envelope and grants on $name', (p) => {
  const officers = [keyPair(p), keyPair(p)];
  const recovery = keyPair(p);
  const mailbox = keyPair(p);
  const recipients = [...officers, recovery, mailbox];

  it('any one recipient opens the body and, separately, the identity', () => {
    const disclosureId = generateDisclosureId(p);
    const sealed = sealDisclosure(p, { disclosureId, body, identity, recipients: recipients.map((r) => r.publicKey) });
    expect(sealed.contentGrants).toHaveLength(4);
    for (const recipient of recipients) {
      const contentKey = openAnyKeyGrant(p, sealed.contentGrants, 'content', recipient);
      expect(openDisclosureBody(p, contentKey, disclosureId, sealed.body)).toEqual(body);
      const identityKey = openAnyKeyGrant(p, sealed.identityGrants, 'identity', recipient);
      expect(openIdentitySection(p, identityKey, disclosureId, sealed.identity!)).toEqual(identity);
    }
  });

  it('keeps the identity section under its own key', () => {
    const disclosureId = generateDisclosureId(p);
    const sealed = sealDisclosure(p, { disclosureId, body, identity, recipients: [officers[0]!.publicKey] });
    expect(() => openIdentitySection(p, sealed.contentKey, disclosureId, sealed.identity!)).toThrow(DecryptionFailedError);
    // A body cannot be passed off as an identity section, even with the right key.
    expect(() => openEnvelopePart(p, sealed.contentKey, 'identity', disclosureId, sealed.body)).toThrow(DecryptionFailedError);
    // A content grant is refused where an identity grant is expected.
    expect(() => openKeyGrant(p, sealed.contentGrants[0]!, 'identity', officers[0]!)).toThrow(WrongKeyPurposeError);
  });

  it('works without an identity section', () => {
    const sealed = sealDisclosure(p, { disclosureId: generateDisclosureId(p), body, recipients: [recovery.publicKey] });
    expect(sealed.identity).toBeNull();
    expect(sealed.identityGrants).toHaveLength(0);
  });

  it('pads the body so short disclosures are all one size', () => {
    const a = sealDisclosure(p, { disclosureId: generateDisclosureId(p), body, recipients: [recovery.publicKey] });
    const b = sealDisclosure(p, {
      disclosureId: generateDisclosureId(p),
      body: { answers: { what: 'x'.repeat(600) }, attachments: [] },
      recipients: [recovery.publicKey],
    });
    expect(a.body.length).toBe(b.body.length);
    expect(a.body.length).toBe(3 + 1 + 16 + 24 + MIN_PADDED_LENGTH + 16);
  });

  it('refuses a part moved to another disclosure, altered, truncated or of a future version', () => {
    const disclosureId = generateDisclosureId(p);
    const sealed = sealDisclosure(p, { disclosureId, body, recipients: [recovery.publicKey] });
    expect(() => openDisclosureBody(p, sealed.contentKey, generateDisclosureId(p), sealed.body)).toThrow(DecryptionFailedError);
    for (const position of [3, 10, 30, 60, sealed.body.length - 1]) {
      const altered = sealed.body.slice();
      altered[position] = altered[position]! ^ 0x01;
      expect(() => openDisclosureBody(p, sealed.contentKey, disclosureId, altered)).toThrow(DecryptionFailedError);
    }
    expect(() => openDisclosureBody(p, sealed.contentKey, disclosureId, sealed.body.subarray(0, 50))).toThrow(MalformedEncodingError);
    const future = sealed.body.slice();
    future[0] = 2;
    expect(() => openDisclosureBody(p, sealed.contentKey, disclosureId, future)).toThrow(UnsupportedVersionError);
    expect(() => openDisclosureBody(p, generateSymmetricKey(p), disclosureId, sealed.body)).toThrow(DecryptionFailedError);
  });

  it('reports non-JSON content as malformed, not as a crash', () => {
    const disclosureId = generateDisclosureId(p);
    const key = generateSymmetricKey(p);
    const part = sealEnvelopePart(p, key, 'body', disclosureId, new TextEncoder().encode('{not json'));
    expect(() => openDisclosureBody(p, key, disclosureId, part)).toThrow(MalformedEncodingError);
    const wrongShape = sealEnvelopePart(p, key, 'body', disclosureId, new TextEncoder().encode('[1,2]'));
    expect(() => openDisclosureBody(p, key, disclosureId, wrongShape)).toThrow(MalformedEncodingError);
  });

  it('carries the discloser’s mailbox keys inside the body, where the content key authenticates them', () => {
    const disclosureId = generateDisclosureId(p);
    const keys = deriveMailboxKeys(p, generateMailboxCode(p));
    const withMailbox = { ...body, mailbox: { authKey: toBase64Url(keys.authPublicKey), boxKey: toBase64Url(keys.boxPublicKey) } };
    const sealed = sealDisclosure(p, { disclosureId, body: withMailbox, recipients: [officers[0]!.publicKey, keys.boxPublicKey] });
    const opened = openDisclosureBody(p, openAnyKeyGrant(p, sealed.contentGrants, 'content', officers[0]!), disclosureId, sealed.body);
    expect(opened).toEqual(withMailbox);
    const bound = disclosureMailboxKeys(opened)!;
    expect(bound.authKey).toEqual(keys.authPublicKey);
    expect(bound.boxKey).toEqual(keys.boxPublicKey);
    // Still one padded size: the keys do not make a report stand out.
    expect(sealed.body.length).toBe(3 + 1 + 16 + 24 + MIN_PADDED_LENGTH + 16);
    // A body sealed before the keys were bound still opens, and says it has none.
    const old = sealDisclosure(p, { disclosureId, body, recipients: [officers[0]!.publicKey] });
    expect(disclosureMailboxKeys(openDisclosureBody(p, old.contentKey, disclosureId, old.body))).toBeNull();
  });

  it('refuses a body whose mailbox field is not exactly two 32-byte keys', () => {
    const disclosureId = generateDisclosureId(p);
    const key = generateSymmetricKey(p);
    const good = toBase64Url(p.randomBytes(32));
    const bad: unknown[] = [
      null,
      'key',
      [good, good],
      { authKey: good },
      { authKey: good, boxKey: good, extra: good },
      { authKey: good, boxKey: 7 },
      { authKey: toBase64Url(p.randomBytes(31)), boxKey: good },
      { authKey: good, boxKey: toBase64Url(p.randomBytes(33)) },
      { authKey: `${good}=`, boxKey: good },
      { authKey: good, boxKey: good.replace(/.$/, '!') },
    ];
    for (const mailbox of bad) {
      const part = sealEnvelopePart(p, key, 'body', disclosureId, new TextEncoder().encode(JSON.stringify({ ...body, mailbox })));
      expect(() => openDisclosureBody(p, key, disclosureId, part), JSON.stringify(mailbox)).toThrow(MalformedEncodingError);
    }
    expect(() => disclosureMailboxKeys({ ...body, mailbox: { authKey: good, boxKey: 'AAAA' } } as never)).toThrow(MalformedEncodingError);
  });

  it('needs at least one recipient', () => {
    expect(() => sealDisclosure(p, { disclosureId: generateDisclosureId(p), body, recipients: [] })).toThrow(CandourCryptoError);
  });

  it('grants: fixed size, wrong key refused, none addressed to me reported as such', () => {
    const key = generateSymmetricKey(p);
    const grant = sealKeyGrant(p, key, 'content', officers[0]!.publicKey);
    expect(grant.length).toBe(GRANT_BYTES);
    expect(() => openKeyGrant(p, grant, 'content', officers[1]!)).toThrow(DecryptionFailedError);
    expect(() => openAnyKeyGrant(p, [grant], 'content', officers[1]!)).toThrow(NotARecipientError);
    const altered = grant.slice();
    altered[50] = altered[50]! ^ 4;
    expect(() => openKeyGrant(p, altered, 'content', officers[0]!)).toThrow(DecryptionFailedError);
    const kindSwap = grant.slice();
    kindSwap[2] = 0x01;
    expect(() => openKeyGrant(p, kindSwap, 'content', officers[0]!)).toThrow(WrongKindError);
    const future = grant.slice();
    future[0] = 2;
    expect(() => openKeyGrant(p, future, 'content', officers[0]!)).toThrow(UnsupportedVersionError);
    expect(() => openKeyGrant(p, grant.subarray(0, 80), 'content', officers[0]!)).toThrow(MalformedEncodingError);
    expect(() => sealKeyGrant(p, key, 'content', new Uint8Array(31) as never)).toThrow(InvalidLengthError);
  });

  it('re-wraps an opened key to new recipients without touching the ciphertext', () => {
    const disclosureId = generateDisclosureId(p);
    const sealed = sealDisclosure(p, { disclosureId, body, recipients: [mailbox.publicKey] });
    const bodyBefore = sealed.body.slice();
    // The discloser escalates: opens their own grant and seals K to the Ombudsman's keys.
    const ombudsman = [keyPair(p), keyPair(p)];
    const contentKey = openKeyGrant(p, sealed.contentGrants[0]!, 'content', mailbox);
    const newGrants = rewrapKey(p, contentKey, 'content', ombudsman.map((o) => o.publicKey));
    for (const officer of ombudsman) {
      const k = openAnyKeyGrant(p, newGrants, 'content', officer);
      expect(openDisclosureBody(p, k, disclosureId, sealed.body)).toEqual(body);
    }
    expect(sealed.body).toEqual(bodyBefore);
  });
});
