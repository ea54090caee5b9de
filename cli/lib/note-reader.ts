// The case's internal notes, opened offline (docs/protocol.md, internal notes): each is a stream
// under a fresh key of the UTF-8 JSON {"text": ...}, that key sealed with purpose content to the
// organisation's officers and recovery key. The bundle carries the exporting officer's own grant
// for each note, or null when the note was written before that officer's key was certified. One
// note that does not open is reported on its own, as the console does, not as a bad bundle: the
// rest of the case is still checked and written.
import {
  CandourCryptoError,
  decodeJson,
  decryptBlob,
  fromBase64Url,
  openKeyGrant,
  type Primitives,
  type X25519PublicKey,
  type X25519SecretKey,
} from '../../crypto/index.ts';
import { CommandFailed } from '../command.ts';

export interface NoteEntry {
  readonly id: number;
  readonly officerId: string;
  readonly createdAt: string;
  /** The note's text, or null when it did not open (then `problem` says why). */
  readonly text: string | null;
  readonly problem: string | null;
}

interface StoredNote {
  readonly id: number;
  readonly officerId: string;
  readonly note: string;
  readonly grant: string | null;
  readonly createdAt: string;
}

function checkNote(value: unknown): StoredNote {
  const n = value as Partial<StoredNote> | null;
  if (!n || typeof n !== 'object' || typeof n.id !== 'number' || typeof n.officerId !== 'string' || typeof n.note !== 'string'
    || (n.grant !== null && typeof n.grant !== 'string') || typeof n.createdAt !== 'string') {
    throw new CommandFailed('the bundle manifest is malformed (notes)');
  }
  return n as StoredNote;
}

export function readNotes(
  p: Primitives,
  notes: readonly unknown[],
  recipient: { publicKey: X25519PublicKey; secretKey: X25519SecretKey },
): NoteEntry[] {
  return notes.map(checkNote).map((n) => {
    const base = { id: n.id, officerId: n.officerId, createdAt: n.createdAt };
    if (n.grant === null) return { ...base, text: null, problem: 'not sealed to your key (written before your key was certified)' };
    let plaintext: Uint8Array | undefined;
    try {
      const key = openKeyGrant(p, fromBase64Url(n.grant), 'content', recipient);
      try {
        plaintext = decryptBlob(p, key, fromBase64Url(n.note));
      } finally {
        p.memzero(key);
      }
      const json = decodeJson(plaintext) as { text?: unknown } | null;
      if (!json || typeof json !== 'object' || typeof json.text !== 'string') return { ...base, text: null, problem: 'not a note: the plaintext is not {"text": ...}' };
      return { ...base, text: json.text, problem: null };
    } catch (error) {
      if (!(error instanceof CandourCryptoError)) throw error;
      return { ...base, text: null, problem: `does not open: ${error.message}` };
    } finally {
      if (plaintext) p.memzero(plaintext);
    }
  });
}
