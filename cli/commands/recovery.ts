// The organisation recovery key: certify it, split it k-of-n for safe keeping, and rebuild it.
import path from 'node:path';
import {
  asX25519PublicKey,
  CandourCryptoError,
  certifyRecoveryKey,
  combineRecoveryShares,
  dayNumber,
  fingerprint,
  fromBase64Url,
  splitKeyMaterial,
  toBase64Url,
} from '../../crypto/index.ts';
import { CliError, type Command, CommandFailed } from '../command.ts';
import { noPositionals, optional, parse, positiveInteger, required } from '../lib/args.ts';
import { readCertificate } from '../lib/certificates.ts';
import { ensureAbsent, readTextInput, writeOutputs } from '../lib/files.ts';
import { crypto, describeKey, inspectKey, KDF_OPTION, KDF_USAGE, openKey, publicPartText, sealKey, wipe } from '../lib/keys.ts';
import { secretOption } from '../lib/secrets.ts';
import { subjectKey } from './organisation.ts';

export const recoveryCertifyCommand: Command = {
  name: 'recovery certify',
  summary: 'organisation admin: certify the organisation recovery key with the organisation key',
  usage: [
    'Usage: candour recovery certify --org-key ORG_KEY --org-cert CERT (--subject RECOVERY_KEY_FILE | --public KEY)',
    '                                [--name NAME] [--days N] --out CERT',
    '',
    'Signs the recovery certificate (docs/protocol.md §8) with the organisation signing key',
    '(passphrase from --passphrase-file, CANDOUR_PASSPHRASE or the terminal). The recovery key file',
    'is read for its public part only. The roster must list exactly one recovery certificate.',
  ].join('\n'),
  async run(args, io) {
    const hint = 'candour recovery certify --help';
    const parsed = parse(args, {
      'org-key': { type: 'string' }, 'org-cert': { type: 'string' }, subject: { type: 'string' }, public: { type: 'string' },
      name: { type: 'string' }, days: { type: 'string' }, out: { type: 'string' }, ...secretOption('passphrase'),
    }, hint);
    noPositionals(parsed, hint);
    const [orgKeyPath, orgCertPath, out] = [required(parsed, 'org-key', hint), required(parsed, 'org-cert', hint), required(parsed, 'out', hint)];
    const days = positiveInteger(optional(parsed, 'days'), '--days', 730);
    const p = await crypto();
    const orgCert = await readCertificate(p, orgCertPath, 'organisation');
    const boxKey = asX25519PublicKey(await subjectKey(parsed, hint, async (file) => {
      const info = await inspectKey(p, file);
      if (info.kind !== 'recovery') throw new CommandFailed(`${file} is not a recovery key file`);
      return info.boxPublicKey!;
    }, 32));
    await ensureAbsent([out]);
    const org = await openKey(p, parsed, io, orgKeyPath, ['organisation']);
    try {
      if (toBase64Url(org.signingPublicKey!) !== toBase64Url(orgCert.signingKey!)) throw new CommandFailed(`${orgKeyPath} is not the key ${orgCertPath} certifies`);
      const certificate = certifyRecoveryKey(p, org.signingSeed!, {
        today: dayNumber(new Date()), days, organisationId: orgCert.organisationId, boxKey, name: optional(parsed, 'name') ?? `${orgCert.name} recovery key`,
      });
      await writeOutputs([{ path: out, data: certificate }]);
    } finally {
      wipe(p, org);
    }
    io.stdout.write(`wrote ${out}\n${describeKey(p, 'recovery key', boxKey)}`);
    return 0;
  },
};

