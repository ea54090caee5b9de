// A discloser's browser for API tests: it holds a mailbox code, seals with crypto/ as the client
// does, and speaks to the app through `inject`. Nothing here reaches behind the API except
// `countRows`, which tests use to prove that a refused request changed nothing.
import type { LightMyRequestResponse } from 'fastify';
import {
  answerLoginChallenge,
  type AttachmentManifestEntry,
  type Base64Url,
  dayNumber,
  deriveMailboxKeys,
  encodeJson,
  fromBase64Url,
  generateDisclosureId,
  generateMailboxCode,
  type IdentitySection,
  type MailboxCode,
  type MailboxKeys,
  type MessageHash,
  messageHash,
  openKeyGrant,
  type Primitives,
  sealDisclosure,
  sealKeyGrants,
  sealMessage,
  solveProofOfWork,
  StreamEncryptor,
  type StreamFrame,
  type SymmetricKey,
  threadGenesisHash,
  asThreadId,
  toBase64Url,
  verifyDirectory,
  type VerifiedOrganisation,
  type X25519PublicKey,
} from '../../crypto/index.ts';
import { uuidFromBytes, uuidToBytes } from '../../server/services/directory-service.ts';
import type { TestDeployment } from './helpers/deployment.ts';

export const DISCLOSER_TABLES = [
  'mailboxes',
  'disclosures',
  'cases',
  'case_events',
  'key_grants',
  'attachments',
  'attachment_chunks',
  'messages',
  'audit_log',
] as const;

export type RowCounts = Record<(typeof DISCLOSER_TABLES)[number], number>;

export async function countRows(deployment: TestDeployment): Promise<RowCounts> {
  const counts = {} as RowCounts;
  for (const table of DISCLOSER_TABLES) {
    const { n } = await deployment.context.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    counts[table] = Number(n);
  }
  return counts;
}

export function randomUuid(p: Primitives): string {
  return uuidFromBytes(p.randomBytes(16));
}

export interface Upload {
  readonly id: string;
  readonly header: Uint8Array;
  readonly frames: readonly StreamFrame[];
  readonly key: SymmetricKey;
  readonly plaintext: Uint8Array;
  readonly manifest: AttachmentManifestEntry;
}

export interface DisclosureRequest {
  id: string;
  organisationId: string;
  mailbox: { authKey: string; boxKey: string };
  body: string;
  identity?: string;
  grants: { recipientKey: string; purpose: 'content' | 'identity'; grant: string }[];
  attachmentIds: string[];
  pow: { challenge: string; nonce: string };
}

export interface SealedRequest {
  readonly request: DisclosureRequest;
  readonly contentKey: SymmetricKey;
  readonly identityKey: SymmetricKey | null;
}

export class DiscloserClient {
  readonly p: Primitives;
  readonly keys: MailboxKeys;
  /** The mailbox code: never sent anywhere, kept so tests can prove that. */
  readonly code: MailboxCode;
  private organisations: VerifiedOrganisation[] | undefined;

  constructor(readonly deployment: TestDeployment) {
    this.p = deployment.crypto;
    this.code = generateMailboxCode(this.p);
    this.keys = deriveMailboxKeys(this.p, this.code);
  }

  get authKey(): Base64Url {
    return toBase64Url(this.keys.authPublicKey);
  }

  get boxKey(): Base64Url {
    return toBase64Url(this.keys.boxPublicKey);
  }

