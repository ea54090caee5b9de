// Certificate and directory-entry files as the ceremony commands pass them between people:
// a certificate file holds the certificate bytes of docs/protocol.md §8 exactly; a directory
// entry file is one organisation of the directory document, {certificate, roster, members}.
import {
  asEd25519PublicKey,
  buildDirectoryDocument,
  CandourCryptoError,
  type CertificateBytes,
  type CertificateTypeName,
  type DirectoryEntryDocument,
  fromBase64Url,
  parseCertificate,
  type ParsedCertificate,
  type Primitives,
  verifyDirectory,
  type VerifiedOrganisation,
} from '../../crypto/index.ts';
import { CommandFailed } from '../command.ts';
import { readInput, readTextInput } from './files.ts';

export async function readCertificate(p: Primitives, file: string, type: CertificateTypeName): Promise<ParsedCertificate> {
  const bytes = await readInput(file, 'certificate');
  let cert: ParsedCertificate;
  try {
    cert = parseCertificate(p, bytes);
  } catch (error) {
    if (error instanceof CandourCryptoError) throw new CommandFailed(`${file} is not a valid certificate: ${error.message}`);
    throw error;
  }
  if (cert.type !== type) throw new CommandFailed(`${file} is ${cert.type === 'organisation' || cert.type === 'officer' ? 'an' : 'a'} ${cert.type} certificate, not ${type === 'recovery' ? 'a' : 'an'} ${type} certificate`);
  return cert;
}

export async function readDirectoryEntry(file: string): Promise<DirectoryEntryDocument> {
  let entry: unknown;
  try {
    entry = JSON.parse(await readTextInput(file, 'directory entry'));
  } catch (error) {
    if (error instanceof SyntaxError) throw new CommandFailed(`${file} is not JSON`);
    throw error;
  }
  const e = entry as Partial<DirectoryEntryDocument> | null;
  if (!e || typeof e.certificate !== 'string' || typeof e.roster !== 'string' || !Array.isArray(e.members)) {
    throw new CommandFailed(`${file} is not a directory entry ({"certificate", "roster", "members"})`);
  }
  return { certificate: e.certificate, roster: e.roster, members: e.members as string[] };
}

/**
 * Checks a directory entry exactly as a discloser's browser will, against `roots` (by default the
 * key that signed the organisation certificate: the structure and signatures, not yet the pin).
 */
export function checkEntry(p: Primitives, entry: DirectoryEntryDocument, today: number, roots?: readonly Uint8Array[]): VerifiedOrganisation {
  try {
    const trusted = roots ?? [parseCertificate(p, fromBase64Url(entry.certificate)).issuerKey];
    return verifyDirectory(p, { format: 'candour-directory', version: 1, organisations: [entry] }, trusted.map((k) => asEd25519PublicKey(k)), today)[0]!;
  } catch (error) {
    if (error instanceof CandourCryptoError) throw new CommandFailed(`the directory entry does not verify: ${error.message}`);
    throw error;
  }
}

export function entryOf(certificate: CertificateBytes, roster: Uint8Array, members: readonly CertificateBytes[]): DirectoryEntryDocument {
  return buildDirectoryDocument([{ certificate, roster, members }]).organisations[0]!;
}
