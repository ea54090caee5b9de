/**
 * The audit log's hash chain. Each entry's hash covers the previous entry's hash and the entry's
 * canonical bytes, so deleting, changing or reordering an entry breaks every hash after it, and
 * a verifier names the first broken entry.
 *
 * entry hash = H_32("candour/v1/audit/entry", previous hash (32) || u32 length || entry bytes)
 * previous hash of entry 0 = 32 zero bytes
 */
import type { Primitives } from './backend/primitives.ts';
import { concatBytes, constantTimeEqual, u32be, utf8 } from './bytes.ts';
import { InvalidLengthError } from './errors.ts';
import { Label } from './format.ts';

export const AUDIT_HASH_BYTES = 32;
export const AUDIT_GENESIS = new Uint8Array(AUDIT_HASH_BYTES);

export function auditEntryHash(p: Primitives, previousHash: Uint8Array, entry: Uint8Array): Uint8Array {
  if (previousHash.length !== AUDIT_HASH_BYTES) throw new InvalidLengthError('previous audit hash', AUDIT_HASH_BYTES, previousHash.length);
  return p.blake2b(AUDIT_HASH_BYTES, concatBytes(previousHash, u32be(entry.length), entry), utf8(Label.auditEntry));
}

/**
 * Canonical bytes of an entry: JSON with object keys sorted at every level, so the same entry
 * always hashes the same however it was built or read back from the database.
 */
export function canonicalJson(value: unknown): Uint8Array {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.keys(v as object).sort().map((k) => [k, sort((v as Record<string, unknown>)[k])]));
    }
    return v;
  };
  return utf8(JSON.stringify(sort(value)));
}

export interface StoredAuditEntry {
  readonly seq: number;
  readonly entry: Uint8Array;
  readonly previousHash: Uint8Array;
  readonly entryHash: Uint8Array;
}

/** Returns the seq of the first entry whose link or hash is wrong, or null if the chain holds. */
export function findFirstBrokenAuditEntry(p: Primitives, entries: Iterable<StoredAuditEntry>): number | null {
  let previous: Uint8Array = AUDIT_GENESIS;
  let expectedSeq: number | null = null;
  for (const stored of entries) {
    if (expectedSeq !== null && stored.seq !== expectedSeq) return expectedSeq;
    if (!constantTimeEqual(stored.previousHash, previous)) return stored.seq;
    if (!constantTimeEqual(stored.entryHash, auditEntryHash(p, previous, stored.entry))) return stored.seq;
    previous = stored.entryHash;
    expectedSeq = stored.seq + 1;
  }
  return null;
}
