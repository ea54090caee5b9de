// The one-statement write of a new disclosure (DisclosureRepository.insertChecked): it writes
// everything or nothing, and nothing whenever what the request was checked against has changed
// or a concurrent request took one of its keys, so the transactional path can answer instead.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromBase64Url } from '../../crypto/index.ts';
import { DisclosureRepository, type NewDisclosure } from '../../server/repositories/disclosure-repository.ts';
import { databaseKinds } from './helpers/databases.ts';
import { startTestDeployment, type TestDeployment } from './helpers/deployment.ts';
import { countRows, DiscloserClient } from './discloser-fixtures.ts';

describe.each(databaseKinds)('the one-statement disclosure write on %s', (kind) => {
  let d: TestDeployment;
  let repository: DisclosureRepository;
  beforeAll(async () => {
    d = await startTestDeployment(kind);
    d.app.discloserAbuseControl.configure({ powDifficulty: 0 });
    repository = new DisclosureRepository(d.context.db);
  });
  afterAll(() => d.close());

  /** A valid new disclosure for the agency, as the service would pass it on. */
  async function newDisclosure(client = new DiscloserClient(d)): Promise<NewDisclosure> {
    const { request } = await client.seal(d.organisationIds[0]!);
    return {
      id: request.id,
      organisationId: request.organisationId,
      mailbox: { authKey: fromBase64Url(request.mailbox.authKey), boxKey: fromBase64Url(request.mailbox.boxKey) },
      body: fromBase64Url(request.body),
      identity: null,
      requestHash: d.crypto.randomBytes(32),
      grants: request.grants.map((g) => ({ recipientKey: fromBase64Url(g.recipientKey), purpose: g.purpose as 'content', grant: fromBase64Url(g.grant) })),
      receivedOn: d.context.today(),
    };
  }

  async function serial(): Promise<number> {
    return (await repository.submissionTarget('00000000-0000-4000-8000-000000000000', d.organisationIds[0]!, new Uint8Array(32))).organisation!.rosterSerial;
  }

  it('writes the mailbox, disclosure, case, first event and every grant', async () => {
    const row = await newDisclosure();
    const before = await countRows(d);
    expect(await repository.insertChecked(row, { rosterSerial: await serial(), mailboxExists: false })).toBe(true);
    const after = await countRows(d);
    expect([after.mailboxes - before.mailboxes, after.disclosures - before.disclosures, after.cases - before.cases]).toEqual([1, 1, 1]);
    expect([after.case_events - before.case_events, after.key_grants - before.key_grants]).toEqual([1, row.grants.length]);
  });

  it('writes nothing when the roster changed since the check', async () => {
    const row = await newDisclosure();
    const before = await countRows(d);
    expect(await repository.insertChecked(row, { rosterSerial: (await serial()) - 1, mailboxExists: false })).toBe(false);
    expect(await countRows(d)).toEqual(before);
  });

  it('writes nothing, without an error, when a key is taken: the disclosure id, or a mailbox registered meanwhile', async () => {
    const client = new DiscloserClient(d);
    const first = await newDisclosure(client);
    expect(await repository.insertChecked(first, { rosterSerial: await serial(), mailboxExists: false })).toBe(true);
    const before = await countRows(d);
    // The same id again (a concurrent retry that read before the first committed).
    expect(await repository.insertChecked({ ...first, mailbox: { ...first.mailbox, authKey: d.crypto.randomBytes(32) } }, { rosterSerial: await serial(), mailboxExists: false })).toBe(false);
    // The same mailbox, read as new, registered by another request in between.
    const second = await newDisclosure(client);
    expect(await repository.insertChecked(second, { rosterSerial: await serial(), mailboxExists: false })).toBe(false);
    // ... or read as known, but registered with another box key.
    expect(await repository.insertChecked({ ...second, mailbox: { ...second.mailbox, boxKey: d.crypto.randomBytes(32) } }, { rosterSerial: await serial(), mailboxExists: true })).toBe(false);
    expect(await countRows(d)).toEqual(before);
    // Read as known with its own box key: written.
    expect(await repository.insertChecked(second, { rosterSerial: await serial(), mailboxExists: true })).toBe(true);
  });
});
