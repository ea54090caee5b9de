// The directory, proof-of-work challenges and new disclosures.
import type { FastifyInstance } from 'fastify';
import { GRANT_BYTES } from '../../crypto/index.ts';
import { strictObject } from '../http/strict-schema.ts';
import { DirectoryService } from '../services/directory-service.ts';
import { MAX_BODY_BYTES, MAX_IDENTITY_BYTES } from '../services/submission-service.ts';
import {
  attachmentIdsSchema,
  binarySchema,
  decodeField,
  decodeKey,
  keySchema,
  powSchema,
  uuidSchema,
} from './discloser-input.ts';
import type { DiscloserServices } from './discloser-routes.ts';

/** Recipients an organisation may have, times two purposes: far above any real roster. */
const MAX_GRANTS = 1024;
/** The body and identity ciphertexts in base64url, the grants and the rest. */
const DISCLOSURE_BODY_LIMIT = Math.ceil(((MAX_BODY_BYTES + MAX_IDENTITY_BYTES) * 4) / 3) + MAX_GRANTS * 300 + 64 * 1024;

const grantSchema = binarySchema(2 * GRANT_BYTES);

const disclosureBody = strictObject({
  id: uuidSchema,
  organisationId: uuidSchema,
  mailbox: strictObject({ authKey: keySchema, boxKey: keySchema }, ['authKey', 'boxKey']),
  body: binarySchema(MAX_BODY_BYTES + 3),
  identity: binarySchema(MAX_IDENTITY_BYTES + 3),
  grants: {
    type: 'array',
    minItems: 1,
    maxItems: MAX_GRANTS,
    items: strictObject(
      { recipientKey: keySchema, purpose: { type: 'string', enum: ['content', 'identity'] }, grant: grantSchema },
      ['recipientKey', 'purpose', 'grant'],
    ),
  },
  attachmentIds: attachmentIdsSchema,
  pow: powSchema,
}, ['id', 'organisationId', 'mailbox', 'body', 'grants', 'pow']);

interface DisclosureBody {
  id: string;
  organisationId: string;
  mailbox: { authKey: string; boxKey: string };
  body: string;
  identity?: string;
  grants: { recipientKey: string; purpose: 'content' | 'identity'; grant: string }[];
  attachmentIds: string[];
  pow: { challenge: string; nonce: string };
}

export function registerSubmissionRoutes(app: FastifyInstance, services: DiscloserServices): void {
  const { context, abuse, submissions } = services;

  app.get('/api/directory', { config: { accessLog: false } }, async () => new DirectoryService(context).document());

  app.post('/api/pow', {
    config: { accessLog: false },
    onRequest: async () => abuse.limit('challenges'),
  }, async () => abuse.issueChallenge());

  app.post<{ Body: DisclosureBody }>('/api/disclosures', {
    config: { accessLog: false },
    bodyLimit: DISCLOSURE_BODY_LIMIT,
    schema: { body: disclosureBody },
  }, async (request, reply) => {
    const body = request.body;
    const { created, receipt } = await submissions.submit({
      id: body.id,
      organisationId: body.organisationId,
      authKey: decodeKey('mailbox.authKey', body.mailbox.authKey),
      boxKey: decodeKey('mailbox.boxKey', body.mailbox.boxKey),
      body: decodeField('body', body.body),
      identity: body.identity === undefined ? null : decodeField('identity', body.identity),
      grants: body.grants.map((g, i) => ({
        recipientKey: decodeKey(`grants[${i}].recipientKey`, g.recipientKey),
        purpose: g.purpose,
        threadId: null,
        seq: null,
        grant: decodeField(`grants[${i}].grant`, g.grant),
      })),
      attachmentIds: body.attachmentIds,
      pow: body.pow,
    });
    return reply.code(created ? 201 : 200).send(receipt);
  });
}
