// The demo deployment `npm start` sets up on a bare machine: when the database has no
// organisation yet, it runs the key ceremony (a demo root, a demo agency and the Ombudsman, each
// with officers and a recovery key), writes every key file and an officer login sheet to
// `<data>/demo/`, and publishes the directory. Everything is labelled demo; production refuses
// to start with any of it (see assertNoUntrustedOrganisations).
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  ARGON2_INTERACTIVE,
  createKeyFile,
  type KeyMaterial,
  parseCertificate,
  type Primitives,
  SERVER_SECRET_BYTES,
  toBase64Url,
} from '../../crypto/index.ts';
import type { Config } from '../config.ts';
import { ConfigError } from '../config.ts';
import type { AppContext } from '../context.ts';
import { OrganisationRepository } from '../repositories/organisation-repository.ts';
import { DirectoryService, uuidFromBytes } from '../services/directory-service.ts';
import { type DeploymentKeys, type OrganisationSpec, runKeyCeremony } from './ceremony.ts';

export const DEMO_ORGANISATIONS: readonly OrganisationSpec[] = [
  {
    name: 'Demo Agency (Te Tari Tauira)',
    kind: 'agency',
    officers: [
      { name: 'Demo Officer Aroha', username: 'aroha@demo-agency.example', role: 'admin' },
      { name: 'Demo Officer Ben', username: 'ben@demo-agency.example', role: 'officer' },
    ],
  },
  {
    name: 'Ombudsman (demo)',
    kind: 'authority',
    officers: [{ name: 'Demo Investigator Olivia', username: 'olivia@demo-ombudsman.example', role: 'admin' }],
  },
];

export interface DemoFolder {
  readonly dir: string;
  readonly rootPublicKeyFile: string;
  readonly serverSecretFile: string;
  readonly loginSheet: string;
}

export function demoFolder(config: Config): DemoFolder {
  const dir = path.join(config.dataDir, 'demo');
  return {
    dir,
    rootPublicKeyFile: path.join(dir, 'root-public-key.txt'),
    serverSecretFile: path.join(dir, 'server-secret'),
    loginSheet: path.join(dir, 'OFFICER-LOGINS.txt'),
  };
}

