/**
 * Mailbox login by challenge–response: the server sends a random challenge, the discloser's
 * browser signs it with the mailbox auth key, and the server verifies against the stored public
 * key. The code never leaves the browser, and the server answers an unknown mailbox exactly as it
 * answers a known one (it issues a challenge either way).
 *
 * response = Sign("candour/v1/mailbox/login", challenge (32) || mailbox auth public key (32))
 *
 * Binding the public key into the signed bytes stops a response for one mailbox being accepted
 * for another; the server makes each challenge single-use and short-lived.
 */
import type { Primitives } from './backend/primitives.ts';
import { asEd25519PublicKey, asEd25519Seed, concatBytes, type Ed25519PublicKey, type Ed25519Seed } from './bytes.ts';
import { InvalidLengthError } from './errors.ts';
import { Label } from './format.ts';
import { signLabelled, verifyLabelled } from './signing.ts';

export const LOGIN_CHALLENGE_BYTES = 32;

export function generateLoginChallenge(p: Primitives): Uint8Array {
  return p.randomBytes(LOGIN_CHALLENGE_BYTES);
}

function loginMessage(challenge: Uint8Array, authPublicKey: Ed25519PublicKey): Uint8Array {
  if (challenge.length !== LOGIN_CHALLENGE_BYTES) throw new InvalidLengthError('login challenge', LOGIN_CHALLENGE_BYTES, challenge.length);
  return concatBytes(challenge, asEd25519PublicKey(authPublicKey));
}

/** Browser side: answers a challenge with the mailbox auth seed. */
export function answerLoginChallenge(p: Primitives, authSeed: Ed25519Seed, challenge: Uint8Array): Uint8Array {
  asEd25519Seed(authSeed);
  const publicKey = asEd25519PublicKey(p.ed25519PublicKey(authSeed));
  return signLabelled(p, authSeed, Label.mailboxLogin, loginMessage(challenge, publicKey));
}

/** Server side: true only for a valid answer by the holder of `authPublicKey`; never throws on bad input lengths of the answer. */
export function verifyLoginAnswer(p: Primitives, authPublicKey: Ed25519PublicKey, challenge: Uint8Array, answer: Uint8Array): boolean {
  return verifyLabelled(p, authPublicKey, Label.mailboxLogin, loginMessage(challenge, authPublicKey), answer);
}
