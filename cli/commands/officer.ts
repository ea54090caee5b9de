// Officer ceremonies: the officer makes their own key file; the organisation admin certifies it,
// and retires an officer by signing a roster without them.
import {
  asEd25519PublicKey,
  asOrganisationId,
  asX25519PublicKey,
  CandourCryptoError,
  certificateHash,
  type CertificateBytes,
  certifyOfficer,
  dayNumber,
  fingerprint,
  fromBase64Url,
  generateKeyMaterial,
  parseCertificate,
  parseRoster,
  signRoster,
  toBase64Url,
} from '../../crypto/index.ts';
import { CliError, type Command, CommandFailed } from '../command.ts';
import { noPositionals, optional, parse, positiveInteger, required } from '../lib/args.ts';
import { checkEntry, entryOf, readCertificate, readDirectoryEntry } from '../lib/certificates.ts';
import { ensureAbsent, readInput, writeOutputs } from '../lib/files.ts';
import { crypto, decodePublic, KDF_OPTION, KDF_USAGE, openKey, publicPartText, sealKey, wipe } from '../lib/keys.ts';
import { secretOption } from '../lib/secrets.ts';

export const officerKeygenCommand: Command = {
  name: 'officer keygen',
  summary: 'officer: make your own key file and print the public part to be certified',
  usage: [
    'Usage: candour officer keygen --out FILE [--kdf LEVEL] [--new-passphrase-file FILE]',
    '',
    'Makes your signing key (Ed25519, signs replies) and box key (X25519, receives disclosures),',
    'sealed under a passphrase only you know (asked twice on the terminal, or --new-passphrase-file /',
    'CANDOUR_NEW_PASSPHRASE), with Argon2id. Prints the public part (one base64url line) and its',
    'fingerprint: give both to your organisation admin for candour officer certify, and check the',
    'fingerprint the console later shows for you. The key file never goes to the server.',
    `  ${KDF_USAGE}`,
  ].join('\n'),
  async run(args, io) {
    const hint = 'candour officer keygen --help';
    const parsed = parse(args, { out: { type: 'string' }, ...KDF_OPTION, ...secretOption('new-passphrase') }, hint);
    noPositionals(parsed, hint);
    const out = required(parsed, 'out', hint);
    await ensureAbsent([out]);
    const p = await crypto();
    const material = generateKeyMaterial(p, 'officer');
    const file = await sealKey(p, parsed, io, material, out);
    const signingKey = asEd25519PublicKey(p.ed25519PublicKey(material.signingSeed!));
    const boxKey = asX25519PublicKey(p.x25519PublicKey(material.boxSecretKey!));
    wipe(p, material);
    await writeOutputs([{ path: out, data: file, secret: true }]);
    io.stdout.write(`wrote ${out}\nofficer public part: ${publicPartText({ signingPublicKey: signingKey, boxPublicKey: boxKey })}\nofficer fingerprint: ${fingerprint(p, signingKey)}\n`);
    return 0;
  },
};

export const officerCertifyCommand: Command = {
  name: 'officer certify',
  summary: 'organisation admin: certify an officer\'s public keys into a certificate file',
  usage: [
    'Usage: candour officer certify --org-key ORG_KEY --org-cert CERT --public PUBLIC_PART --name NAME',
    '                               [--days N] --out CERT',
    '',
    'PUBLIC_PART is the line candour officer keygen printed (signing key then box key, base64url).',
    'Compare the printed fingerprint with the one the officer reads to you before you certify.',
    'Signs with the organisation key (passphrase from --passphrase-file, CANDOUR_PASSPHRASE or the',
    'terminal). Prints the certificate hash that links the officer\'s server account to it',
    '(POST /api/officer/admin/officers/:id/certificate). The officer can read cases only once a',
    'roster lists the certificate (candour roster build, candour directory publish).',
  ].join('\n'),
  async run(args, io) {
    const hint = 'candour officer certify --help';
    const parsed = parse(args, {
      'org-key': { type: 'string' }, 'org-cert': { type: 'string' }, public: { type: 'string' }, name: { type: 'string' },
      days: { type: 'string' }, out: { type: 'string' }, ...secretOption('passphrase'),
    }, hint);
    noPositionals(parsed, hint);
    const [orgKeyPath, orgCertPath, publicText, name, out] = ['org-key', 'org-cert', 'public', 'name', 'out'].map((n) => required(parsed, n, hint)) as [string, string, string, string, string];
    const days = positiveInteger(optional(parsed, 'days'), '--days', 730);
    const publicPart = decodePublic(publicText, 64, '--public (an officer public part)');
    const signingKey = asEd25519PublicKey(publicPart.slice(0, 32));
    const boxKey = asX25519PublicKey(publicPart.slice(32));
    const p = await crypto();
    const orgCert = await readCertificate(p, orgCertPath, 'organisation');
    await ensureAbsent([out]);
    const org = await openKey(p, parsed, io, orgKeyPath, ['organisation']);
    let certificate;
    try {
      if (toBase64Url(org.signingPublicKey!) !== toBase64Url(orgCert.signingKey!)) throw new CommandFailed(`${orgKeyPath} is not the key ${orgCertPath} certifies`);
      certificate = certifyOfficer(p, org.signingSeed!, { today: dayNumber(new Date()), days, organisationId: orgCert.organisationId, name, signingKey, boxKey });
    } catch (error) {
      if (error instanceof CandourCryptoError || error instanceof RangeError) throw new CommandFailed(error.message);
      throw error;
    } finally {
      wipe(p, org);
    }
    await writeOutputs([{ path: out, data: certificate }]);
    io.stdout.write([
      `wrote ${out}`,
      `officer: ${name}`,
      `officer fingerprint: ${fingerprint(p, signingKey)}`,
      `certificate hash (to link the account): ${toBase64Url(certificateHash(p, certificate))}`,
      '',
    ].join('\n'));
    return 0;
  },
};

