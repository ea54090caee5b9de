/**
 * Length hiding. Plaintext P becomes P || 0x80 || 0x00…, padded to padme(max(|P| + 1, 1024))
 * bytes. Padmé (Nikitin et al., "Reducing Metadata Leakage from Encrypted Files and
 * Communication with PURBs", PETS 2019) rounds a length L so that only O(log log L) bits of it
 * show and the overhead stays under 12 %; the 1 KiB floor makes all short texts the same size.
 * The 0x80 marker (ISO/IEC 7816-4) lets the reader find the end without a length field.
 */
import { PaddingError } from './errors.ts';

export const MIN_PADDED_LENGTH = 1024;

/** Padmé rounding of a length (safe for any integer up to 2^53). */
export function padme(length: number): number {
  if (!Number.isSafeInteger(length) || length < 0) throw new RangeError('length must be a non-negative safe integer');
  if (length < 2) return length;
  const e = floorLog2(length);
  const s = floorLog2(e) + 1;
  const unit = 2 ** (e - s);
  return Math.ceil(length / unit) * unit;
}

/** Exact floor(log2(n)) for n ≥ 1 (Math.log2 alone can round up just below a power of two). */
function floorLog2(n: number): number {
  let e = Math.floor(Math.log2(n));
  while (2 ** e > n) e--;
  while (2 ** (e + 1) <= n) e++;
  return e;
}

/** The padded length for a plaintext of `length` bytes (always > length). */
export function paddedLength(length: number): number {
  return padme(Math.max(length + 1, MIN_PADDED_LENGTH));
}

export function pad(plaintext: Uint8Array): Uint8Array {
  const out = new Uint8Array(paddedLength(plaintext.length));
  out.set(plaintext, 0);
  out[plaintext.length] = 0x80;
  return out;
}

/** Removes canonical padding; anything else (no marker, wrong total length) is a PaddingError. */
export function unpad(padded: Uint8Array): Uint8Array {
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (end < 0 || padded[end] !== 0x80 || paddedLength(end) !== padded.length) throw new PaddingError();
  return padded.subarray(0, end);
}
