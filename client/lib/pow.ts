// Proof of work, the anti-spam check that replaces tracking: ask the server for a challenge, and
// let this device find a nonce (in a worker) before a submission or a mailbox login.
import { api, type PowSolution } from './api/discloser-api.ts';
import { loadCrypto } from './crypto-loader.ts';
import { solvePow } from './worker/crypto-runner.ts';

/**
 * The 32 bytes the work is done over. The challenge is a server token whose payload begins with
 * 32 random bytes (then an expiry minute, then the token's MAC); the work is over those bytes, and
 * the whole token goes back so the server can check it is its own and still fresh.
 */
export async function challengeBytes(token: string): Promise<Uint8Array> {
  const { c } = await loadCrypto();
  const bytes = c.fromBase64Url(token);
  if (bytes.length < c.POW_CHALLENGE_BYTES) throw new c.MalformedEncodingError('the server’s challenge is too short');
  return bytes.slice(0, c.POW_CHALLENGE_BYTES);
}

export async function proofOfWork(options: { onProgress?: (attempts: number) => void; signal?: AbortSignal } = {}): Promise<PowSolution> {
  const { data } = await api.pow();
  const { c } = await loadCrypto();
  const nonce = await solvePow(await challengeBytes(data.challenge), data.difficulty, options);
  return { challenge: data.challenge, nonce: c.toBase64Url(nonce) };
}

/** Whether the server refused a request because of its proof of work (stale, used or wrong). */
export function isPowRefusal(code: string): boolean {
  return /pow|proof|challenge/i.test(code) && code !== 'login_failed';
}
