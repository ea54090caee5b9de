import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  asEd25519PublicKey,
  asX25519PublicKey,
  certificateHash,
  dayNumber,
  issueCertificate,
  issueRoster,
  openDisclosureBody,
  openKeyGrant,
  toBase64Url,
} from '../../crypto/index.ts';
import { uuidToBytes } from '../../server/services/directory-service.ts';
import { databaseKinds } from './helpers/databases.ts';
import { startTestDeployment, type TestDeployment } from './helpers/deployment.ts';
import { as, createAccounts, CSRF, login, PASSWORD, sessionCookieOf, storeDisclosure, type TestOfficer } from './officer-fixtures.ts';

const START = new Date('2026-03-02T01:00:00Z');
const fromB64 = (text: string) => new Uint8Array(Buffer.from(text, 'base64url'));

describe.each(databaseKinds)('organisation administration on %s', (kind) => {
  let d: TestDeployment;
  let officers: Record<string, TestOfficer>;
  let aroha: ReturnType<typeof as>;
  let newOfficerId: string;

  beforeAll(async () => {
    d = await startTestDeployment(kind, { now: START });
    officers = await createAccounts(d);
    aroha = as(d, await login(d, 'aroha@examples.govt.nz'));
  });
  afterAll(() => d.close());

  it('creates an officer account that can sign in, and audits who created it', async () => {
    const created = await aroha.post('/api/officer/admin/officers', {
      username: 'Kiri@Examples.govt.nz',
      displayName: 'Kiri Officer',
      role: 'officer',
      password: PASSWORD,
    });
    expect(created.statusCode).toBe(201);
    const { officer } = created.json();
    newOfficerId = officer.id;
    expect(officer).toEqual({
      id: expect.any(String),
      username: 'kiri@examples.govt.nz',
      displayName: 'Kiri Officer',
      role: 'officer',
      totpEnabled: false,
      certificateHash: null,
      lockedUntil: null,
      retiredOn: null,
    });
    const stored = await d.context.db.selectFrom('officers').select(['password_hash', 'organisation_id']).where('id', '=', newOfficerId).executeTakeFirstOrThrow();
    expect(stored.password_hash).toMatch(/^\$argon2id\$v=19\$m=65536,t=2,p=1\$/);
    expect(stored.organisation_id).toBe(d.organisationIds[0]);
    const signIn = await d.app.inject({ method: 'POST', url: '/api/officer/login', headers: CSRF, payload: { username: 'kiri@examples.govt.nz', password: PASSWORD } });
    expect(signIn.statusCode).toBe(200);
    expect(sessionCookieOf(signIn)).toMatch(/^candour_officer=/);
    const audit = await d.context.db.selectFrom('audit_log').selectAll().where('subject', '=', `officer:${newOfficerId}`).orderBy('seq').execute();
    expect(audit[0]).toMatchObject({ action: 'officer.created', actor: `officer:${officers['aroha']!.id}`, organisation_id: d.organisationIds[0] });
  });

  it('lists the organisation’s officers without any secret', async () => {
    const { officers: listed } = (await aroha.get('/api/officer/admin/officers')).json();
    expect(listed.map((o: { username: string }) => o.username).sort()).toEqual(['aroha@examples.govt.nz', 'ben@examples.govt.nz', 'kiri@examples.govt.nz']);
    const text = JSON.stringify(listed);
    expect(text).not.toMatch(/argon2|password|totp_secret|recovery/i);
  });

  it('an officer with no linked certificate sees content metadata but gets no grants', async () => {
    const kiri = as(d, await login(d, 'kiri@examples.govt.nz'));
    const c = await storeDisclosure(d, 0);
    await kiri.post(`/api/officer/cases/${c.caseId}/conflict`, { conflict: false });
    const { content } = (await kiri.get(`/api/officer/cases/${c.caseId}`)).json();
    expect(content.keyLinked).toBe(false);
    expect(content.grants).toEqual([]);
  });

  it('publishes a new roster with a new officer certificate, links it, and new disclosures are sealed to it', async () => {
    const p = d.crypto;
    const org = d.keys.organisations[0]!;
    const seed = org.material.signingSeed!;
    const signingSeed = p.randomBytes(32);
    const boxSecret = p.randomBytes(32);
    const today = dayNumber(START);
    const certificate = issueCertificate(p, seed, {
      type: 'officer',
      issuedDay: today,
      expiresDay: today + 365,
      organisationId: org.id,
      organisationKind: 'none',
      signingKey: asEd25519PublicKey(p.ed25519PublicKey(signingSeed)),
      boxKey: asX25519PublicKey(p.x25519PublicKey(boxSecret)),
      name: 'Kiri Officer',
    });
    const members = [...org.members, certificate];
    const roster = issueRoster(p, seed, { organisationId: org.id, issuedDay: today, serial: 2, members });
    const published = await aroha.post('/api/officer/admin/roster', { roster: toBase64Url(roster), certificates: members.map((m) => toBase64Url(m)) });
    expect(published.statusCode).toBe(200);
    expect(published.json()).toEqual({ serial: 2 });

    const hash = toBase64Url(certificateHash(p, certificate));
    const linked = await aroha.post(`/api/officer/admin/officers/${newOfficerId}/certificate`, { certificateHash: hash });
    expect(linked.statusCode).toBe(200);
    expect(linked.json().officer.certificateHash).toBe(hash);
    const actions = (await aroha.get('/api/officer/admin/audit')).json().entries.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['organisation.roster_published', 'officer.certificate_linked']));

    const kiri = as(d, await login(d, 'kiri@examples.govt.nz'));
    const c = await storeDisclosure(d, 0);
    await kiri.post(`/api/officer/cases/${c.caseId}/conflict`, { conflict: false });
    const { content } = (await kiri.get(`/api/officer/cases/${c.caseId}`)).json();
    expect(content.keyLinked).toBe(true);
    const key = openKeyGrant(p, fromB64(content.grants[0].grant), 'content', { publicKey: asX25519PublicKey(p.x25519PublicKey(boxSecret)), secretKey: boxSecret as never });
    expect(openDisclosureBody(p, key, uuidToBytes(c.caseId) as never, fromB64(content.disclosure.body)).answers).toEqual({ what: 'Tender rigging in procurement' });
  });
});
