// Passing a report on to an appropriate authority (the Ombudsman) from the mailbox: a re-wrap,
// never a re-upload. The content key (and, if the person chooses, the identity key and the keys of
// the messages so far) is opened with the mailbox's own grants and sealed again to every recipient
// of the authority. The organisation first told is not informed: nothing is written to its case.
import type { MailboxKeys, ParsedMessage } from '../../../crypto/index.ts';
import type { MailboxCase, MailboxContents } from '../api/discloser-api.ts';
import type { LoadedCrypto } from '../crypto-loader.ts';
import type { Receiver } from '../directory.ts';
import { randomIdBytes, uuidFromBytes } from '../ids.ts';

export interface EscalationGrant {
  readonly recipientKey: string;
  readonly purpose: 'content' | 'identity' | 'message';
  readonly threadId?: string;
  readonly seq?: number;
  readonly grant: string;
}

export interface EscalationRequest {
  readonly caseId: string;
  readonly sourceCaseId: string;
  readonly organisationId: string;
  readonly grants: readonly EscalationGrant[];
}

export interface EscalationChoices {
  readonly shareIdentity: boolean;
  readonly shareMessages: boolean;
}

/** Authorities this report could still go to (not the receiver, not one that already has it). */
export function escalationTargets(receivers: readonly Receiver[], contents: MailboxContents, source: MailboxCase): Receiver[] {
  const holding = new Set(contents.cases.filter((x) => x.disclosureId === source.disclosureId).map((x) => x.organisationId));
  return receivers.filter((r) => r.kind === 'authority' && !holding.has(r.uuid));
}

export function prepareEscalation(
  loaded: LoadedCrypto,
  keys: MailboxKeys,
  contents: MailboxContents,
  source: MailboxCase,
  authority: Receiver,
  sourceMessages: readonly ParsedMessage[],
  choices: EscalationChoices,
): EscalationRequest {
  const { c, p } = loaded;
  const self = { publicKey: keys.boxPublicKey, secretKey: keys.boxSecretKey };
  const ofDisclosure = new Set(contents.cases.filter((x) => x.disclosureId === source.disclosureId).map((x) => x.id));
  const mine = (purpose: string) => contents.grants.filter((g) => g.purpose === purpose && ofDisclosure.has(g.caseId)).map((g) => c.fromBase64Url(g.grant));
  const recipients = authority.organisation.recipients;
  const grants: EscalationGrant[] = [];
  const rewrap = (key: Uint8Array, purpose: 'content' | 'identity' | 'message', where: { threadId?: string; seq?: number } = {}) => {
    c.rewrapKey(p, c.asSymmetricKey(key), purpose, recipients).forEach((grant, i) => {
      grants.push({ recipientKey: c.toBase64Url(recipients[i]!), purpose, ...where, grant: c.toBase64Url(grant) });
    });
    p.memzero(key);
  };

  rewrap(c.openAnyKeyGrant(p, mine('content'), 'content', self), 'content');
  const disclosure = contents.disclosures.find((d) => d.id === source.disclosureId);
  if (choices.shareIdentity && disclosure?.identity) rewrap(c.openAnyKeyGrant(p, mine('identity'), 'identity', self), 'identity');
  if (choices.shareMessages) {
    for (const message of sourceMessages) {
      const own = contents.grants.filter((g) => g.purpose === 'message' && g.threadId === source.id && g.seq === message.seq).map((g) => c.fromBase64Url(g.grant));
      rewrap(c.openAnyKeyGrant(p, own, 'message', self), 'message', { threadId: source.id, seq: message.seq });
    }
  }
  return { caseId: uuidFromBytes(randomIdBytes()), sourceCaseId: source.id, organisationId: authority.uuid, grants };
}
