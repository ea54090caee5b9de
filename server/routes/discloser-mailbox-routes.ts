// Mailbox login and everything a logged-in mailbox does. Authenticated routes take the session as
// `Authorization: Bearer <token>`; the token is checked and the mailbox's own rate limit applied
// before the body is read. Headers never reach the log (http/logging.ts).
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { GRANT_BYTES, SIGNATURE_BYTES, toBase64Url } from '../../crypto/index.ts';
import { ApiError } from '../http/api-error.ts';
import { strictObject } from '../http/strict-schema.ts';
import { MAX_MESSAGE_BYTES } from '../services/thread-service.ts';
import {
  attachmentIdsSchema,
  binarySchema,
  decodeField,
  decodeKey,
  idParams,
  keySchema,
  powSchema,
  tokenSchema,
  uuidSchema,
} from './discloser-input.ts';
import type { DiscloserServices } from './discloser-routes.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The public auth key of the mailbox whose session token this request carried. */
    mailboxAuthKey: Uint8Array | null;
  }
}

const MAX_GRANTS = 1024;
const MAX_ESCALATION_GRANTS = 4096;
const MESSAGE_BODY_LIMIT = Math.ceil((MAX_MESSAGE_BYTES * 4) / 3) + MAX_GRANTS * 200 + 16 * 1024;
const ESCALATION_BODY_LIMIT = MAX_ESCALATION_GRANTS * 300 + 16 * 1024;
const BEARER = /^Bearer ([A-Za-z0-9_-]{1,256})$/i;

const grantSchema = binarySchema(2 * GRANT_BYTES);

const messageBody = strictObject({
  message: binarySchema(MAX_MESSAGE_BYTES),
  grants: {
    type: 'array',
    minItems: 1,
    maxItems: MAX_GRANTS,
    items: strictObject({ recipientKey: keySchema, grant: grantSchema }, ['recipientKey', 'grant']),
  },
  attachmentIds: attachmentIdsSchema,
}, ['message', 'grants']);

const escalationBody = strictObject({
  caseId: uuidSchema,
  sourceCaseId: uuidSchema,
  organisationId: uuidSchema,
  grants: {
    type: 'array',
    minItems: 1,
    maxItems: MAX_ESCALATION_GRANTS,
    items: strictObject({
      recipientKey: keySchema,
      purpose: { type: 'string', enum: ['content', 'identity', 'message'] },
      threadId: uuidSchema,
      seq: { type: 'integer', minimum: 0, maximum: 2 ** 31 - 1 },
      grant: grantSchema,
    }, ['recipientKey', 'purpose', 'grant']),
  },
}, ['caseId', 'sourceCaseId', 'organisationId', 'grants']);

interface MessageBody {
  message: string;
  grants: { recipientKey: string; grant: string }[];
  attachmentIds: string[];
}

interface EscalationBody {
  caseId: string;
  sourceCaseId: string;
  organisationId: string;
  grants: { recipientKey: string; purpose: 'content' | 'identity' | 'message'; threadId?: string; seq?: number; grant: string }[];
}

