// Ids on the wire are UUID text of 16 bytes (disclosures, cases, attachments, organisations);
// crypto/ works with the bytes. Random ids come from the platform CSPRNG.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function uuidFromBytes(bytes: Uint8Array): string {
  if (bytes.length !== 16) throw new RangeError(`an id is 16 bytes, got ${bytes.length}`);
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function uuidToBytes(uuid: string): Uint8Array {
  const lower = uuid.toLowerCase();
  if (!UUID.test(lower)) throw new RangeError('not a UUID');
  const hex = lower.replaceAll('-', '');
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** 16 bytes from the platform CSPRNG (crypto.getRandomValues). */
export function randomIdBytes(): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(16));
}

/** A uniformly random integer in [0, bound) from the CSPRNG (rejection sampling, no modulo bias). */
export function randomBelow(bound: number): number {
  if (!Number.isInteger(bound) || bound < 1 || bound > 2 ** 32) throw new RangeError('bound must be 1..2^32');
  const limit = Math.floor(2 ** 32 / bound) * bound;
  const word = new Uint32Array(1);
  for (;;) {
    globalThis.crypto.getRandomValues(word);
    if (word[0]! < limit) return word[0]! % bound;
  }
}
