/**
 * Domain-separated Ed25519: every signature in Candour is over label || 0x00 || message, with a
 * label from format.ts, so a signature made for one purpose never verifies for another.
 */
import type { Primitives } from './backend/primitives.ts';
import { concatBytes, type Ed25519PublicKey, type Ed25519Seed, SIGNATURE_BYTES, u8, utf8 } from './bytes.ts';

function labelled(label: string, message: Uint8Array): Uint8Array {
  return concatBytes(utf8(label), u8(0), message);
}

export function signLabelled(p: Primitives, seed: Ed25519Seed, label: string, message: Uint8Array): Uint8Array {
  return p.ed25519Sign(seed, labelled(label, message));
}

/** False for a bad signature or one of the wrong length; never throws. */
export function verifyLabelled(p: Primitives, publicKey: Ed25519PublicKey, label: string, message: Uint8Array, signature: Uint8Array): boolean {
  return signature.length === SIGNATURE_BYTES && p.ed25519Verify(publicKey, labelled(label, message), signature);
}
