// The discloser API: no cookies, no accounts. A discloser is known only by the public keys their
// mailbox code derives; submissions and login challenges carry a proof of work; sessions are
// stateless bearer tokens. Every route opts out of the access log (a log collector would stamp
// each line with the time a discloser acted), and nothing here reads an address or user agent.
//
//   GET  /api/directory                         the verified-by-the-browser directory
//   POST /api/pow                               a proof-of-work challenge
//   PUT  /api/attachments/:id                   start (or resume) an upload          discloser-attachment-routes.ts
//   PUT  /api/attachments/:id/chunks/:index     one frame, application/octet-stream
//   GET  /api/attachments/:id                   what has arrived, to resume
//   POST /api/attachments/:id/complete          seal the upload
//   POST /api/disclosures                       submit                               discloser-submission-routes.ts
//   POST /api/mailbox/challenge                 login, step 1 (proof of work)        discloser-mailbox-routes.ts
//   POST /api/mailbox/session                   login, step 2 → bearer token
//   GET  /api/mailbox                           cases, timelines, ciphertexts, grants
//   GET  /api/mailbox/threads/:caseId           a case's thread
//   POST /api/mailbox/threads/:caseId/messages  a follow-up
//   GET  /api/mailbox/attachments/:id           an attachment's stream blob
//   POST /api/mailbox/escalations               escalate to an authority
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { AbuseControl, type AbuseLimits, DEFAULT_ABUSE_LIMITS } from '../services/abuse-control.ts';
import { AttachmentService } from '../services/attachment-service.ts';
import { MailboxService } from '../services/mailbox-service.ts';
import { SubmissionService } from '../services/submission-service.ts';
import { registerAttachmentRoutes } from './discloser-attachment-routes.ts';
import { registerMailboxRoutes } from './discloser-mailbox-routes.ts';
import { registerSubmissionRoutes } from './discloser-submission-routes.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * This instance's proof-of-work and rate-limit state. Tests lower the difficulty and widen the
     * buckets through `configure`; no request can reach it.
     */
    discloserAbuseControl: AbuseControl;
  }
}

export interface DiscloserServices {
  readonly context: AppContext;
  readonly abuse: AbuseControl;
  readonly submissions: SubmissionService;
  readonly attachments: AttachmentService;
  readonly mailboxes: MailboxService;
}

export function registerDiscloserRoutes(app: FastifyInstance, context: AppContext, limits: AbuseLimits = DEFAULT_ABUSE_LIMITS): void {
  const abuse = new AbuseControl(context, limits);
  app.decorate('discloserAbuseControl', abuse);
  const services: DiscloserServices = {
    context,
    abuse,
    submissions: new SubmissionService(context, abuse),
    attachments: new AttachmentService(context),
    mailboxes: new MailboxService(context, abuse),
  };
  registerSubmissionRoutes(app, services);
  registerAttachmentRoutes(app, services);
  registerMailboxRoutes(app, services);
}