export const recoverySplitCommand: Command = {
  name: 'recovery split',
  summary: 'split a recovery key file into n shares, any k of which rebuild it (Shamir, GF(256))',
  usage: [
    'Usage: candour recovery split --key RECOVERY_KEY -k K -n N --out-dir DIR',
    '',
    'Opens the key file (passphrase from --passphrase-file, CANDOUR_PASSPHRASE or the terminal) and',
    'writes N share files DIR/recovery-share-I-of-N.txt (docs/protocol.md §17): each one line of',
    'base64url with its index, the threshold K and a checksum. Give each share to a different',
    'person; any K of them rebuild the key with candour recovery combine, fewer reveal nothing.',
    'The shares do not need the passphrase: destroy or keep the key file as your policy says.',
  ].join('\n'),
  async run(args, io) {
    const hint = 'candour recovery split --help';
    const parsed = parse(args, {
      key: { type: 'string' }, k: { type: 'string', short: 'k' }, n: { type: 'string', short: 'n' }, 'out-dir': { type: 'string' }, ...secretOption('passphrase'),
    }, hint);
    noPositionals(parsed, hint);
    const [keyPath, outDir] = [required(parsed, 'key', hint), required(parsed, 'out-dir', hint)];
    const threshold = positiveInteger(optional(parsed, 'k'), '-k');
    const count = positiveInteger(optional(parsed, 'n'), '-n');
    if (threshold < 2 || count < threshold || count > 255) throw new CliError('shares need 2 ≤ k ≤ n ≤ 255');
    const names = Array.from({ length: count }, (_, i) => path.join(outDir, `recovery-share-${i + 1}-of-${count}.txt`));
    await ensureAbsent(names);
    const p = await crypto();
    const material = await openKey(p, parsed, io, keyPath, ['recovery', 'organisation', 'officer', 'root']);
    const shares = splitKeyMaterial(p, material, threshold, count);
    const publicText = publicPartText(material);
    wipe(p, material);
    await writeOutputs(shares.map((share, i) => ({ path: names[i]!, data: `${toBase64Url(share)}\n`, secret: true })));
    io.stdout.write(`wrote ${count} shares (any ${threshold} rebuild the key) to ${outDir}\n${material.kind} key public part: ${publicText}\n`);
    if (material.boxPublicKey) io.stdout.write(`fingerprint: ${fingerprint(p, material.boxPublicKey)}\n`);
    else io.stdout.write(`fingerprint: ${fingerprint(p, material.signingPublicKey!)}\n`);
    return 0;
  },
};

export const recoveryCombineCommand: Command = {
  name: 'recovery combine',
  summary: 'rebuild a key file from k recovery shares and check it against its public key',
  usage: [
    'Usage: candour recovery combine --out FILE [--kdf LEVEL] [--new-passphrase-file FILE] SHARE_FILE...',
    '',
    'Reads at least K share files of one split, rebuilds the key, checks it against the public key',
    'every share carries, and writes a new key file under a new passphrase (--new-passphrase-file,',
    'CANDOUR_NEW_PASSPHRASE or the terminal). Fewer than K shares, shares of different splits, or a',
    'changed share fail with a message and write nothing.',
    `  ${KDF_USAGE}`,
  ].join('\n'),
  async run(args, io) {
    const hint = 'candour recovery combine --help';
    const parsed = parse(args, { out: { type: 'string' }, ...KDF_OPTION, ...secretOption('new-passphrase') }, hint);
    const out = required(parsed, 'out', hint);
    if (parsed.positionals.length === 0) throw new CliError(`give the share files to combine (${hint})`);
    await ensureAbsent([out]);
    const p = await crypto();
    const shares = [];
    for (const file of parsed.positionals) {
      try {
        shares.push(fromBase64Url((await readTextInput(file, 'share')).trim()));
      } catch (error) {
        if (error instanceof CandourCryptoError) throw new CommandFailed(`${file} is not a share (it must be one line of base64url)`);
        throw error;
      }
    }
    let material;
    try {
      material = combineRecoveryShares(p, shares);
    } catch (error) {
      if (error instanceof CandourCryptoError) throw new CommandFailed(`cannot rebuild the key: ${error.message}`);
      throw error;
    }
    const file = await sealKey(p, parsed, io, material, out);
    const publicText = publicPartText({
      signingPublicKey: material.signingSeed ? p.ed25519PublicKey(material.signingSeed) as never : null,
      boxPublicKey: material.boxSecretKey ? p.x25519PublicKey(material.boxSecretKey) as never : null,
    });
    wipe(p, material);
    await writeOutputs([{ path: out, data: file, secret: true }]);
    io.stdout.write(`rebuilt the ${material.kind} key and wrote ${out}\npublic part: ${publicText}\n`);
    return 0;
  },
};
