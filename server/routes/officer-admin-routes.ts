// Administration of the admin's own organisation: officer accounts, their certificates, the
// roster, and the audit log. Paths are under /api/officer/admin; every one needs role admin.
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { strictObject } from '../http/strict-schema.ts';
import { listOrganisationAudit, verifyAuditChain } from '../services/audit-service.ts';
import { accountView, linkOfficerCertificate, listOfficers, publishRoster, retireOfficer } from '../services/officer-admin-service.ts';
import { createOfficer } from '../services/officer-auth-service.ts';
import { base64url, CERTIFICATE_HASH_BYTES, decodeBytes, plainText, uuid } from './officer-input.ts';
import { officerOf } from './officer-session.ts';

const admin = { officerAccess: 'admin' } as const;
const officerParams = strictObject({ officerId: uuid }, ['officerId']);
const MAX_CERTIFICATE_BYTES = 1024;
const MAX_ROSTER_BYTES = 3 + 16 + 4 + 4 + 2 + 32 * 1000 + 64;

interface NewOfficerBody {
  username: string;
  displayName: string;
  role: 'officer' | 'admin';
  password: string;
}

export function registerOfficerAdminRoutes(scope: FastifyInstance, context: AppContext): void {
  scope.get('/admin/officers', { config: admin }, async (request) => ({ officers: await listOfficers(context, officerOf(request)) }));

  scope.post<{ Body: NewOfficerBody }>('/admin/officers', {
    config: admin,
    schema: {
      body: strictObject({
        username: plainText(200, 3),
        displayName: plainText(200),
        role: { type: 'string', enum: ['officer', 'admin'] },
        password: { type: 'string', minLength: 1, maxLength: 1024 },
      }, ['username', 'displayName', 'role', 'password']),
    },
  }, async (request, reply) => {
    const session = officerOf(request);
    const row = await createOfficer(context, { ...request.body, organisationId: session.organisationId }, { actor: `officer:${session.officerId}` });
    return reply.status(201).send({ officer: accountView(row) });
  });

  scope.post<{ Params: { officerId: string } }>('/admin/officers/:officerId/retire', {
    config: admin,
    schema: { params: officerParams },
  }, async (request) => ({ officer: await retireOfficer(context, officerOf(request), request.params.officerId.toLowerCase()) }));

  scope.post<{ Params: { officerId: string }; Body: { certificateHash: string } }>('/admin/officers/:officerId/certificate', {
    config: admin,
    schema: { params: officerParams, body: strictObject({ certificateHash: base64url(43) }, ['certificateHash']) },
  }, async (request) => {
    const hash = decodeBytes(request.body.certificateHash, 'certificate hash', 'invalid_certificate', { exact: CERTIFICATE_HASH_BYTES });
    return { officer: await linkOfficerCertificate(context, officerOf(request), request.params.officerId.toLowerCase(), hash) };
  });

  scope.post<{ Body: { roster: string; certificates: string[] } }>('/admin/roster', {
    config: admin,
    bodyLimit: 2 * 1024 * 1024,
    schema: {
      body: strictObject({
        roster: base64url(Math.ceil((MAX_ROSTER_BYTES * 4) / 3)),
        certificates: { type: 'array', minItems: 1, maxItems: 1000, items: base64url(Math.ceil((MAX_CERTIFICATE_BYTES * 4) / 3)) },
      }, ['roster', 'certificates']),
    },
  }, async (request) => {
    const roster = decodeBytes(request.body.roster, 'roster', 'invalid_certificate', { min: 1, max: MAX_ROSTER_BYTES });
    const certificates = request.body.certificates.map((text, i) =>
      decodeBytes(text, `certificate ${i + 1}`, 'invalid_certificate', { min: 1, max: MAX_CERTIFICATE_BYTES }));
    return publishRoster(context, officerOf(request), roster, certificates);
  });

  scope.get<{ Querystring: { after?: string } }>('/admin/audit', {
    config: admin,
    schema: { querystring: strictObject({ after: { type: 'string', pattern: '^(0|[1-9][0-9]{0,17})$' } }) },
  }, async (request) => {
    const entries = await listOrganisationAudit(context.db, officerOf(request).organisationId, BigInt(request.query.after ?? '0'));
    return { entries };
  });

  scope.get('/admin/audit/verify', { config: admin }, async () => {
    const firstBrokenSeq = await verifyAuditChain(context.db, context.crypto);
    return { ok: firstBrokenSeq === null, firstBrokenSeq: firstBrokenSeq === null ? null : Number(firstBrokenSeq) };
  });
}