export const rosterBuildCommand: Command = {
  name: 'roster build',
  summary: 'organisation admin: sign the roster of current officers and recovery key into a directory entry',
  usage: [
    'Usage: candour roster build --org-key ORG_KEY --org-cert CERT --member CERT [--member CERT...]',
    '                            (--serial N | --previous ENTRY) --out ENTRY',
    '',
    'Signs a roster (docs/protocol.md §8) listing exactly the member certificates given (every',
    'current officer and the one recovery certificate) and writes the directory entry',
    '{"certificate", "roster", "members"} (base64url) that candour directory publish uploads. The',
    'serial must grow with every roster: give --serial, or --previous with the current entry to use',
    'its serial + 1. The entry is checked as a discloser\'s browser checks it before it is written.',
  ].join('\n'),
  async run(args, io) {
    const hint = 'candour roster build --help';
    const parsed = parse(args, {
      'org-key': { type: 'string' }, 'org-cert': { type: 'string' }, member: { type: 'string', multiple: true },
      serial: { type: 'string' }, previous: { type: 'string' }, out: { type: 'string' }, ...secretOption('passphrase'),
    }, hint);
    noPositionals(parsed, hint);
    const [orgKeyPath, orgCertPath, out] = [required(parsed, 'org-key', hint), required(parsed, 'org-cert', hint), required(parsed, 'out', hint)];
    const memberPaths = (parsed.values['member'] as string[] | undefined) ?? [];
    if (memberPaths.length === 0) throw new CliError(`give every member certificate with --member (${hint})`);
    const p = await crypto();
    const orgCert = await readCertificate(p, orgCertPath, 'organisation');
    const serial = await nextSerial(parsed.values, orgCert.signingKey!, hint);
    const members: CertificateBytes[] = [];
    for (const file of memberPaths) {
      const bytes = await readInput(file, 'member certificate');
      try {
        members.push(parseCertificate(p, bytes).bytes);
      } catch (error) {
        if (error instanceof CandourCryptoError) throw new CommandFailed(`${file} is not a valid certificate: ${error.message}`);
        throw error;
      }
    }
    await ensureAbsent([out]);
    const entry = await signEntry(parsed, io, orgKeyPath, orgCert, members, serial);
    await writeOutputs([{ path: out, data: `${JSON.stringify(entry, null, 2)}\n` }]);
    io.stdout.write(`wrote ${out}: roster serial ${serial} with ${members.length} member(s)\n`);
    return 0;
  },
};

