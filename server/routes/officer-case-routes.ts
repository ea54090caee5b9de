// Cases of the officer's organisation: list, read, download attachments, and the actions.
// Paths are under /api/officer; every one needs a session (see officer-session.ts).
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { FORMAT_VERSION, SUITE_V1 } from '../../crypto/index.ts';
import type { AppContext } from '../context.ts';
import type { CaseStatus } from '../db/schema.ts';
import { ApiError } from '../http/api-error.ts';
import { strictObject } from '../http/strict-schema.ts';
import { CASE_STATUSES } from '../statutory/case-workflow.ts';
import { CaseBundleService } from '../services/case-bundle-service.ts';
import { type AssignedQuery, CaseService, type DueQuery, REVEAL_REASONS, type RevealReason } from '../services/case-service.ts';
import { DUTIES } from '../services/duty-tracking.ts';
import { StatutoryCaseService } from '../services/statutory-case-service.ts';
import type { Section13Duty } from '../statutory/working-days.ts';
import {
  base64url,
  caseParams,
  decodeBytes,
  decodeGrants,
  type GrantText,
  grantSchema,
  isoDate,
  MAX_GRANTS,
  plainText,
  referralGrantSchema,
  uuid,
} from './officer-input.ts';
import { MAX_MESSAGE_BYTES } from '../services/thread-service.ts';
import { officerOf } from './officer-session.ts';

const MAX_NOTE_BYTES = 256 * 1024;
/** Room for a note or referral with many grants; every other officer body fits the default 64 KiB. */
const LARGE_BODY = 1024 * 1024;

type CaseParams = { caseId: string };

