// Organisation ceremonies: the admin makes the organisation's signing and recovery keys; the
// operator certifies the signing key with the root key.
import { randomUUID } from 'node:crypto';
import {
  asEd25519PublicKey,
  asOrganisationId,
  CandourCryptoError,
  certifyOrganisation,
  dayNumber,
  fingerprint,
  generateKeyMaterial,
  toBase64Url,
} from '../../crypto/index.ts';
import { CliError, type Command, CommandFailed } from '../command.ts';
import { noPositionals, optional, parse, positiveInteger, required } from '../lib/args.ts';
import { ensureAbsent, writeOutputs } from '../lib/files.ts';
import { crypto, decodePublic, describeKey, inspectKey, KDF_OPTION, KDF_USAGE, openKey, sealKey, uuidFromBytes, uuidToBytes, wipe } from '../lib/keys.ts';
import { secretOption } from '../lib/secrets.ts';

export const orgCreateCommand: Command = {
  name: 'org create',
  summary: 'organisation admin: make the organisation signing key and recovery key files',
  usage: [
    'Usage: candour org create --key FILE --recovery-key FILE [--kdf LEVEL]',
    '                          [--new-passphrase-file FILE] [--recovery-passphrase-file FILE]',
    '',
    'Makes the organisation signing key (Ed25519: certifies officers, signs rosters) and the',
    'recovery key (X25519: every disclosure is also sealed to it) with separate passphrases',
    '(--new-passphrase-file / CANDOUR_NEW_PASSPHRASE and --recovery-passphrase-file /',
    'CANDOUR_RECOVERY_PASSPHRASE, or asked on the terminal), so different people can hold them.',
    'Send the printed signing public key to the operator (candour org certify); split the recovery',
    'key for safe keeping with candour recovery split.',
    `  ${KDF_USAGE}`,
  ].join('\n'),
  async run(args, io) {
    const hint = 'candour org create --help';
    const parsed = parse(args, {
      key: { type: 'string' }, 'recovery-key': { type: 'string' }, ...KDF_OPTION,
      ...secretOption('new-passphrase'), ...secretOption('recovery-passphrase'),
    }, hint);
    noPositionals(parsed, hint);
    const [keyPath, recoveryPath] = [required(parsed, 'key', hint), required(parsed, 'recovery-key', hint)];
    await ensureAbsent([keyPath, recoveryPath]);
    const p = await crypto();
    const signing = generateKeyMaterial(p, 'organisation');
    const recovery = generateKeyMaterial(p, 'recovery');
    const signingFile = await sealKey(p, parsed, io, signing, keyPath);
    const recoveryFile = await sealKey(p, parsed, io, recovery, recoveryPath, 'recovery-passphrase');
    const signingKey = p.ed25519PublicKey(signing.signingSeed!);
    const recoveryKey = p.x25519PublicKey(recovery.boxSecretKey!);
    wipe(p, signing);
    wipe(p, recovery);
    await writeOutputs([{ path: keyPath, data: signingFile, secret: true }, { path: recoveryPath, data: recoveryFile, secret: true }]);
    io.stdout.write(`wrote ${keyPath} and ${recoveryPath}\n${describeKey(p, 'organisation signing key', signingKey)}${describeKey(p, 'recovery key', recoveryKey)}`);
    return 0;
  },
};

export const orgCertifyCommand: Command = {
  name: 'org certify',
  summary: 'operator: certify an organisation signing key with the root key',
  usage: [
    'Usage: candour org certify --root ROOT_KEY (--subject ORG_KEY_FILE | --public KEY) --name NAME',
    '                           --kind agency|authority [--id UUID] [--days N] --out CERT',
    '',
    'Signs an organisation certificate (docs/protocol.md §8) with the root key (passphrase from',
    '--passphrase-file, CANDOUR_PASSPHRASE or the terminal). The subject is the organisation\'s',
    'signing public key: read from its key file (only the public part, no passphrase) or given as',
    'base64url. --id keeps the organisation id when certifying again (renewal, root rotation); a new',
    'organisation gets a random one. Valid from yesterday for --days days (default 730).',
    'Compare the printed fingerprint with the one the organisation read out before signing.',
  ].join('\n'),
  async run(args, io) {
    const hint = 'candour org certify --help';
    const parsed = parse(args, {
      root: { type: 'string' }, subject: { type: 'string' }, public: { type: 'string' }, name: { type: 'string' },
      kind: { type: 'string' }, id: { type: 'string' }, days: { type: 'string' }, out: { type: 'string' }, ...secretOption('passphrase'),
    }, hint);
    noPositionals(parsed, hint);
    const [rootPath, name, kind, out] = [required(parsed, 'root', hint), required(parsed, 'name', hint), required(parsed, 'kind', hint), required(parsed, 'out', hint)];
    if (kind !== 'agency' && kind !== 'authority') throw new CliError(`--kind must be agency or authority, not "${kind}"`);
    const days = positiveInteger(optional(parsed, 'days'), '--days', 730);
    const id = optional(parsed, 'id');
    const organisationId = asOrganisationId(id === undefined ? uuidToBytes(randomUUID()) : uuidToBytes(id.toLowerCase()));
    const p = await crypto();
    const signingKey = asEd25519PublicKey(await subjectKey(parsed, hint, async (file) => {
      const info = await inspectKey(p, file);
      if (info.kind !== 'organisation') throw new CommandFailed(`${file} is not an organisation key file`);
      return info.signingPublicKey!;
    }, 32));
    await ensureAbsent([out]);
    const root = await openKey(p, parsed, io, rootPath, ['root']);
    let certificate;
    try {
      certificate = certifyOrganisation(p, root.signingSeed!, { today: dayNumber(new Date()), days, organisationId, name, kind, signingKey });
    } catch (error) {
      // A name the certificate cannot hold (CertificateError) or a validity it cannot express.
      if (error instanceof CandourCryptoError || error instanceof RangeError) throw new CommandFailed(error.message);
      throw error;
    } finally {
      wipe(p, root);
    }
    await writeOutputs([{ path: out, data: certificate }]);
    io.stdout.write([
      `wrote ${out}`,
      `organisation: ${name} (${kind}), id ${uuidFromBytes(organisationId)}`,
      `organisation signing key: ${toBase64Url(signingKey)}`,
      `organisation signing key fingerprint: ${fingerprint(p, signingKey)}`,
      '',
    ].join('\n'));
    return 0;
  },
};

/** The subject public key: from --subject KEY_FILE (public part, no passphrase) or --public base64url. */
export async function subjectKey(
  parsed: { values: Record<string, unknown> },
  hint: string,
  fromFile: (file: string) => Promise<Uint8Array>,
  length: number,
): Promise<Uint8Array> {
  const subject = parsed.values['subject'];
  const given = parsed.values['public'];
  if ((typeof subject === 'string') === (typeof given === 'string')) throw new CliError(`give exactly one of --subject KEY_FILE or --public KEY (${hint})`);
  return typeof subject === 'string' ? fromFile(subject) : decodePublic(given as string, length, '--public');
}