export function registerMailboxRoutes(app: FastifyInstance, services: DiscloserServices): void {
  const { abuse, mailboxes, submissions } = services;
  const quiet = { accessLog: false };

  app.post<{ Body: { authKey: string; pow: { challenge: string; nonce: string } } }>('/api/mailbox/challenge', {
    config: quiet,
    schema: { body: strictObject({ authKey: keySchema, pow: powSchema }, ['authKey', 'pow']) },
  }, async (request) => mailboxes.challenge(decodeKey('authKey', request.body.authKey), request.body.pow));

  app.post<{ Body: { authKey: string; challenge: string; answer: string } }>('/api/mailbox/session', {
    config: quiet,
    schema: {
      body: strictObject({ authKey: keySchema, challenge: tokenSchema, answer: binarySchema(2 * SIGNATURE_BYTES) }, ['authKey', 'challenge', 'answer']),
    },
  }, async (request) => {
    const { authKey, challenge, answer } = request.body;
    return mailboxes.session(decodeKey('authKey', authKey), challenge, decodeField('answer', answer));
  });

  void app.register(async (scope) => {
    scope.decorateRequest('mailboxAuthKey', null);
    scope.addHook('onRequest', async (request, reply) => {
      const match = BEARER.exec(request.headers.authorization ?? '');
      try {
        if (!match) throw new ApiError(401, 'unauthenticated', 'Open your mailbox first: this needs its session token.');
        request.mailboxAuthKey = mailboxes.authenticate(match[1]!);
      } catch (error) {
        if (error instanceof ApiError && error.statusCode === 401) reply.header('www-authenticate', 'Bearer');
        throw error;
      }
      abuse.limitMailbox(request.mailboxAuthKey);
    });

    scope.get('/api/mailbox', { config: quiet }, async (request) => {
      const overview = await mailboxes.overview(authKeyOf(request));
      return {
        cases: overview.cases,
        disclosures: overview.disclosures.map((d) => ({
          ...d,
          body: toBase64Url(d.body),
          identity: d.identity === null ? null : toBase64Url(d.identity),
        })),
        grants: overview.grants.map((g) => ({ ...g, grant: toBase64Url(g.grant) })),
      };
    });

    scope.get<{ Params: { caseId: string } }>('/api/mailbox/threads/:caseId', {
      config: quiet,
      schema: { params: idParams('caseId') },
    }, async (request) => {
      const messages = await mailboxes.thread(authKeyOf(request), request.params.caseId);
      return { messages: messages.map((m) => ({ seq: m.seq, message: toBase64Url(m.message) })) };
    });

    scope.post<{ Params: { caseId: string }; Body: MessageBody }>('/api/mailbox/threads/:caseId/messages', {
      config: quiet,
      bodyLimit: MESSAGE_BODY_LIMIT,
      schema: { params: idParams('caseId'), body: messageBody },
    }, async (request, reply) => {
      const body = request.body;
      const result = await mailboxes.postMessage(
        authKeyOf(request),
        request.params.caseId,
        decodeField('message', body.message),
        body.grants.map((g, i) => ({
          recipientKey: decodeKey(`grants[${i}].recipientKey`, g.recipientKey),
          grant: decodeField(`grants[${i}].grant`, g.grant),
        })),
        body.attachmentIds,
      );
      return reply.code(201).send(result);
    });

    scope.get<{ Params: { id: string } }>('/api/mailbox/attachments/:id', {
      config: quiet,
      schema: { params: idParams('id') },
    }, async (request, reply) => {
      const attachment = await mailboxes.attachment(authKeyOf(request), request.params.id);
      return reply
        .type('application/octet-stream')
        .header('content-length', String(BigInt(attachment.header.length) + BigInt(attachment.stored_bytes)))
        .send(Readable.from(mailboxes.blob(attachment), { objectMode: false }));
    });

    scope.post<{ Body: EscalationBody }>('/api/mailbox/escalations', {
      config: quiet,
      bodyLimit: ESCALATION_BODY_LIMIT,
      schema: { body: escalationBody },
    }, async (request, reply) => {
      const body = request.body;
      const { created, receipt } = await submissions.escalate({
        mailboxKey: authKeyOf(request),
        caseId: body.caseId,
        sourceCaseId: body.sourceCaseId,
        organisationId: body.organisationId,
        grants: body.grants.map((g, i) => ({
          recipientKey: decodeKey(`grants[${i}].recipientKey`, g.recipientKey),
          purpose: g.purpose,
          threadId: g.threadId ?? null,
          seq: g.seq ?? null,
          grant: decodeField(`grants[${i}].grant`, g.grant),
        })),
      });
      return reply.code(created ? 201 : 200).send(receipt);
    });
  });
}

function authKeyOf(request: FastifyRequest): Uint8Array {
  if (!request.mailboxAuthKey) throw new ApiError(401, 'unauthenticated', 'Open your mailbox first: this needs its session token.');
  return request.mailboxAuthKey;
}