  inject(method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown, token?: string): Promise<LightMyRequestResponse> {
    return this.deployment.app.inject({
      method,
      url,
      ...(payload === undefined ? {} : { payload: payload as object }),
      ...(token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } }),
    });
  }

  /** The organisation as the browser verifies it from GET /api/directory. */
  async organisation(organisationId: string): Promise<VerifiedOrganisation> {
    if (!this.organisations) {
      const response = await this.inject('GET', '/api/directory');
      this.organisations = verifyDirectory(this.p, response.json(), [this.deployment.keys.rootPublicKey], dayNumber(this.deployment.context.now()));
    }
    const found = this.organisations.find((o) => uuidFromBytes(o.id) === organisationId);
    if (!found) throw new Error(`organisation ${organisationId} is not in the directory`);
    return found;
  }

  async recipients(organisationId: string): Promise<X25519PublicKey[]> {
    return [...(await this.organisation(organisationId)).recipients];
  }

  async pow(): Promise<{ challenge: string; nonce: string }> {
    const response = await this.inject('POST', '/api/pow');
    if (response.statusCode !== 200) throw new Error(`POST /api/pow: ${response.statusCode} ${response.body}`);
    const { challenge, difficulty } = response.json() as { challenge: string; difficulty: number };
    const nonce = solveProofOfWork(this.p, fromBase64Url(challenge).subarray(0, 32), difficulty);
    return { challenge, nonce: toBase64Url(nonce!) };
  }

  /** Encrypts `plaintext` into frames (nothing sent yet). */
  prepareUpload(plaintext: Uint8Array, chunkSize = 64): Upload {
    const encryptor = new StreamEncryptor(this.p, { chunkSize });
    const frames = [...encryptor.push(plaintext), ...encryptor.finish()];
    const id = randomUuid(this.p);
    return {
      id,
      header: encryptor.header,
      frames,
      key: encryptor.key,
      plaintext,
      manifest: {
        id: toBase64Url(uuidToBytes(id)),
        name: 'evidence.txt',
        type: 'text/plain',
        size: plaintext.length,
        fileKey: toBase64Url(encryptor.key),
        plaintextHash: toBase64Url(encryptor.plaintextHash),
      },
    };
  }

  putHeader(upload: Upload): Promise<LightMyRequestResponse> {
    return this.inject('PUT', `/api/attachments/${upload.id}`, { header: toBase64Url(upload.header) });
  }

  putChunk(id: string, index: number, frame: Uint8Array): Promise<LightMyRequestResponse> {
    return this.deployment.app.inject({
      method: 'PUT',
      url: `/api/attachments/${id}/chunks/${index}`,
      headers: { 'content-type': 'application/octet-stream' },
      payload: Buffer.from(frame),
    });
  }

  complete(id: string, chunkCount: number): Promise<LightMyRequestResponse> {
    return this.inject('POST', `/api/attachments/${id}/complete`, { chunkCount });
  }

  /** Uploads every frame (in `order` when given) and completes. */
  async upload(upload: Upload, order?: readonly number[]): Promise<void> {
    expectStatus(await this.putHeader(upload), 201);
    for (const index of order ?? upload.frames.map((_, i) => i)) expectStatus(await this.putChunk(upload.id, index, upload.frames[index]!), 201);
    expectStatus(await this.complete(upload.id, upload.frames.length), 201);
  }

  /** Seals a disclosure to the organisation's recipients and this mailbox, with a fresh proof of work. */
  async seal(
    organisationId: string,
    options: { answers?: Record<string, string>; identity?: IdentitySection; uploads?: readonly Upload[]; id?: string } = {},
  ): Promise<SealedRequest> {
    const recipients = [...(await this.recipients(organisationId)), this.keys.boxPublicKey];
    const disclosureId = options.id ? uuidToBytes(options.id) : generateDisclosureId(this.p);
    const sealed = sealDisclosure(this.p, {
      disclosureId: disclosureId as never,
      body: { answers: options.answers ?? { what: 'Funds were misused.' }, attachments: (options.uploads ?? []).map((u) => u.manifest) },
      ...(options.identity ? { identity: options.identity } : {}),
      recipients,
    });
    const grant = (purpose: 'content' | 'identity') => (bytes: Uint8Array, i: number) => ({
      recipientKey: toBase64Url(recipients[i]!),
      purpose,
      grant: toBase64Url(bytes),
    });
    return {
      contentKey: sealed.contentKey,
      identityKey: sealed.identityKey,
      request: {
        id: uuidFromBytes(disclosureId),
        organisationId,
        mailbox: { authKey: this.authKey, boxKey: this.boxKey },
        body: toBase64Url(sealed.body),
        ...(sealed.identity ? { identity: toBase64Url(sealed.identity) } : {}),
        grants: [...sealed.contentGrants.map(grant('content')), ...sealed.identityGrants.map(grant('identity'))],
        attachmentIds: (options.uploads ?? []).map((u) => u.id),
        pow: await this.pow(),
      },
    };
  }

  submit(request: DisclosureRequest): Promise<LightMyRequestResponse> {
    return this.inject('POST', '/api/disclosures', request);
  }

  async challenge(authKey: string = this.authKey): Promise<string> {
    const response = await this.inject('POST', '/api/mailbox/challenge', { authKey, pow: await this.pow() });
    expectStatus(response, 200);
    return (response.json() as { challenge: string }).challenge;
  }

  answer(challenge: string, seed = this.keys.authSeed): string {
    return toBase64Url(answerLoginChallenge(this.p, seed, fromBase64Url(challenge).subarray(0, 32)));
  }

  async login(): Promise<string> {
    const challenge = await this.challenge();
    const response = await this.inject('POST', '/api/mailbox/session', { authKey: this.authKey, challenge, answer: this.answer(challenge) });
    expectStatus(response, 200);
    return (response.json() as { token: string }).token;
  }

  /** Opens a grant sealed to this mailbox. */
  openGrant(grant: string, purpose: 'content' | 'identity' | 'message'): SymmetricKey {
    return openKeyGrant(this.p, fromBase64Url(grant), purpose, { publicKey: this.keys.boxPublicKey, secretKey: this.keys.boxSecretKey });
  }

  /** The previous hash for the next message of a thread, from the thread as served. */
  async threadTip(caseId: string, token: string): Promise<{ seq: number; previousHash: MessageHash }> {
    const response = await this.inject('GET', `/api/mailbox/threads/${caseId}`, undefined, token);
    expectStatus(response, 200);
    const messages = (response.json() as { messages: { seq: number; message: string }[] }).messages;
    const last = messages.at(-1);
    return last
      ? { seq: last.seq + 1, previousHash: messageHash(this.p, fromBase64Url(last.message)) }
      : { seq: 0, previousHash: threadGenesisHash(this.p, asThreadId(uuidToBytes(caseId))) };
  }

  /** A signed follow-up with its message key sealed to `recipients` (the organisation's and this mailbox). */
  async followUp(caseId: string, token: string, text: string, recipients: readonly X25519PublicKey[]) {
    const { seq, previousHash } = await this.threadTip(caseId, token);
    const sealed = sealMessage(this.p, {
      threadId: asThreadId(uuidToBytes(caseId)),
      seq,
      previousHash,
      authorRole: 'discloser',
      authorSeed: this.keys.authSeed,
      plaintext: encodeJson({ text }),
    });
    const grants = sealKeyGrants(this.p, sealed.messageKey, 'message', recipients).map((grant, i) => ({
      recipientKey: toBase64Url(recipients[i]!),
      grant: toBase64Url(grant),
    }));
    return { message: toBase64Url(sealed.message), grants, messageKey: sealed.messageKey, seq };
  }
}

export function expectStatus(response: LightMyRequestResponse, status: number): void {
  if (response.statusCode !== status) throw new Error(`expected ${status}, got ${response.statusCode}: ${response.body.slice(0, 500)}`);
}
