import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  asOrganisationId,
  dayNumber,
  issueCertificate,
  issueRoster,
  verifyDirectory,
} from '../../crypto/index.ts';
import { DirectoryService } from '../../server/services/directory-service.ts';
import { databaseKinds } from './helpers/databases.ts';
import { startTestDeployment, type TestDeployment } from './helpers/deployment.ts';

describe.each(databaseKinds)('directory publication on %s', (kind) => {
  let deployment: TestDeployment;
  beforeAll(async () => {
    deployment = await startTestDeployment(kind);
  });
  afterAll(() => deployment.close());

  it('serves a directory that verifies against the root, with every organisation', async () => {
    const document = await new DirectoryService(deployment.context).document();
    const orgs = verifyDirectory(deployment.crypto, document, [deployment.keys.rootPublicKey], dayNumber(new Date()));
    expect(orgs.map((o) => [o.name, o.kind, o.officers.length])).toEqual([
      ['Office of the Ombudsman', 'authority', 1],
      ['Department of Other Things', 'agency', 1],
      ['Ministry of Examples', 'agency', 2],
    ]);
  });

  it('knows each organisation’s recipients and officer signing keys', async () => {
    const service = new DirectoryService(deployment.context);
    const agency = deployment.keys.organisations[0]!;
    const recipients = await service.recipients(deployment.organisationIds[0]!);
    expect(recipients).toHaveLength(3);
    const signers = await service.officerSigningKeys(deployment.organisationIds[0]!);
    expect(signers.map((k) => Buffer.from(k).toString('hex')).sort()).toEqual(agency.officers.map((o) => Buffer.from(o.signingKey).toString('hex')).sort());
  });

  it('refuses an organisation certificate from an untrusted root, and a stale or foreign roster', async () => {
    const p = deployment.crypto;
    const service = new DirectoryService(deployment.context);
    const agency = deployment.keys.organisations[0]!;
    const stranger = issueCertificate(p, p.randomBytes(32) as never, {
      type: 'organisation',
      issuedDay: dayNumber(new Date()) - 1,
      expiresDay: dayNumber(new Date()) + 10,
      organisationId: asOrganisationId(p.randomBytes(16)),
      organisationKind: 'agency',
      signingKey: p.ed25519PublicKey(p.randomBytes(32)) as never,
      boxKey: null,
      name: 'Fake Agency',
    });
    await expect(service.publishOrganisation(stranger)).rejects.toMatchObject({ statusCode: 400, code: 'invalid_certificate' });
    await expect(service.publishRoster(deployment.organisationIds[0]!, agency.roster, agency.members)).rejects.toThrow(/serial/);
    const other = deployment.keys.organisations[2]!;
    await expect(service.publishRoster(deployment.organisationIds[0]!, other.roster, other.members)).rejects.toMatchObject({ code: 'invalid_certificate' });
    // A roster that lists an officer whose certificate is not supplied.
    const seed = agency.material.signingSeed!;
    const partial = issueRoster(p, seed, { organisationId: agency.id, issuedDay: dayNumber(new Date()), serial: 5, members: agency.members });
    await expect(service.publishRoster(deployment.organisationIds[0]!, partial, agency.members.slice(1))).rejects.toMatchObject({ code: 'invalid_certificate' });
  });

  it('leaves the old roster current when what must commit with a new one fails', async () => {
    const p = deployment.crypto;
    const service = new DirectoryService(deployment.context);
    const agency = deployment.keys.organisations[0]!;
    const members = agency.members.filter((m) => m !== agency.officers[1]!.certificate);
    const roster = issueRoster(p, agency.material.signingSeed!, { organisationId: agency.id, issuedDay: dayNumber(new Date()), serial: 2, members });
    const before = await service.document();
    await expect(service.publishRoster(deployment.organisationIds[0]!, roster, members, async () => {
      throw new Error('the audit entry could not be written');
    })).rejects.toThrow(/audit entry/);
    expect(await service.document()).toEqual(before);
    expect(await service.recipients(deployment.organisationIds[0]!)).toHaveLength(3);
  });

  it('retires an officer with a new roster', async () => {
    const p = deployment.crypto;
    const service = new DirectoryService(deployment.context);
    const agency = deployment.keys.organisations[0]!;
    const members = agency.members.filter((m) => m !== agency.officers[1]!.certificate);
    const roster = issueRoster(p, agency.material.signingSeed!, { organisationId: agency.id, issuedDay: dayNumber(new Date()), serial: 2, members });
    await service.publishRoster(deployment.organisationIds[0]!, roster, members);
    expect(await service.recipients(deployment.organisationIds[0]!)).toHaveLength(2);
    const orgs = verifyDirectory(p, await service.document(), [deployment.keys.rootPublicKey], dayNumber(new Date()));
    expect(orgs.find((o) => o.name === 'Ministry of Examples')!.officers.map((o) => o.name)).toEqual(['Aroha Officer']);
  });
});
