// Operator ceremonies: the offline root key that certifies organisations, and its rotation.
import { dayNumber, generateKeyMaterial, issueRootRotation, toBase64Url, verifyRootRotation, CandourCryptoError, fingerprint } from '../../crypto/index.ts';
import { type Command, CommandFailed } from '../command.ts';
import { noPositionals, parse, required } from '../lib/args.ts';
import { readInput, writeOutputs, ensureAbsent } from '../lib/files.ts';
import { crypto, describeKey, KDF_OPTION, KDF_USAGE, openKey, sealKey, wipe } from '../lib/keys.ts';
import { secretOption } from '../lib/secrets.ts';

export const rootCreateCommand: Command = {
  name: 'root create',
  summary: 'operator: make the root key file and print its public key and fingerprint',
  usage: [
    'Usage: candour root create --out FILE [--kdf LEVEL] [--new-passphrase-file FILE]',
    '',
    'Makes a new root key (Ed25519) on this (offline) machine and writes it to FILE, sealed under a',
    'new passphrase (asked twice on the terminal, or from --new-passphrase-file / CANDOUR_NEW_PASSPHRASE).',
    'Prints the public key for CANDOUR_ROOT_PUBLIC_KEYS and CANDOUR_PINNED_ROOT_KEYS, and its',
    'fingerprint to read out and publish.',
    `  ${KDF_USAGE}`,
  ].join('\n'),
  async run(args, io) {
    const hint = 'candour root create --help';
    const parsed = parse(args, { out: { type: 'string' }, ...KDF_OPTION, ...secretOption('new-passphrase') }, hint);
    noPositionals(parsed, hint);
    const out = required(parsed, 'out', hint);
    await ensureAbsent([out]);
    const p = await crypto();
    const material = generateKeyMaterial(p, 'root');
    const file = await sealKey(p, parsed, io, material, out);
    const publicKey = p.ed25519PublicKey(material.signingSeed!);
    wipe(p, material);
    await writeOutputs([{ path: out, data: file, secret: true }]);
    io.stdout.write(`wrote ${out}\n${describeKey(p, 'root public key', publicKey)}`);
    return 0;
  },
};

export const rootRotateCommand: Command = {
  name: 'root rotate',
  summary: 'operator: make a new root key, cross-signed with the old one in a rotation record',
  usage: [
    'Usage: candour root rotate --key OLD_ROOT --out NEW_ROOT --record FILE [--kdf LEVEL]',
    '                           [--passphrase-file FILE] [--new-passphrase-file FILE]',
    '',
    'Opens the old root key (passphrase from --passphrase-file, CANDOUR_PASSPHRASE or the terminal),',
    'makes a new root key sealed under a new passphrase (--new-passphrase-file, CANDOUR_NEW_PASSPHRASE),',
    'and writes a rotation record (docs/protocol.md §16) signed by both keys. Publish the record with',
    'the new key; list both keys in CANDOUR_ROOT_PUBLIC_KEYS and CANDOUR_PINNED_ROOT_KEYS until every',
    'organisation is certified again with the new key (candour org certify --root NEW_ROOT).',
    `  ${KDF_USAGE}`,
  ].join('\n'),
  async run(args, io) {
    const hint = 'candour root rotate --help';
    const parsed = parse(args, {
      key: { type: 'string' }, out: { type: 'string' }, record: { type: 'string' }, ...KDF_OPTION,
      ...secretOption('passphrase'), ...secretOption('new-passphrase'),
    }, hint);
    noPositionals(parsed, hint);
    const [keyPath, out, record] = [required(parsed, 'key', hint), required(parsed, 'out', hint), required(parsed, 'record', hint)];
    await ensureAbsent([out, record]);
    const p = await crypto();
    const old = await openKey(p, parsed, io, keyPath, ['root']);
    const material = generateKeyMaterial(p, 'root');
    const file = await sealKey(p, parsed, io, material, out);
    const rotation = issueRootRotation(p, old.signingSeed!, material.signingSeed!, dayNumber(new Date()));
    const [oldKey, newKey] = [old.signingPublicKey!, p.ed25519PublicKey(material.signingSeed!)];
    wipe(p, old);
    wipe(p, material);
    await writeOutputs([{ path: out, data: file, secret: true }, { path: record, data: rotation }]);
    io.stdout.write([
      `wrote ${out} and the rotation record ${record}`,
      describeKey(p, 'old root public key', oldKey).trimEnd(),
      describeKey(p, 'new root public key', newKey).trimEnd(),
      `during the rotation: CANDOUR_ROOT_PUBLIC_KEYS=${toBase64Url(oldKey)},${toBase64Url(newKey)}`,
      '',
    ].join('\n'));
    return 0;
  },
};

export const rootVerifyRotationCommand: Command = {
  name: 'root verify-rotation',
  summary: 'check a root rotation record and print the old and new root keys it links',
  usage: [
    'Usage: candour root verify-rotation RECORD',
    '',
    'Checks both signatures of a rotation record (docs/protocol.md §16) and prints the two keys and',
    'their fingerprints. Exit 1 if either signature fails. Compare the old key with the one you trust.',
  ].join('\n'),
  async run(args, io) {
    const hint = 'candour root verify-rotation --help';
    const parsed = parse(args, {}, hint);
    const [file, ...rest] = parsed.positionals;
    if (file === undefined || rest.length > 0) throw new CommandFailed(`expected one rotation record (${hint})`);
    const p = await crypto();
    try {
      const rotation = verifyRootRotation(p, await readInput(file, 'rotation record'));
      io.stdout.write([
        `rotation record: both signatures verify (issued day ${new Date(rotation.issuedDay * 86_400_000).toISOString().slice(0, 10)})`,
        `old root: ${toBase64Url(rotation.oldRootKey)} (${fingerprint(p, rotation.oldRootKey)})`,
        `new root: ${toBase64Url(rotation.newRootKey)} (${fingerprint(p, rotation.newRootKey)})`,
        '',
      ].join('\n'));
      return 0;
    } catch (error) {
      if (error instanceof CandourCryptoError) throw new CommandFailed(`${file}: ${error.message}`);
      throw error;
    }
  },
};
