// POST /api/officer/cases/:caseId/grants: an officer's console re-wraps a case's keys to a newly
// certified officer of the same organisation (see services/case-access-service.ts for the rules).
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { strictObject } from '../http/strict-schema.ts';
import { CaseAccessService } from '../services/case-access-service.ts';
import { caseParams, decodeGrants, type GrantText, MAX_GRANTS, referralGrantSchema } from './officer-input.ts';
import { officerOf } from './officer-session.ts';

/** Room for a long thread's message grants; every other officer body fits the default 64 KiB. */
const LARGE_BODY = 1024 * 1024;

export function registerOfficerGrantRoutes(scope: FastifyInstance, context: AppContext): void {
  const access = new CaseAccessService(context);
  scope.post<{ Params: { caseId: string }; Body: { grants: GrantText[] } }>('/cases/:caseId/grants', {
    bodyLimit: LARGE_BODY,
    schema: {
      params: caseParams,
      body: strictObject({ grants: { type: 'array', minItems: 1, maxItems: MAX_GRANTS, items: referralGrantSchema } }, ['grants']),
    },
  }, async (request, reply) => {
    const result = await access.grantToNewOfficers(officerOf(request), request.params.caseId.toLowerCase(), decodeGrants(request.body.grants));
    return reply.status(201).send(result);
  });
}
