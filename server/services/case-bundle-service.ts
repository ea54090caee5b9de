// Case bundles for the air-gapped route: everything the case view gives an officer (ciphertexts,
// this officer's grants, the thread, notes, attachment streams) plus what an offline machine
// needs to check and answer it (the organisation's directory entry, the discloser's mailbox public
// keys), in one file (crypto/case-bundle.ts, docs/protocol.md §15). The same access rules as the
// case view: 404 for another organisation's case, and content only after declaring no conflict.
// The export itself is audited; the bytes are streamed, attachments a frame at a time.
import {
  buildDirectoryDocument,
  type CertificateBytes,
  caseBundleAttachment,
  caseBundleEnd,
  caseBundleFrame,
  caseBundleHasher,
  caseBundleManifest,
  caseBundleStart,
  toBase64Url,
} from '../../crypto/index.ts';
import type { AppContext } from '../context.ts';
import { ApiError } from '../http/api-error.ts';
import { OfficerCaseRepository } from '../repositories/officer-case-repository.ts';
import { OrganisationRepository } from '../repositories/organisation-repository.ts';
import { appendAudit } from './audit-service.ts';
import { CaseService } from './case-service.ts';
import { DirectoryService, uuidToBytes } from './directory-service.ts';
import type { OfficerSession } from './officer-auth-service.ts';

export const CASE_BUNDLE_FORMAT = 'candour-case-bundle';

export class CaseBundleService {
  constructor(private readonly context: AppContext) {}

  /**
   * Checks access, records the export, and returns the bundle as a stream of byte pieces. Errors
   * about access are thrown here, before the first byte, so they reach the client as 4xx answers.
   */
  async export(session: OfficerSession, caseId: string): Promise<{ filename: string; pieces: () => AsyncGenerator<Uint8Array> }> {
    const cases = new CaseService(this.context);
    const view = await cases.get(session, caseId);
    if (view.content === null) {
      throw new ApiError(403, view.declaredConflict ? 'conflict_of_interest' : 'conflict_declaration_required', 'Declare that you have no conflict of interest before exporting this case.');
    }
    const org = session.organisationId;
    const repository = new OfficerCaseRepository(this.context.db);
    const mailbox = await repository.mailboxKeys(org, caseId);
    const ownEntry = await this.directoryEntry(org);
    const manifest = {
      format: CASE_BUNDLE_FORMAT,
      version: 1,
      exportedOn: this.context.today(),
      caseId,
      organisationId: org,
      case: view.case,
      events: view.events,
      sourceTimeline: view.sourceTimeline,
      directoryEntry: ownEntry ?? null,
      // Public; lets the offline machine check officers of the source case's organisation.
      directory: view.content.sharedMessages.length > 0 ? await new DirectoryService(this.context).document() : null,
      mailbox: mailbox ? { authKey: toBase64Url(mailbox.authKey), boxKey: toBase64Url(mailbox.boxKey) } : null,
      content: view.content,
    };
    await this.context.db.transaction().execute((tx) => appendAudit(tx, {
      organisationId: org,
      actor: `officer:${session.officerId}`,
      action: 'case.bundle_exported',
      subject: `case:${caseId}`,
      details: { attachments: view.content.attachments.length, messages: view.content.messages.length },
      occurredAt: this.context.now(),
    }, this.context.crypto));

    const attachments = view.content.attachments;
    const p = this.context.crypto;
    return {
      filename: `case-${caseId}.candour-bundle`,
      pieces: async function* () {
        const hasher = caseBundleHasher(p);
        const emit = (bytes: Uint8Array) => {
          hasher.update(bytes);
          return bytes;
        };
        yield emit(caseBundleStart());
        yield emit(caseBundleManifest(new TextEncoder().encode(JSON.stringify(manifest))));
        for (const attachment of attachments) {
          const { frames } = await cases.openAttachment(session, caseId, attachment.id);
          let header = true;
          for await (const piece of frames()) {
            if (header) {
              yield emit(caseBundleAttachment(uuidToBytes(attachment.id), attachment.chunkCount ?? 0, piece));
              header = false;
            } else {
              yield emit(caseBundleFrame(piece));
            }
          }
        }
        yield caseBundleEnd(hasher);
      },
    };
  }

  /** The organisation's entry of the directory, as GET /api/directory serves it (null before a roster). */
  private async directoryEntry(organisationId: string) {
    const organisations = new OrganisationRepository(this.context.db);
    const organisation = await organisations.find(organisationId);
    if (!organisation?.roster) return null;
    const members = await organisations.rosterCertificates(organisationId);
    return buildDirectoryDocument([{
      certificate: organisation.certificate as CertificateBytes,
      roster: organisation.roster,
      members: members.map((m) => m.certificate as CertificateBytes),
    }]).organisations[0]!;
  }
}
