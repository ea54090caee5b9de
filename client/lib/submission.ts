// Sealing and sending a report. `prepareSubmission` does everything that must happen exactly
// once (a fresh disclosure id, mailbox code and seal); `sendPrepared` sends that same request
// until the server answers, so a retry after a network failure is byte-for-byte identical and the
// server answers it with the original receipt instead of storing a second copy.
import type { MailboxCode } from '../../crypto/index.ts';
import { api, type DisclosureReceipt, type DisclosureRequest, type GrantInput, type PowSolution } from './api/discloser-api.ts';
import { ApiFailure, sleep } from './api/http.ts';
import { loadCrypto } from './crypto-loader.ts';
import type { Receiver } from './directory.ts';
import { describeProblem, isRetryable } from './errors.ts';
import { uuidFromBytes } from './ids.ts';
import { isPowRefusal, proofOfWork } from './pow.ts';
import type { AttachmentManifestInput } from './worker/protocol.ts';
import { runCrypto } from './worker/crypto-runner.ts';

export interface PreparedSubmission {
  readonly request: DisclosureRequest;
  /** Secret: shown only after the server has accepted the report. */
  readonly code: MailboxCode;
}

export interface SubmissionInput {
  readonly receiver: Receiver;
  readonly answers: Readonly<Record<string, string>>;
  readonly identity: Readonly<Record<string, string>> | undefined;
  readonly attachments: readonly { readonly uploadId: string; readonly manifest: AttachmentManifestInput }[];
}

export async function prepareSubmission(input: SubmissionInput): Promise<PreparedSubmission> {
  const { c, p } = await loadCrypto();
  const disclosureId = c.generateDisclosureId(p);
  const code = c.generateMailboxCode(p);
  const mailbox = c.deriveMailboxKeys(p, code);
  const recipients = [...input.receiver.organisation.recipients, mailbox.boxPublicKey];
  const sealed = await runCrypto({
    op: 'seal',
    input: {
      disclosureId,
      answers: input.answers,
      attachments: input.attachments.map((a) => a.manifest),
      ...(input.identity ? { identity: input.identity } : {}),
      recipients,
      mailbox: { authKey: c.toBase64Url(mailbox.authPublicKey), boxKey: c.toBase64Url(mailbox.boxPublicKey) },
    },
  });
  const grants: GrantInput[] = [
    ...sealed.contentGrants.map((grant, i) => ({ recipientKey: c.toBase64Url(recipients[i]!), purpose: 'content' as const, grant: c.toBase64Url(grant) })),
    ...sealed.identityGrants.map((grant, i) => ({ recipientKey: c.toBase64Url(recipients[i]!), purpose: 'identity' as const, grant: c.toBase64Url(grant) })),
  ];
  const request: DisclosureRequest = {
    id: uuidFromBytes(disclosureId),
    organisationId: input.receiver.uuid,
    mailbox: { authKey: c.toBase64Url(mailbox.authPublicKey), boxKey: c.toBase64Url(mailbox.boxPublicKey) },
    body: c.toBase64Url(sealed.body),
    ...(sealed.identity ? { identity: c.toBase64Url(sealed.identity) } : {}),
    grants,
    attachmentIds: input.attachments.map((a) => a.uploadId),
  };
  // Only the code is kept; the keys are derived again from it when the mailbox is opened.
  p.memzero(mailbox.authSeed);
  p.memzero(mailbox.boxSecretKey);
  return { request, code };
}

export type SendPhase = 'pow' | 'posting' | 'retrying';

export interface SendHooks {
  readonly onPhase?: (phase: SendPhase, retryInSeconds?: number) => void;
  readonly onPowProgress?: (attempts: number) => void;
  readonly signal?: AbortSignal;
  /** How to wait between resends (tests pass one that does not wait). */
  readonly wait?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Waits before each automatic resend after a network failure; then the person is asked. */
const RESEND_WAITS_SECONDS = [2, 4, 8];
export const AUTOMATIC_RESENDS = RESEND_WAITS_SECONDS.length;

export async function sendPrepared(prepared: PreparedSubmission, hooks: SendHooks = {}): Promise<DisclosureReceipt> {
  let pow: PowSolution | undefined;
  let freshPowAfterRefusal = false;
  let resends = 0;
  for (;;) {
    if (pow === undefined) {
      hooks.onPhase?.('pow');
      pow = await proofOfWork({
        ...(hooks.onPowProgress ? { onProgress: hooks.onPowProgress } : {}),
        ...(hooks.signal ? { signal: hooks.signal } : {}),
      });
    }
    hooks.onPhase?.('posting');
    try {
      const { data } = await api.submit({ ...prepared.request, pow });
      return data;
    } catch (error) {
      if (!(error instanceof ApiFailure)) throw error;
      if (error.kind === 'http' && error.status < 500 && isPowRefusal(error.code) && !freshPowAfterRefusal) {
        // The challenge expired, or an earlier attempt used it: the same report, a new proof.
        freshPowAfterRefusal = true;
        pow = undefined;
        continue;
      }
      const wait = RESEND_WAITS_SECONDS[resends];
      if (!isRetryable(describeProblem(error)) || wait === undefined) throw error;
      resends++;
      for (let left = Math.max(wait, error.retryAfterSeconds ?? 0); left > 0; left--) {
        hooks.onPhase?.('retrying', left);
        await (hooks.wait ?? sleep)(1000, hooks.signal);
      }
    }
  }
}

/** The mailbox code as a list of words, for display and the confirmation check. */
export function codeWords(code: string): string[] {
  return code.split(' ');
}