async function readIfPresent(file: string): Promise<string | undefined> {
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Demo settings kept in the data folder so restarts keep working: the server secret and the
 * demo root key. Production takes both from the environment instead.
 */
export async function loadDemoSettings(p: Primitives, config: Config): Promise<{ serverSecret: Uint8Array; rootPublicKeys: Uint8Array[] }> {
  const folder = demoFolder(config);
  await mkdir(folder.dir, { recursive: true, mode: 0o700 });
  let secret = await readIfPresent(folder.serverSecretFile);
  if (secret === undefined) {
    secret = toBase64Url(p.randomBytes(SERVER_SECRET_BYTES));
    await writeFile(folder.serverSecretFile, `${secret}\n`, { mode: 0o600 });
  }
  const root = await readIfPresent(folder.rootPublicKeyFile);
  return {
    serverSecret: new Uint8Array(Buffer.from(secret, 'base64url')),
    rootPublicKeys: [...config.rootPublicKeys, ...(root ? [new Uint8Array(Buffer.from(root, 'base64url'))] : [])],
  };
}

function passphrase(p: Primitives): string {
  // Demo only: six random words would be better; these are printed on the login sheet anyway.
  return `demo-${toBase64Url(p.randomBytes(9))}`;
}

async function writeKeyFile(p: Primitives, file: string, material: KeyMaterial, secret: string): Promise<void> {
  // INTERACTIVE limits so the demo starts in seconds; real key files use MODERATE (the CLI default).
  await writeFile(file, createKeyFile(p, material, secret, ARGON2_INTERACTIVE), { mode: 0o600 });
}

export interface DemoOfficerLogin {
  readonly organisationId: string;
  readonly username: string;
  readonly displayName: string;
  readonly role: 'officer' | 'admin';
  readonly password: string;
  readonly certificate: Uint8Array;
}

/**
 * First start of a demo: makes and publishes the deployment, writes the key files and login
 * sheet, and returns the officer logins for the caller to create accounts with. Does nothing
 * (returns null) when organisations exist already.
 */
export async function seedDemoDeployment(
  context: AppContext,
  createOfficers: (logins: readonly DemoOfficerLogin[]) => Promise<void>,
): Promise<{ keys: DeploymentKeys; folder: DemoFolder } | null> {
  if ((await new OrganisationRepository(context.db).count()) > 0) return null;
  const p = context.crypto;
  const folder = demoFolder(context.config);
  const keys = runKeyCeremony(p, DEMO_ORGANISATIONS, context.now());
  await mkdir(folder.dir, { recursive: true, mode: 0o700 });
  await writeFile(folder.rootPublicKeyFile, `${toBase64Url(keys.rootPublicKey)}\n`);

  // The directory service checks organisation certificates against the configured roots, which
  // now include the new demo root.
  const directory = new DirectoryService({
    ...context,
    config: { ...context.config, rootPublicKeys: [...context.config.rootPublicKeys, keys.rootPublicKey] },
  });
  const sheet: string[] = [
    'CANDOUR DEMO DEPLOYMENT — officer logins and key files',
    'For trying Candour out only. Anyone with this folder can read every demo disclosure.',
    '',
  ];
  const rootSecret = passphrase(p);
  await writeKeyFile(p, path.join(folder.dir, 'root.candour-key'), keys.root, rootSecret);
  sheet.push(`Operator root key: root.candour-key  passphrase: ${rootSecret}`, '');

  const logins: DemoOfficerLogin[] = [];
  for (const organisation of keys.organisations) {
    const id = uuidFromBytes(organisation.id);
    await directory.publishOrganisation(organisation.certificate);
    await directory.publishRoster(id, organisation.roster, organisation.members);
    const slug = organisation.spec.kind === 'authority' ? 'ombudsman' : 'agency';
    const orgSecret = passphrase(p);
    const recoverySecret = passphrase(p);
    await writeKeyFile(p, path.join(folder.dir, `${slug}-signing.candour-key`), organisation.material, orgSecret);
    await writeKeyFile(p, path.join(folder.dir, `${slug}-recovery.candour-key`), organisation.recoveryMaterial, recoverySecret);
    sheet.push(`${organisation.spec.name} (${organisation.spec.kind}), id ${id}`);
    sheet.push(`  organisation signing key: ${slug}-signing.candour-key  passphrase: ${orgSecret}`);
    sheet.push(`  recovery key: ${slug}-recovery.candour-key  passphrase: ${recoverySecret}`);
    for (const officer of organisation.officers) {
      const password = passphrase(p);
      const keyPassphrase = passphrase(p);
      const file = `${slug}-${officer.username.split('@')[0]}.candour-key`;
      await writeKeyFile(p, path.join(folder.dir, file), officer.material, keyPassphrase);
      logins.push({ organisationId: id, username: officer.username, displayName: officer.name, role: officer.role, password, certificate: officer.certificate });
      sheet.push(`  ${officer.role} ${officer.name}: login ${officer.username}  password ${password}`);
      sheet.push(`    key file ${file}  passphrase ${keyPassphrase}`);
    }
    sheet.push('');
  }
  await createOfficers(logins);
  await writeFile(folder.loginSheet, `${sheet.join('\n')}\n`, { mode: 0o600 });
  await chmod(folder.dir, 0o700);
  return { keys, folder };
}

/**
 * Production must not serve organisations certified by a root it does not trust, such as a demo
 * root left in the database. Lists every such organisation in one error.
 */
export async function assertNoUntrustedOrganisations(context: AppContext): Promise<void> {
  const roots = context.config.rootPublicKeys;
  const problems: string[] = [];
  for (const organisation of await new OrganisationRepository(context.db).list()) {
    const issuer = parseCertificate(context.crypto, organisation.certificate).issuerKey;
    if (!roots.some((root) => Buffer.from(root).equals(Buffer.from(issuer)))) {
      problems.push(`organisation "${organisation.name}" is certified by a root key not in CANDOUR_ROOT_PUBLIC_KEYS (demo keys?)`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
}
