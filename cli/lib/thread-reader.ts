// One thread of a case bundle, checked and opened: the whole thread verified in order (signatures,
// authors, sequence, chain; crypto/message.ts verifyThread), and each message's own signature
// status, so a person sees which message is wrong when the thread as a whole is not right.
// Messages are decrypted only when their own signature verifies and a grant opens for this key.
import {
  asThreadId,
  type AttachmentManifestEntry,
  CandourCryptoError,
  constantTimeEqual,
  decodeJson,
  type Ed25519PublicKey,
  fromBase64Url,
  fromUtf8,
  type MessageHash,
  messageHash,
  openKeyGrant,
  openMessage,
  parseMessage,
  type Primitives,
  threadGenesisHash,
  toBase64Url,
  verifyMessageSignature,
  verifyThread,
  type X25519PublicKey,
  type X25519SecretKey,
} from '../../crypto/index.ts';
import { uuidToBytes } from './keys.ts';

export interface GrantEntry { purpose: string; threadId: string | null; seq: number | null; grant: string }

export interface ThreadEntry {
  readonly seq: number;
  readonly role: 'discloser' | 'officer';
  readonly author: string;
  /** "verified", or what is wrong with this message. */
  readonly signature: string;
  readonly text: string | null;
  readonly attachments: readonly AttachmentManifestEntry[];
}

export interface KnownOfficer {
  readonly label: string;
  readonly signingKey: Ed25519PublicKey;
}

export interface ReadThread {
  readonly entries: readonly ThreadEntry[];
  /** null when the whole thread verifies; otherwise the first problem. */
  readonly problem: string | null;
  readonly lastHash: MessageHash;
  readonly count: number;
}

export function readThread(
  p: Primitives,
  input: {
    threadId: string;
    messages: readonly Uint8Array[];
    grants: readonly GrantEntry[];
    mailboxAuthKey: Uint8Array | null;
    officers: readonly KnownOfficer[];
    recipient: { publicKey: X25519PublicKey; secretKey: X25519SecretKey };
  },
): ReadThread {
  const threadId = asThreadId(uuidToBytes(input.threadId));
  const officerOf = (key: Uint8Array) => input.officers.find((o) => constantTimeEqual(o.signingKey, key));
  const allowed = (role: 'discloser' | 'officer', key: Uint8Array) => role === 'discloser'
    ? input.mailboxAuthKey !== null && constantTimeEqual(key, input.mailboxAuthKey)
    : officerOf(key) !== undefined;
  let problem: string | null = null;
  try {
    verifyThread(p, threadId, input.messages, allowed);
  } catch (error) {
    if (!(error instanceof CandourCryptoError)) throw error;
    problem = error.message;
  }
  const entries = input.messages.map((bytes): ThreadEntry => {
    const parsed = parseMessage(p, bytes);
    let signature = 'verified';
    try {
      verifyMessageSignature(p, parsed);
      if (!constantTimeEqual(parsed.threadId, threadId)) signature = 'NOT VERIFIED: the message belongs to another thread';
      else if (!allowed(parsed.authorRole, parsed.authorPublicKey)) signature = `signed by a ${parsed.authorRole} key not allowed in this thread`;
    } catch (error) {
      if (!(error instanceof CandourCryptoError)) throw error;
      signature = `NOT VERIFIED: ${error.message}`;
    }
    const grant = input.grants.find((g) => g.purpose === 'message' && g.seq === parsed.seq && (g.threadId ?? '').toLowerCase() === input.threadId.toLowerCase());
    let text: string | null = null;
    let attachments: AttachmentManifestEntry[] = [];
    if (grant && signature === 'verified') {
      const key = openKeyGrant(p, fromBase64Url(grant.grant), 'message', input.recipient);
      const plaintext = openMessage(p, parsed, key);
      p.memzero(key);
      try {
        const json = decodeJson(plaintext) as { text?: unknown; attachments?: unknown };
        text = typeof json.text === 'string' ? json.text : fromUtf8(plaintext);
        if (Array.isArray(json.attachments)) attachments = json.attachments as AttachmentManifestEntry[];
      } catch {
        text = new TextDecoder().decode(plaintext);
      }
    }
    const officer = officerOf(parsed.authorPublicKey);
    return {
      seq: parsed.seq,
      role: parsed.authorRole,
      author: parsed.authorRole === 'discloser' ? 'the discloser' : officer ? officer.label : `an uncertified key ${toBase64Url(parsed.authorPublicKey)}`,
      signature,
      text,
      attachments,
    };
  });
  const last = input.messages.at(-1);
  return { entries, problem, lastHash: last ? messageHash(p, last) : threadGenesisHash(p, threadId), count: input.messages.length };
}