export function registerOfficerCaseRoutes(scope: FastifyInstance, context: AppContext): void {
  const cases = new CaseService(context);
  const bundles = new CaseBundleService(context);
  const statutory = new StatutoryCaseService(context);

  scope.get<{ Querystring: { status?: CaseStatus; assigned?: AssignedQuery; due?: DueQuery } }>('/cases', {
    schema: {
      querystring: strictObject({
        status: { type: 'string', enum: CASE_STATUSES },
        assigned: { type: 'string', enum: ['me', 'unassigned', 'any'] },
        due: { type: 'string', enum: ['soon', 'overdue'] },
      }),
    },
  }, async (request) =>
    cases.list(officerOf(request), { status: request.query.status, assigned: request.query.assigned ?? 'any', due: request.query.due }));

  scope.get<{ Params: CaseParams }>('/cases/:caseId', { schema: { params: caseParams } }, async (request) =>
    cases.get(officerOf(request), request.params.caseId.toLowerCase()));

  scope.get<{ Params: CaseParams & { attachmentId: string } }>('/cases/:caseId/attachments/:attachmentId', {
    schema: { params: strictObject({ caseId: uuid, attachmentId: uuid }, ['caseId', 'attachmentId']) },
  }, async (request, reply) => {
    const { frames } = await cases.openAttachment(officerOf(request), request.params.caseId.toLowerCase(), request.params.attachmentId.toLowerCase());
    return reply.type('application/octet-stream').send(Readable.from(frames(), { objectMode: false }));
  });

  // The air-gapped route: one file with the case's ciphertexts for `candour decrypt` (docs/protocol.md §15).
  scope.get<{ Params: CaseParams }>('/cases/:caseId/bundle', { schema: { params: caseParams } }, async (request, reply) => {
    const { filename, pieces } = await bundles.export(officerOf(request), request.params.caseId.toLowerCase());
    return reply
      .type('application/octet-stream')
      .header('content-disposition', `attachment; filename="${filename}"`)
      .send(Readable.from(pieces(), { objectMode: false }));
  });

  scope.post<{ Params: CaseParams; Body: { conflict: boolean } }>('/cases/:caseId/conflict', {
    schema: { params: caseParams, body: strictObject({ conflict: { type: 'boolean' } }, ['conflict']) },
  }, async (request) => cases.declareConflict(officerOf(request), request.params.caseId.toLowerCase(), request.body.conflict));

  scope.post<{ Params: CaseParams; Body: { status: CaseStatus } }>('/cases/:caseId/status', {
    schema: { params: caseParams, body: strictObject({ status: { type: 'string', enum: CASE_STATUSES } }, ['status']) },
  }, async (request) => cases.changeStatus(officerOf(request), request.params.caseId.toLowerCase(), request.body.status));

  scope.post<{ Params: CaseParams; Body: { officerId: string | null } }>('/cases/:caseId/assign', {
    schema: { params: caseParams, body: strictObject({ officerId: { anyOf: [uuid, { type: 'null' }] } }, ['officerId']) },
  }, async (request) =>
    cases.assign(officerOf(request), request.params.caseId.toLowerCase(), request.body.officerId?.toLowerCase() ?? null));

  scope.post<{ Params: CaseParams; Body: { reason: RevealReason; note: string } }>('/cases/:caseId/reveal-identity', {
    schema: {
      params: caseParams,
      body: strictObject({ reason: { type: 'string', enum: REVEAL_REASONS }, note: plainText(1000) }, ['reason', 'note']),
    },
  }, async (request) =>
    cases.revealIdentity(officerOf(request), request.params.caseId.toLowerCase(), request.body.reason, request.body.note));

  scope.post<{ Params: CaseParams; Body: { duty: Section13Duty; note?: string } }>('/cases/:caseId/duties', {
    schema: { params: caseParams, body: strictObject({ duty: { type: 'string', enum: DUTIES }, note: plainText(1000) }, ['duty']) },
  }, async (request, reply) => {
    const result = await statutory.recordDuty(officerOf(request), request.params.caseId.toLowerCase(), request.body.duty, request.body.note);
    return reply.status(201).send(result);
  });

  scope.post<{ Params: CaseParams; Body: { expectedBy: string } }>('/cases/:caseId/timeframe', {
    schema: { params: caseParams, body: strictObject({ expectedBy: isoDate }, ['expectedBy']) },
  }, async (request, reply) => {
    const result = await statutory.recordTimeframe(officerOf(request), request.params.caseId.toLowerCase(), request.body.expectedBy);
    return reply.status(201).send(result);
  });

  // A consult needs no input (send `{}`); an optional note goes to the authority's audit log only.
  scope.post<{ Params: CaseParams; Body: { note?: string } }>('/cases/:caseId/consult-source', {
    schema: { params: caseParams, body: strictObject({ note: plainText(1000) }) },
  }, async (request, reply) => {
    const result = await statutory.consultSource(officerOf(request), request.params.caseId.toLowerCase(), request.body.note);
    return reply.status(201).send(result);
  });

  scope.post<{ Params: CaseParams; Body: { note: string; grants: GrantText[] } }>('/cases/:caseId/notes', {
    bodyLimit: LARGE_BODY,
    schema: {
      params: caseParams,
      body: strictObject({
        note: base64url(Math.ceil((MAX_NOTE_BYTES * 4) / 3)),
        grants: { type: 'array', minItems: 1, maxItems: MAX_GRANTS, items: grantSchema },
      }, ['note', 'grants']),
    },
  }, async (request, reply) => {
    const note = decodeBytes(request.body.note, 'note', 'invalid_ciphertext', { min: 3 + 24 + 16, max: MAX_NOTE_BYTES });
    // The console chooses the note's format; it must at least be a versioned Candour object.
    if (note[0] !== FORMAT_VERSION || note[1] !== SUITE_V1) throw new ApiError(400, 'invalid_ciphertext', 'The note must be a version 1 Candour ciphertext.');
    const result = await cases.addNote(officerOf(request), request.params.caseId.toLowerCase(), { note, grants: decodeGrants(request.body.grants) });
    return reply.status(201).send(result);
  });

  scope.post<{ Params: CaseParams; Body: { message: string; grants: GrantText[]; attachmentIds?: string[] } }>('/cases/:caseId/reply', {
    bodyLimit: LARGE_BODY + MAX_MESSAGE_BYTES * 2,
    schema: {
      params: caseParams,
      body: strictObject({
        message: base64url(Math.ceil((MAX_MESSAGE_BYTES * 4) / 3)),
        grants: { type: 'array', minItems: 1, maxItems: MAX_GRANTS, items: grantSchema },
        attachmentIds: { type: 'array', maxItems: 100, uniqueItems: true, items: uuid },
      }, ['message', 'grants']),
    },
  }, async (request, reply) => {
    const message = decodeBytes(request.body.message, 'message', 'invalid_message', { min: 1, max: MAX_MESSAGE_BYTES });
    const result = await cases.reply(officerOf(request), request.params.caseId.toLowerCase(), {
      message,
      grants: decodeGrants(request.body.grants),
      attachmentIds: (request.body.attachmentIds ?? []).map((id) => id.toLowerCase()),
    });
    return reply.status(201).send(result);
  });

  // s 16: a referral only after consulting the discloser and the authority, each on a recorded date.
  scope.post<{ Params: CaseParams; Body: { caseId: string; organisationId: string; consulted: { discloserOn: string; authorityOn: string }; grants: GrantText[] } }>('/cases/:caseId/referral', {
    bodyLimit: LARGE_BODY,
    schema: {
      params: caseParams,
      body: strictObject({
        caseId: uuid,
        organisationId: uuid,
        consulted: strictObject({ discloserOn: isoDate, authorityOn: isoDate }, ['discloserOn', 'authorityOn']),
        grants: { type: 'array', minItems: 1, maxItems: MAX_GRANTS, items: referralGrantSchema },
      }, ['caseId', 'organisationId', 'consulted', 'grants']),
    },
  }, async (request, reply) => {
    const { created, ...answer } = await cases.refer(officerOf(request), request.params.caseId.toLowerCase(), {
      caseId: request.body.caseId,
      organisationId: request.body.organisationId,
      consulted: request.body.consulted,
      grants: decodeGrants(request.body.grants),
    });
    return reply.status(created ? 201 : 200).send(answer);
  });
}
