// Key files and public keys as the commands take them: opening a file with its passphrase (with
// a plain message for a wrong passphrase or a damaged file), creating one with chosen Argon2id
// limits, and reading the public part an officer prints at keygen.
import {
  ARGON2_INTERACTIVE,
  ARGON2_MODERATE,
  CandourCryptoError,
  createKeyFile,
  fingerprint,
  fromBase64Url,
  inspectKeyFile,
  type KeyFileInfo,
  type KeyFileKindName,
  type KeyMaterial,
  loadBackend,
  type OpenedKeyFile,
  openKeyFile,
  type Primitives,
  toBase64Url,
} from '../../crypto/index.ts';
import { CliError, type CommandIo, CommandFailed } from '../command.ts';
import type { Parsed } from './args.ts';
import { readInput } from './files.ts';
import { readSecret } from './secrets.ts';

let backend: Promise<Primitives> | undefined;

/** libsodium: the CLI runs in Node, where WebAssembly is always there. */
export function crypto(): Promise<Primitives> {
  backend ??= loadBackend({ prefer: 'libsodium' });
  return backend;
}

/** libsodium's SENSITIVE limits: for the root key, which is opened rarely. */
const ARGON2_SENSITIVE = { opsLimit: 4, memLimitBytes: 1024 * 1024 * 1024 } as const;
const KDF_LEVELS = { interactive: ARGON2_INTERACTIVE, moderate: ARGON2_MODERATE, sensitive: ARGON2_SENSITIVE } as const;
export const KDF_OPTION = { kdf: { type: 'string' as const } };
export const KDF_USAGE = '--kdf interactive|moderate|sensitive  Argon2id limits for the new key file (default moderate: 3 passes, 256 MiB)';

export function kdfLimits(parsed: Parsed): { opsLimit: number; memLimitBytes: number } {
  const level = parsed.values['kdf'] ?? 'moderate';
  if (typeof level !== 'string' || !(level in KDF_LEVELS)) throw new CliError(`--kdf must be interactive, moderate or sensitive, not "${String(level)}"`);
  return KDF_LEVELS[level as keyof typeof KDF_LEVELS];
}

export async function inspectKey(p: Primitives, file: string): Promise<KeyFileInfo> {
  const bytes = await readInput(file, 'key file');
  try {
    return inspectKeyFile(p, bytes);
  } catch (error) {
    if (error instanceof CandourCryptoError) throw new CommandFailed(`${file}: ${error.message}`);
    throw error;
  }
}

/** Opens a key file of the expected kind; the passphrase comes from --<secret>-file, the environment or the terminal. */
export async function openKey(
  p: Primitives,
  parsed: Parsed,
  io: CommandIo,
  file: string,
  kinds: readonly KeyFileKindName[],
  secretName = 'passphrase',
): Promise<OpenedKeyFile> {
  const bytes = await readInput(file, 'key file');
  const info = await inspectKey(p, file);
  if (!kinds.includes(info.kind)) throw new CommandFailed(`${file} is ${article(info.kind)} ${info.kind} key file; this needs ${kinds.map((k) => `${article(k)} ${k}`).join(' or ')} key file`);
  const passphrase = await readSecret(parsed, io, { name: secretName, prompt: `Passphrase for ${file}` });
  try {
    return openKeyFile(p, bytes, passphrase);
  } catch (error) {
    if (error instanceof CandourCryptoError) throw new CommandFailed(`${file}: ${error.message}`);
    throw error;
  }
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}

/** Seals new key material into a key file under a new passphrase read as `secretName`. */
export async function sealKey(p: Primitives, parsed: Parsed, io: CommandIo, material: KeyMaterial, file: string, secretName = 'new-passphrase'): Promise<Uint8Array> {
  const passphrase = await readSecret(parsed, io, { name: secretName, prompt: `New passphrase for ${file}`, create: true });
  return createKeyFile(p, material, passphrase, kdfLimits(parsed));
}

/** The public part of a key file (§9: signing key then box key) as one base64url line. */
export function publicPartText(info: Pick<KeyFileInfo, 'signingPublicKey' | 'boxPublicKey'>): string {
  const parts = [info.signingPublicKey, info.boxPublicKey].filter((k): k is NonNullable<typeof k> => k !== null);
  const joined = new Uint8Array(parts.reduce((n, k) => n + k.length, 0));
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.length;
  }
  return toBase64Url(joined);
}

export function decodePublic(text: string, length: number, what: string): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = fromBase64Url(text.trim());
  } catch {
    throw new CliError(`${what} is not base64url`);
  }
  if (bytes.length !== length) throw new CliError(`${what} must be ${length} bytes, not ${bytes.length}`);
  return bytes;
}

/** Lines an operator or officer reads out or pastes: public key, fingerprint. */
export function describeKey(p: Primitives, label: string, key: Uint8Array): string {
  return `${label}: ${toBase64Url(key)}\n${label} fingerprint: ${fingerprint(p, key)}\n`;
}

export function wipe(p: Primitives, material: KeyMaterial): void {
  if (material.signingSeed) p.memzero(material.signingSeed);
  if (material.boxSecretKey) p.memzero(material.boxSecretKey);
}

export function uuidFromBytes(bytes: Uint8Array): string {
  const hex = Buffer.from(bytes).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function uuidToBytes(text: string): Uint8Array {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text)) throw new CliError(`"${text}" is not a UUID`);
  return new Uint8Array(Buffer.from(text.replace(/-/g, ''), 'hex'));
}
