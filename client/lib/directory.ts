// The receivers, as this page can trust them: the directory the server serves, verified with
// crypto/ against the root keys pinned into this build. A directory that fails any check stops
// the flow (DirectoryUntrustedError); there is no fallback to an unverified list.
//
// A demo build pins no key. It then fetches the demo root from the server and says so on the
// page: that check proves only that the list is consistent, not that the server is honest.
import type { VerifiedOrganisation } from '../../crypto/index.ts';
import { api } from './api/discloser-api.ts';
import { ApiFailure } from './api/http.ts';
import { loadCrypto } from './crypto-loader.ts';
import { uuidFromBytes } from './ids.ts';

export class DirectoryUntrustedError extends Error {
  readonly code = 'directory_untrusted';
  constructor(message: string) {
    super(message);
    this.name = 'DirectoryUntrustedError';
  }
}

export interface Receiver {
  readonly uuid: string;
  readonly organisation: VerifiedOrganisation;
  readonly name: string;
  readonly kind: 'agency' | 'authority';
  readonly fingerprint: string;
}

export interface TrustedDirectory {
  readonly receivers: readonly Receiver[];
  /** True when the root key came from the server (demo build), not from this build. */
  readonly demoRoot: boolean;
}

export function pinnedRootKeys(): readonly string[] {
  return __CANDOUR_PINNED_ROOT_KEYS__;
}

async function rootKeys(): Promise<{ keys: readonly string[]; demoRoot: boolean }> {
  const pinned = pinnedRootKeys();
  if (pinned.length > 0) return { keys: pinned, demoRoot: false };
  const { data } = await api.demoRoot().catch((error: unknown) => {
    if (error instanceof ApiFailure && error.status === 404) {
      throw new DirectoryUntrustedError('this page was built without a root key, and this server is not a demo');
    }
    throw error;
  });
  const keys = data.rootPublicKeys;
  if (!Array.isArray(keys) || keys.length === 0 || !keys.every((k) => typeof k === 'string')) {
    throw new DirectoryUntrustedError('the demo root key the server sent is malformed');
  }
  return { keys: keys as string[], demoRoot: true };
}

export async function loadTrustedDirectory(today: Date = new Date()): Promise<TrustedDirectory> {
  const [{ keys, demoRoot }, { data: document }, { c, p }] = await Promise.all([rootKeys(), api.directory(), loadCrypto()]);
  let roots;
  try {
    roots = keys.map((key) => c.asEd25519PublicKey(c.fromBase64Url(key)));
  } catch {
    throw new DirectoryUntrustedError('a root key is not a valid public key');
  }
  let verified: VerifiedOrganisation[];
  try {
    verified = c.verifyDirectory(p, document, roots, c.dayNumber(today));
  } catch (error) {
    throw new DirectoryUntrustedError(error instanceof Error ? error.message : 'the directory does not verify');
  }
  return {
    demoRoot,
    receivers: verified.map((organisation) => ({
      uuid: uuidFromBytes(organisation.id),
      organisation,
      name: organisation.name,
      kind: organisation.kind,
      fingerprint: organisation.fingerprint,
    })),
  };
}
