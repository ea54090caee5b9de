// Officer account administration and the roster, for admins of one organisation (the routes
// check the role; every function here scopes by the admin's own organisation). Each change is
// audited in the transaction that makes it.
import { toBase64Url } from '../../crypto/index.ts';
import type { AppContext } from '../context.ts';
import { ApiError } from '../http/api-error.ts';
import { type OfficerRow, OfficerRepository } from '../repositories/officer-repository.ts';
import { OrganisationRepository } from '../repositories/organisation-repository.ts';
import { SessionRepository } from '../repositories/session-repository.ts';
import { appendAudit } from './audit-service.ts';
import { DirectoryService } from './directory-service.ts';
import type { OfficerSession } from './officer-auth-service.ts';


export interface OfficerAccountView {
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
  readonly role: 'officer' | 'admin';
  readonly totpEnabled: boolean;
  readonly certificateHash: string | null;
  readonly lockedUntil: string | null;
  readonly retiredOn: string | null;
}

export function accountView(row: OfficerRow): OfficerAccountView {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    totpEnabled: row.totp_enabled,
    certificateHash: row.certificate_hash ? toBase64Url(row.certificate_hash) : null,
    lockedUntil: row.locked_until ? row.locked_until.toISOString() : null,
    retiredOn: row.retired_on,
  };
}

export async function listOfficers(context: AppContext, admin: OfficerSession): Promise<OfficerAccountView[]> {
  return (await new OfficerRepository(context.db).list(admin.organisationId)).map(accountView);
}

const unknownOfficer = () => new ApiError(404, 'unknown_officer', 'There is no such officer in your organisation.');

/** Retires an account: it can no longer log in, and its sessions end now. Retiring twice is harmless. */
export async function retireOfficer(context: AppContext, admin: OfficerSession, officerId: string): Promise<OfficerAccountView> {
  if (officerId === admin.officerId) throw new ApiError(409, 'cannot_retire_self', 'Ask another admin to retire your account.');
  return context.db.transaction().execute(async (tx) => {
    const officers = new OfficerRepository(tx);
    const officer = await officers.lock(admin.organisationId, officerId);
    if (!officer) throw unknownOfficer();
    if (officer.retired_on !== null) return accountView(officer);
    const today = context.today();
    await officers.retire(admin.organisationId, officerId, today);
    await new SessionRepository(tx).deleteForOfficer(admin.organisationId, officerId);
    await appendAudit(tx, {
      organisationId: admin.organisationId,
      actor: `officer:${admin.officerId}`,
      action: 'officer.retired',
      subject: `officer:${officerId}`,
      details: {},
      occurredAt: context.now(),
    }, context.crypto);
    return accountView({ ...officer, retired_on: today });
  });
}

/**
 * Links an account to an officer certificate in the organisation's current roster: the box key
 * in it is the one the officer's grants are sealed to. One certificate per account.
 */
export async function linkOfficerCertificate(
  context: AppContext,
  admin: OfficerSession,
  officerId: string,
  certificateHash: Uint8Array,
): Promise<OfficerAccountView> {
  return context.db.transaction().execute(async (tx) => {
    const officers = new OfficerRepository(tx);
    const officer = await officers.lock(admin.organisationId, officerId);
    if (!officer) throw unknownOfficer();
    const certificate = await new OrganisationRepository(tx).findCertificate(admin.organisationId, certificateHash);
    if (!certificate || certificate.type !== 'officer' || !certificate.in_roster) {
      throw new ApiError(400, 'invalid_certificate', 'That is not an officer certificate in your organisation’s current roster.');
    }
    const holder = await officers.findByCertificate(admin.organisationId, certificateHash);
    if (holder && holder.id !== officerId) throw new ApiError(409, 'certificate_in_use', 'Another account is already linked to that certificate.');
    await officers.linkCertificate(admin.organisationId, officerId, certificateHash);
    await appendAudit(tx, {
      organisationId: admin.organisationId,
      actor: `officer:${admin.officerId}`,
      action: 'officer.certificate_linked',
      subject: `officer:${officerId}`,
      details: { certificateHash: toBase64Url(certificateHash) },
      occurredAt: context.now(),
    }, context.crypto);
    return accountView({ ...officer, certificate_hash: certificateHash });
  });
}

/**
 * Publishes a new signed roster for the admin's organisation (DirectoryService checks it as a
 * browser would), with its audit entry in the same transaction: a roster is never current
 * without the entry that says who published it.
 */
export async function publishRoster(
  context: AppContext,
  admin: OfficerSession,
  roster: Uint8Array,
  certificates: readonly Uint8Array[],
): Promise<{ serial: number }> {
  return new DirectoryService(context).publishRoster(admin.organisationId, roster, certificates, (tx, serial) =>
    appendAudit(tx, {
      organisationId: admin.organisationId,
      actor: `officer:${admin.officerId}`,
      action: 'organisation.roster_published',
      subject: `organisation:${admin.organisationId}`,
      details: { serial, members: certificates.length },
      occurredAt: context.now(),
    }, context.crypto));
}