export const officerRetireCommand: Command = {
  name: 'officer retire',
  summary: 'organisation admin: sign a new roster without an officer (their key stops receiving cases)',
  usage: [
    'Usage: candour officer retire --org-key ORG_KEY --entry CURRENT_ENTRY (--officer CERT | --fingerprint FP) --out NEW_ENTRY',
    '',
    'Writes a new directory entry whose roster (serial + 1) lists every member of CURRENT_ENTRY but',
    'the officer named by certificate file or fingerprint. Publish it with candour directory publish,',
    'and retire their server account (POST /api/officer/admin/officers/:id/retire). New disclosures',
    'are no longer sealed to their key; grants they already hold are not taken back.',
  ].join('\n'),
  async run(args, io) {
    const hint = 'candour officer retire --help';
    const parsed = parse(args, {
      'org-key': { type: 'string' }, entry: { type: 'string' }, officer: { type: 'string' }, fingerprint: { type: 'string' },
      out: { type: 'string' }, ...secretOption('passphrase'),
    }, hint);
    noPositionals(parsed, hint);
    const [orgKeyPath, entryPath, out] = [required(parsed, 'org-key', hint), required(parsed, 'entry', hint), required(parsed, 'out', hint)];
    const byCert = optional(parsed, 'officer');
    const byFingerprint = optional(parsed, 'fingerprint');
    if ((byCert === undefined) === (byFingerprint === undefined)) throw new CliError(`give exactly one of --officer CERT or --fingerprint FP (${hint})`);
    const p = await crypto();
    const current = await readDirectoryEntry(entryPath);
    const verified = checkEntry(p, current, dayNumber(new Date()));
    const orgCert = parseCertificate(p, fromBase64Url(current.certificate));
    const members = current.members.map((m) => parseCertificate(p, fromBase64Url(m)));
    let target: Uint8Array;
    if (byCert !== undefined) target = (await readCertificate(p, byCert, 'officer')).signingKey!;
    else {
      const wanted = byFingerprint!.toUpperCase().replace(/[^0-9A-Z]/g, '');
      const found = members.find((m) => m.type === 'officer' && fingerprint(p, m.signingKey!).replace(/ /g, '') === wanted);
      if (!found) throw new CommandFailed(`no officer in ${entryPath} has the fingerprint ${byFingerprint}`);
      target = found.signingKey!;
    }
    const remaining = members.filter((m) => !(m.type === 'officer' && toBase64Url(m.signingKey!) === toBase64Url(target)));
    if (remaining.length === members.length) throw new CommandFailed(`that officer is not on the roster in ${entryPath}`);
    if (!remaining.some((m) => m.type === 'officer')) throw new CommandFailed('the roster would have no officer left: certify another officer first');
    await ensureAbsent([out]);
    const entry = await signEntry(parsed, io, orgKeyPath, orgCert, remaining.map((m) => m.bytes), verified.rosterSerial + 1);
    const name = members.find((m) => m.signingKey && toBase64Url(m.signingKey) === toBase64Url(target))!.name;
    await writeOutputs([{ path: out, data: `${JSON.stringify(entry, null, 2)}\n` }]);
    io.stdout.write(`wrote ${out}: roster serial ${verified.rosterSerial + 1} without ${name} (${fingerprint(p, target)})\n`);
    return 0;
  },
};

async function nextSerial(values: Record<string, unknown>, organisationKey: Uint8Array, hint: string): Promise<number> {
  const serial = values['serial'];
  const previous = values['previous'];
  if ((typeof serial === 'string') === (typeof previous === 'string')) throw new CliError(`give exactly one of --serial N or --previous ENTRY (${hint})`);
  if (typeof serial === 'string') return positiveInteger(serial, '--serial');
  const p = await crypto();
  const entry = await readDirectoryEntry(previous as string);
  try {
    return parseRoster(p, fromBase64Url(entry.roster), asEd25519PublicKey(organisationKey)).serial + 1;
  } catch (error) {
    if (error instanceof CandourCryptoError) throw new CommandFailed(`the roster in ${String(previous)} does not verify under this organisation's key: ${error.message}`);
    throw error;
  }
}

async function signEntry(
  parsed: Parameters<typeof openKey>[1],
  io: Parameters<typeof openKey>[2],
  orgKeyPath: string,
  orgCert: ReturnType<typeof parseCertificate>,
  members: readonly CertificateBytes[],
  serial: number,
) {
  const p = await crypto();
  const org = await openKey(p, parsed, io, orgKeyPath, ['organisation']);
  try {
    if (toBase64Url(org.signingPublicKey!) !== toBase64Url(orgCert.signingKey!)) throw new CommandFailed(`${orgKeyPath} is not the organisation key of this certificate`);
    const today = dayNumber(new Date());
    const roster = signRoster(p, org.signingSeed!, { organisationId: asOrganisationId(orgCert.organisationId), today, serial, members });
    const entry = entryOf(orgCert.bytes, roster, members);
    checkEntry(p, entry, today);
    return entry;
  } finally {
    wipe(p, org);
  }
}
